/*
 * pass.c — the statistics pass (pass.h), on the block runner
 * (rows/runner.h): each block accumulates into its own statistics, added
 * in block order. The N x K responsibility matrix never exists: each
 * chunk's responsibilities live in a GMM_CHUNK_ROWS x K scratch buffer and
 * are folded into the statistics at once.
 */
#include "em/pass.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/chunk.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"
#include "rows/runner.h"
#include "util/error.h"

/* Each thread accumulates its blocks into its own statistics, added into
 * the total in block order as soon as the blocks before are (the runner's
 * results per thread): memory for one set of statistics per thread,
 * however many blocks. A block's statistics are added once: blocks of
 * many statistics are made fewer and longer so that adding them stays
 * small beside the block's pass, BLOCK_STATS_BUDGET bytes added in all,
 * but never fewer than MIN_BLOCKS, so that as many threads find work. */
#define BLOCK_STATS_BUDGET (32u << 20)
#define MIN_BLOCKS 16

/* One sum of K(1 + D + Q) + 1 numbers, the packed statistics' additive
 * prefix: the whole communication of an EM iteration on complete rows. */
gmm_status gmm_stats_sum_processes(const gmm_rows *rows, gmm_stats *total,
                                   gmm_status local, gmm_error *err)
{
    if (!rows->reducer)
        return local;
    size_t count = gmm_stats_size(total);
    double *packed = malloc(count * sizeof *packed);
    /* A process without memory still takes part in the agreement, so that
     * the others do not wait for it. */
    if (!packed && local == GMM_OK)
        local = gmm_fail(err, GMM_ERR_NOMEM, "out of memory for %zu statistics",
                         count);
    if (local == GMM_OK)
        gmm_stats_pack(total, packed);
    gmm_status status = gmm_rows_sum(rows, packed, gmm_stats_sum_size(total),
                                     local, err);
    if (status == GMM_OK)
        gmm_stats_load(total, packed);
    free(packed);
    return status;
}

void gmm_stats_pass_work_free(gmm_stats_pass_work *work)
{
    for (size_t b = 0; work->partial && b < work->n_partial; b++)
        gmm_stats_release(&work->partial[b]);
    free(work->partial);
    gmm_pass_buffers_free(&work->buffers);
    memset(work, 0, sizeof *work);
}

/* Make work hold n_threads statistics of total's shape, keeping what it
 * has when that is enough (the fit loop's passes all have one shape);
 * packed where the kernels can fill them packed (half the memory). */
static gmm_status reserve_partial(gmm_stats_pass_work *work,
                                  const gmm_stats *total, size_t n_threads,
                                  gmm_error *err)
{
    const gmm_stats *have = work->partial;
    if (have && work->n_partial >= n_threads && gmm_stats_same_shape(have, total))
        return GMM_OK;
    for (size_t t = 0; have && t < work->n_partial; t++)
        gmm_stats_release(&work->partial[t]);
    free(work->partial);
    work->n_partial = 0;
    work->partial = calloc(n_threads, sizeof *work->partial);
    if (!work->partial)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for per-thread "
                        "statistics (%zu threads)", n_threads);
    for (; work->n_partial < n_threads; work->n_partial++)
        if ((gmm_kernels_read_rows(total->layout, total->n_features)
                 ? gmm_stats_alloc_packed : gmm_stats_alloc)(
                &work->partial[work->n_partial], total->n_components,
                total->n_features, total->layout, NULL) != GMM_OK)
            return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for per-thread "
                            "statistics (%zu components, %zu features)",
                            total->n_components, total->n_features);
    return GMM_OK;
}

/* What one pass computes its statistics with: the element type's
 * kernels, where the responsibilities come from, and the shifts (K
 * elements of the kernels' type, shift_stride apart) the statistics are
 * taken around, after the rows are centred on origin where the element
 * type centres them. */
typedef struct pass_frame {
    const gmm_kernels *kernels;
    gmm_resp_source source;
    const double *origin;
    const void *shifts;
    size_t shift_stride;
    const double *stats_shifts;  /* the same as doubles, K x D          */
} pass_frame;

/* Doubles that hold n elements of the kernels' type, to a whole cache
 * line. */
static size_t doubles_for(const gmm_kernels *kernels, size_t n)
{
    return (n * kernels->element_size + 63) / 64 * 8;
}

/* A statistics pass as the runner (rows/runner.h) sees it: each block
 * into its thread's statistics, added in block order into total. A thread's
 * scratch: the chunk's responsibilities, its conversion (transposed, and
 * row-major where the statistics read rows), the statistics kernel's
 * work and the source's scratch. */
typedef struct stats_run {
    const gmm_rows *rows;
    pass_frame frame;
    int accumulates;    /* 0: the log-likelihood only                    */
    int read_rows;
    size_t resp_size, chunk_size, rows_size, work_size;
    gmm_stats *partial;
    gmm_stats *total;
} stats_run;

static void begin_block(void *context, size_t thread)
{
    stats_run *run = context;
    gmm_stats_zero(&run->partial[thread]);
}

/* One chunk: converted once for both the E-step and the statistics, then
 * responsibilities, then statistics. */
static void run_chunk(void *context, size_t thread, const double *X,
                      size_t first, size_t n_rows, double *scratch)
{
    const stats_run *run = context;
    const gmm_rows *rows = run->rows;
    const pass_frame *f = &run->frame;
    gmm_stats *stats = &run->partial[thread];
    double *resp = scratch, *XT = resp + run->resp_size;
    double *XR = XT + run->chunk_size, *work = XR + run->rows_size;
    const double *weights = rows->weights ? rows->weights + first : NULL;
    const void *row_major = f->kernels->convert(X, n_rows, rows->n_features,
                                                f->origin, XT,
                                                run->read_rows ? XR : NULL);
    f->source.fn(f->source.context, X, XT, rows->first_row + first, n_rows,
                 weights, resp, &stats->log_likelihood, work + run->work_size);
    if (!run->accumulates)
        return;
    gmm_sums sums = {stats->n_components, stats->n_features, stats->layout,
                     stats->nk, stats->sk, stats->qk, stats->packed};
    f->kernels->accumulate(&sums, XT, row_major, n_rows, resp, f->shifts,
                           f->shift_stride, work);
}

