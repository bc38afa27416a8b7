/*
 * pass.c — the parallel pass over rows (pass.h).
 *
 * Blocks of chunks (util/blocks.h) are shared out among threads; each block
 * accumulates into its own statistics and the blocks are added in order,
 * so the result does not depend on the number of threads or on scheduling.
 * The N x K responsibility matrix never exists: each chunk's
 * responsibilities live in a GMM_CHUNK_ROWS x K scratch buffer and are
 * folded into the statistics at once.
 *
 * Rows come in windows (em/rows.h): the whole block when they are in
 * memory, or what a thread's window buffer holds when they are read from a
 * file; either way the chunks, and so the arithmetic, are the same.
 */
#include "em/pass.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "model/chunk.h"
#include "util/error.h"

/* Per-block statistics are capped at this many bytes in all: 32 MiB keeps
 * the largest benchmark shapes (K = 32, D = 64, full) at 32 blocks. */
#define BLOCK_STATS_BUDGET (32u << 20)

/* Waking threads costs ~10 us, and far more on a loaded machine (an
 * Old Faithful iteration took 16 ms with 2 threads under load, 30 us with
 * one): below ~2^18 row-component-feature products a pass runs on the
 * calling thread, outside OpenMP. The block partition, hence the result,
 * is the same. */
static int worth_threads(const gmm_rows *rows, size_t n_comp)
{
    return (double)rows->n_rows * (double)n_comp * (double)rows->n_features >
           (double)(1 << 18);
}

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

/* A thread's scratch slice, rounded up to a cache line so that two
 * threads never write the same line. */
static size_t slice_size(size_t doubles) { return (doubles + 7) / 8 * 8; }

void gmm_pass_work_free(gmm_pass_work *work)
{
    for (size_t b = 0; work->partial && b < work->n_partial; b++)
        gmm_stats_free(&work->partial[b]);
    free(work->partial);
    free(work->scratch);
    memset(work, 0, sizeof *work);
}

/* Make work hold n_blocks statistics of total's shape and n_threads
 * slices of scratch_size doubles, keeping what it has when that is
 * enough (the fit loop's passes all have the same shapes). */
static gmm_status reserve_work(gmm_pass_work *work, const gmm_stats *total,
                               size_t n_blocks, size_t scratch_size,
                               int n_threads, gmm_error *err)
{
    const gmm_stats *have = work->partial;
    if (!have || work->n_partial < n_blocks ||
        have->n_components != total->n_components ||
        have->n_features != total->n_features ||
        have->covariance_type != total->covariance_type) {
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
                                total->covariance_type, NULL) != GMM_OK)
                return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for per-block "
                                "statistics (%zu components, %zu features)",
                                total->n_components, total->n_features);
    }
    size_t slice = slice_size(scratch_size);
    if (work->slice < slice || work->n_slices < (size_t)n_threads) {
        free(work->scratch);
        work->slice = work->n_slices = 0;
        work->scratch = malloc((size_t)n_threads * slice * sizeof *work->scratch);
        if (!work->scratch)
            return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the threads' "
                            "buffers (%d x %zu doubles)", n_threads, slice);
        work->slice = slice;
        work->n_slices = (size_t)n_threads;
    }
    return GMM_OK;
}

/* One block of rows, chunk by chunk, into stats (zeroed first). scratch
 * holds scratch_size doubles and then a window. A failed read is
 * described in *err (not NULL). */
static gmm_status run_block(const gmm_rows *rows, const gmm_blocks *blocks,
                            size_t b, chunk_fn chunk, const void *context,
                            double *scratch, size_t scratch_size,
                            gmm_stats *stats, gmm_error *err)
{
    size_t d = rows->n_features, begin, end, count;
    double *window = scratch + scratch_size;
    gmm_stats_zero(stats);
    gmm_blocks_range(blocks, b, &begin, &end);
    for (size_t at = begin; at < end; at += count) {
        const double *rows_X = gmm_rows_window(rows, at, end, window, &count, err);
        if (!rows_X)
            return err->status;
        for (size_t c = 0; c < count; c += GMM_CHUNK_ROWS) {
            size_t n = count - c < GMM_CHUNK_ROWS ? count - c : GMM_CHUNK_ROWS;
            const double *w = rows->weights ? rows->weights + at + c : NULL;
            chunk(context, rows_X + c * d, rows->first_row + at + c, n, w, stats,
                  scratch);
        }
    }
    return GMM_OK;
}

