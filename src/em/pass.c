/*
 * pass.c — the statistics pass (pass.h), on the block runner
 * (rows/runner.h): each block accumulates into its own statistics, added
 * in block order. The N x K responsibility matrix never exists: each
 * chunk's responsibilities live in a GMM_CHUNK_ROWS x K scratch buffer and
 * are folded into the statistics at once.
 */
#include "em/pass.h"

#include <stdlib.h>
#include <string.h>

#include "em/accumulate.h"
#include "kernels/chunk.h"
#include "kernels/layout.h"
#include "kernels/transpose.h"
#include "rows/runner.h"
#include "util/error.h"

/* Per-block statistics are capped at this many bytes in all: 32 MiB keeps
 * the largest benchmark shapes (K = 32, D = 64, full) at 32 blocks. */
#define BLOCK_STATS_BUDGET (32u << 20)

/* Add the statistics of all processes (one sum of K(1 + D + Q) + 1
 * numbers: the whole communication of an EM iteration). */
static gmm_status sum_over_processes(const gmm_rows *rows, gmm_stats *total,
                                     gmm_status local, gmm_error *err)
{
    if (!rows->reducer)
        return local;
    size_t n_nk = total->n_components, n_sk = n_nk * total->n_features;
    size_t n_qk = gmm_stats_q_size(total), count = n_nk + n_sk + n_qk + 1;
    double *packed = malloc(count * sizeof *packed);
    if (!packed)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for %zu statistics",
                        count);
    double *sk = packed + n_nk, *qk = sk + n_sk;
    memcpy(packed, total->nk, n_nk * sizeof *packed);
    memcpy(sk, total->sk, n_sk * sizeof *packed);
    memcpy(qk, total->qk, n_qk * sizeof *packed);
    qk[n_qk] = total->log_likelihood;
    gmm_status status = gmm_rows_sum(rows, packed, count, local, err);
    if (status == GMM_OK) {
        memcpy(total->nk, packed, n_nk * sizeof *packed);
        memcpy(total->sk, sk, n_sk * sizeof *packed);
        memcpy(total->qk, qk, n_qk * sizeof *packed);
        total->log_likelihood = qk[n_qk];
    }
    free(packed);
    return status;
}

/* What a pass does with one chunk of n_rows <= GMM_CHUNK_ROWS rows:
 * responsibilities, then statistics into stats. scratch holds the
 * scratch_size doubles given to run_pass. */
typedef void (*chunk_fn)(const void *context, const double *X,
                         size_t first_row, size_t n_rows,
                         const double *weights, gmm_stats *stats,
                         double *scratch);

void gmm_stats_pass_work_free(gmm_stats_pass_work *work)
{
    for (size_t b = 0; work->partial && b < work->n_partial; b++)
        gmm_stats_free(&work->partial[b]);
    free(work->partial);
    gmm_pass_buffers_free(&work->buffers);
    memset(work, 0, sizeof *work);
}

/* Make work hold n_blocks statistics of total's shape, keeping what it
 * has when that is enough (the fit loop's passes all have one shape). */
static gmm_status reserve_partial(gmm_stats_pass_work *work,
                                  const gmm_stats *total, size_t n_blocks,
                                  gmm_error *err)
{
    const gmm_stats *have = work->partial;
    if (have && work->n_partial >= n_blocks && gmm_stats_same_shape(have, total))
        return GMM_OK;
    for (size_t b = 0; have && b < work->n_partial; b++)
        gmm_stats_free(&work->partial[b]);
    free(work->partial);
    work->n_partial = 0;
    work->partial = calloc(n_blocks, sizeof *work->partial);
    if (!work->partial)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for per-block "
                        "statistics (%zu blocks)", n_blocks);
    for (; work->n_partial < n_blocks; work->n_partial++)
        if (gmm_stats_alloc(&work->partial[work->n_partial],
                            total->n_components, total->n_features,
                            total->layout, NULL) != GMM_OK)
            return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for per-block "
                            "statistics (%zu components, %zu features)",
                            total->n_components, total->n_features);
    return GMM_OK;
}

/* A statistics pass as the runner (rows/runner.h) sees it: each block
 * into its own statistics, added in block order into total. */
typedef struct stats_run {
    const gmm_rows *rows;
    chunk_fn chunk;
    const void *context;
    gmm_stats *partial;
    gmm_stats *total;
} stats_run;

static void begin_block(void *context, size_t block)
{
    stats_run *run = context;
    gmm_stats_zero(&run->partial[block]);
}

static void run_chunk(void *context, size_t block, const double *X,
                      size_t first, size_t n_rows, double *scratch)
{
    stats_run *run = context;
    const gmm_rows *rows = run->rows;
    const double *weights = rows->weights ? rows->weights + first : NULL;
    run->chunk(run->context, X, rows->first_row + first, n_rows, weights,
               &run->partial[block], scratch);
}

static void combine_block(void *context, size_t block)
{
    stats_run *run = context;
    gmm_stats_add(run->total, &run->partial[block]);
}

/* The pass over all rows, then the sum over processes. work keeps the
 * buffers for the next pass (NULL: this pass's own). */