static void combine_block(void *context, size_t thread)
{
    stats_run *run = context;
    gmm_stats_add(run->total, &run->partial[thread]);
}

/* The pass over all rows, then the sum over processes. work keeps the
 * buffers for the next pass (NULL: this pass's own). Without accumulates,
 * only the log-likelihood is summed, over the same blocks in the same
 * order: the same bits as with the statistics. */
static gmm_status run_pass(const gmm_rows *rows, const pass_frame *frame,
                           int accumulates, int n_threads,
                           gmm_stats_pass_work *work, gmm_stats *total,
                           gmm_error *err)
{
    const gmm_kernels *kernels = frame->kernels;
    size_t n_comp = total->n_components, d = total->n_features;
    stats_run run = {
        .rows = rows,
        .frame = *frame,
        .accumulates = accumulates,
        .read_rows = accumulates && gmm_kernels_read_rows(total->layout, d),
        .resp_size = doubles_for(kernels, GMM_LANE_STRIDE * n_comp),
        .chunk_size = doubles_for(kernels, gmm_chunk_size(d)),
        .work_size = kernels->accumulate_work_size(total->layout, n_comp, d),
        .total = total};
    if (run.read_rows)
        run.rows_size = doubles_for(kernels, GMM_CHUNK_ROWS *
                                    gmm_row_stride(d, kernels->lanes));
    gmm_stats_pass_work own = {0};
    gmm_stats_pass_work *w = work ? work : &own;
    size_t max_blocks = BLOCK_STATS_BUDGET / gmm_stats_bytes(total);
    gmm_pass pass = {
        .rows = rows,
        .blocks = gmm_blocks_plan(rows->n_rows, max_blocks > MIN_BLOCKS
                                                    ? max_blocks : MIN_BLOCKS),
        .n_threads = n_threads,
        .row_cost = (double)n_comp * (double)d,
        .scratch_size = run.resp_size + run.chunk_size + run.rows_size +
                        run.work_size + frame->source.scratch_size,
        .context = &run,
        .results = GMM_PASS_PER_THREAD,
        .begin = begin_block,
        .chunk = run_chunk,
        .combine = combine_block};
    gmm_status status = reserve_partial(w, total,
                                        (size_t)gmm_pass_threads(&pass), err);
    run.partial = w->partial;
    gmm_stats_zero(total);
    total->weight_sum = rows->weight_sum;
    memcpy(total->shifts, frame->stats_shifts,
           n_comp * d * sizeof *total->shifts);
    if (status == GMM_OK)
        status = gmm_run_pass(&pass, &w->buffers, err);
    gmm_stats_pass_work_free(&own);
    return gmm_stats_sum_processes(rows, total, status, err);
}

gmm_status gmm_stats_pass(const gmm_rows *rows, gmm_resp_source source,
                          const double *shifts, int n_threads,
                          gmm_stats *total, gmm_error *err)
{
    pass_frame frame = {gmm_kernels_of(GMM_DTYPE_FLOAT64), source, NULL,
                        shifts, total->n_features, shifts};
    return run_pass(rows, &frame, 1, n_threads, NULL, total, err);
}

/* A float E-step's statistics went past float's range (inf, or NaN from
 * inf - inf) when squared deviations do (about 1e19 and more): the
 * M-step would blame a double's range, so say it here, with the way out.
 * Only float's range can be left within the E-step; a double's is the
 * M-step's to report. */
static gmm_status check_float_range(const gmm_stats *stats, gmm_error *err)
{
    size_t n_q = gmm_stats_q_size(stats), n_s = stats->n_components * stats->n_features;
    int finite = isfinite(stats->log_likelihood);
    for (size_t i = 0; finite && i < n_q; i++)
        finite = isfinite(stats->qk[i]);
    for (size_t i = 0; finite && i < n_s; i++)
        finite = isfinite(stats->sk[i]);
    if (finite)
        return GMM_OK;
    return gmm_fail(err, GMM_ERR_NUMERIC,
                    "the float32 E-step overflowed: the data's spread, squared, "
                    "is beyond the range of a float (deviations of about 1e19 "
                    "or more from the means). Use dtype float64 (--dtype "
                    "float64), or rescale the data.");
}

static pass_frame estep_frame(const gmm_kernel_params *params)
{
    return (pass_frame){params->kernels, gmm_resp_estep(params),
                        params->origin, params->means,
                        gmm_padded_features(params->n_features),
                        params->shifts};
}

gmm_status gmm_estep_log_likelihood(const gmm_rows *rows,
                                    const gmm_kernel_params *params,
                                    int n_threads, gmm_stats *total,
                                    gmm_error *err)
{
    pass_frame frame = estep_frame(params);
    return run_pass(rows, &frame, 0, n_threads, NULL, total, err);
}

gmm_status gmm_estep_pass(const gmm_rows *rows, const gmm_kernel_params *params,
                          int n_threads, gmm_stats_pass_work *work,
                          gmm_stats *total, gmm_error *err)
{
    pass_frame frame = estep_frame(params);
    gmm_status status = run_pass(rows, &frame, 1, n_threads, work, total, err);
    if (status == GMM_OK && params->kernels->dtype != GMM_DTYPE_FLOAT64)
        status = check_float_range(total, err);
    return status;
}