/* The pass over all rows: blocks shared out among threads, chunk by
 * chunk, each block into its own statistics, added in block order. work
 * keeps the buffers for the next pass (NULL: this pass's own). */
static gmm_status run_pass(const gmm_rows *rows, chunk_fn chunk,
                           const void *context, size_t scratch_size,
                           int n_threads, gmm_pass_work *work,
                           gmm_stats *total, gmm_error *err)
{
    size_t n_comp = total->n_components, d = total->n_features;
    size_t stats_bytes = gmm_stats_bytes(n_comp, d, total->covariance_type);
    gmm_blocks blocks = gmm_blocks_plan(rows->n_rows,
                                        BLOCK_STATS_BUDGET / stats_bytes);
    int threads = worth_threads(rows, n_comp) ? gmm_threads(n_threads) : 1;
    size_t thread_size = scratch_size + gmm_rows_window_size(rows);
    gmm_pass_work own = {0};
    gmm_pass_work *w = work ? work : &own;
    gmm_status status = reserve_work(w, total, blocks.n_blocks, thread_size,
                                     threads, err);

    if (status == GMM_OK && threads == 1) {
        /* No parallel region at all: even one that `if` keeps on this
         * thread cost ~3% of an Old Faithful iteration (libgomp's team
         * set-up and a futex wake, perf). */
        gmm_error local_err;
        for (size_t b = 0; status == GMM_OK && b < blocks.n_blocks; b++)
            if (run_block(rows, &blocks, b, chunk, context, w->scratch,
                          scratch_size, &w->partial[b], &local_err) != GMM_OK)
                gmm_rows_note_failure(&status, err, &local_err);
    } else if (status == GMM_OK) {
#pragma omp parallel num_threads(threads)
        {
            gmm_error local_err;
            double *scratch = w->scratch + (size_t)omp_get_thread_num() * w->slice;
#pragma omp for schedule(dynamic, 1)
            for (size_t b = 0; b < blocks.n_blocks; b++)
                if (run_block(rows, &blocks, b, chunk, context, scratch,
                              scratch_size, &w->partial[b], &local_err) != GMM_OK)
                    gmm_rows_note_failure(&status, err, &local_err);
        }
    }
    if (status == GMM_OK) {
        gmm_stats_zero(total);
        for (size_t b = 0; b < blocks.n_blocks; b++)
            gmm_stats_add(total, &w->partial[b]);
    }
    gmm_pass_work_free(&own);
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
                                  gmm_pass_work *work, gmm_stats *total,
                                  gmm_error *err)
{
    size_t k = total->n_components, d = total->n_features;
    f64_pass p = {source, shifts, GMM_LANE_STRIDE * k, gmm_chunk_size(d),
                  gmm_stats_work_size(k, d, total->covariance_type)};
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
    int full = params->covariance_type == GMM_COVARIANCE_FULL ||
               params->covariance_type == GMM_COVARIANCE_TIED;
    int rows_read = full && !gmm_stats_by_lanes(params->covariance_type,
                                                 params->n_features);
    gmm_chunk_transpose_f32(X, n_rows, params->n_features, params->origin, XT,
                            rows_read ? XR : NULL);
    gmm_estep_f32_chunk(p->estep, XT, n_rows, weights, resp,
                        &stats->log_likelihood, estep_scratch);
    gmm_stats_accumulate_f32(stats, XT, XR, n_rows, resp, params->means, work);
}

gmm_status gmm_stats_pass_f32(const gmm_rows *rows,
                              const gmm_estep_f32_context *estep, int n_threads,
                              gmm_pass_work *work, gmm_stats *total,
                              gmm_error *err)
{
    size_t k = total->n_components, d = total->n_features;
    f32_pass p = {estep, floats_in_doubles(GMM_LANE_STRIDE * k),
                  floats_in_doubles(gmm_chunk_size(d)),
                  floats_in_doubles(GMM_CHUNK_ROWS * gmm_row_stride(d, 8)),
                  gmm_estep_f32_scratch_size()};
    size_t work_size = gmm_stats_work_size_f32(k, d, total->covariance_type);
    return run_pass(rows, f32_chunk, &p, p.resp_size + p.estep_size +
                    p.chunk_size + p.rows_size + work_size, n_threads, work,
                    total, err);
}