static gmm_status run_pass(const gmm_rows *rows, chunk_fn chunk,
                           const void *context, size_t scratch_size,
                           int n_threads, gmm_stats_pass_work *work,
                           gmm_stats *total, gmm_error *err)
{
    size_t n_comp = total->n_components, d = total->n_features;
    size_t stats_bytes = gmm_stats_bytes(total);
    gmm_stats_pass_work own = {0};
    gmm_stats_pass_work *w = work ? work : &own;
    gmm_pass pass = {
        .rows = rows,
        .blocks = gmm_blocks_plan(rows->n_rows, BLOCK_STATS_BUDGET / stats_bytes),
        .n_threads = n_threads,
        .row_cost = (double)n_comp * (double)d,
        .scratch_size = scratch_size,
        .begin = begin_block,
        .chunk = run_chunk,
        .combine = combine_block};
    gmm_status status = reserve_partial(w, total, pass.blocks.n_blocks, err);
    stats_run run = {rows, chunk, context, w->partial, total};
    pass.context = &run;
    gmm_stats_zero(total);
    if (status == GMM_OK)
        status = gmm_run_pass(&pass, &w->buffers, err);
    gmm_stats_pass_work_free(&own);
    return sum_over_processes(rows, total, status, err);
}

/* The float64 pass: the chunk transposed once, for the E-step's kernels
 * and the diagonal statistics; any responsibility source, then the
 * statistics. */
typedef struct f64_pass {
    gmm_resp_source source;
    const double *shifts;
    size_t resp_size, chunk_size, work_size;
} f64_pass;

static void f64_chunk(const void *context, const double *X, size_t first_row,
                      size_t n_rows, const double *weights, gmm_stats *stats,
                      double *scratch)
{
    const f64_pass *p = context;
    double *resp = scratch, *XT = resp + p->resp_size;
    double *work = XT + p->chunk_size;
    gmm_chunk_transpose(X, n_rows, stats->n_features, XT);
    p->source.fn(p->source.context, X, XT, first_row, n_rows, weights, resp,
                 &stats->log_likelihood, work + p->work_size);
    gmm_stats_accumulate(stats, X, XT, n_rows, resp, p->shifts, work);
}

gmm_status gmm_stats_pass(const gmm_rows *rows, gmm_resp_source source,
                          const double *shifts, int n_threads,
                          gmm_stats *total, gmm_error *err)
{
    return gmm_stats_pass_reusing(rows, source, shifts, n_threads, NULL, total,
                                  err);
}

gmm_status gmm_stats_pass_reusing(const gmm_rows *rows, gmm_resp_source source,
                                  const double *shifts, int n_threads,
                                  gmm_stats_pass_work *work, gmm_stats *total,
                                  gmm_error *err)
{
    size_t k = total->n_components, d = total->n_features;
    f64_pass p = {source, shifts, GMM_LANE_STRIDE * k, gmm_chunk_size(d),
                  gmm_stats_work_size(k, d)};
    return run_pass(rows, f64_chunk, &p, p.resp_size + p.chunk_size +
                    p.work_size + source.scratch_size, n_threads, work, total,
                    err);
}

/* Doubles that hold n floats. */
static size_t floats_in_doubles(size_t n) { return (n + 1) / 2; }

/* The float32 pass: the chunk is rounded to float once, around the
 * parameters' origin, and both the E-step and the statistics read that
 * one float chunk (half the bytes of the double chunk, and one transpose
 * per chunk instead of the float64 pass's two). */
typedef struct f32_pass {
    const gmm_estep_f32_context *estep;
    size_t resp_size, chunk_size, rows_size, estep_size;
} f32_pass;

static void f32_chunk(const void *context, const double *X, size_t first_row,
                      size_t n_rows, const double *weights, gmm_stats *stats,
                      double *scratch)
{
    (void)first_row;
    const f32_pass *p = context;
    const gmm_params_f32 *params = p->estep->params;
    float *resp = (float *)scratch;
    double *estep_scratch = scratch + p->resp_size;
    float *XT = (float *)(estep_scratch + p->estep_size);
    float *XR = (float *)((double *)XT + p->chunk_size);
    double *work = (double *)XR + p->rows_size;
    int rows_read = gmm_layout_is_matrix(stats->layout) &&
                    !gmm_stats_by_lanes(stats->layout, params->n_features);
    gmm_chunk_transpose_f32(X, n_rows, params->n_features, params->origin, XT,
                            rows_read ? XR : NULL);
    gmm_estep_f32_chunk(p->estep, XT, n_rows, weights, resp,
                        &stats->log_likelihood, estep_scratch);
    gmm_stats_accumulate_f32(stats, XT, XR, n_rows, resp, params->means, work);
}

gmm_status gmm_stats_pass_f32(const gmm_rows *rows,
                              const gmm_estep_f32_context *estep, int n_threads,
                              gmm_stats_pass_work *work, gmm_stats *total,
                              gmm_error *err)
{
    size_t k = total->n_components, d = total->n_features;
    f32_pass p = {estep, floats_in_doubles(GMM_LANE_STRIDE * k),
                  floats_in_doubles(gmm_chunk_size(d)),
                  floats_in_doubles(GMM_CHUNK_ROWS * gmm_row_stride(d, 8)),
                  gmm_estep_f32_scratch_size()};
    size_t work_size = gmm_stats_work_size_f32(k, d);
    return run_pass(rows, f32_chunk, &p, p.resp_size + p.estep_size +
                    p.chunk_size + p.rows_size + work_size, n_threads, work,
                    total, err);
}
