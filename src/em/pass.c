/*
 * pass.c — the parallel pass over rows (pass.h).
 *
 * Blocks of chunks (util/blocks.h) are shared out among threads; each block
 * accumulates into its own statistics and the blocks are added in order,
 * so the result does not depend on the number of threads or on scheduling.
 * The N x K responsibility matrix never exists: each chunk's
 * responsibilities live in a GMM_CHUNK_ROWS x K scratch buffer and are
 * folded into the statistics at once.
 */
#include "em/pass.h"

#include <stdlib.h>

#include "util/blocks.h"
#include "util/error.h"

/* Per-block statistics are capped at this many bytes in all: 32 MiB keeps
 * the largest benchmark shapes (K = 32, D = 64, full) at 32 blocks. */
#define BLOCK_STATS_BUDGET (32u << 20)

gmm_status gmm_stats_pass(const gmm_rows *rows, gmm_resp_source source,
                          const double *shifts, int n_threads,
                          gmm_stats *total, gmm_error *err)
{
    size_t n_comp = total->n_components, d = total->n_features;
    size_t stats_bytes = gmm_stats_bytes(n_comp, d, total->covariance_type);
    gmm_blocks blocks = gmm_blocks_plan(rows->n_rows,
                                        BLOCK_STATS_BUDGET / stats_bytes);
    gmm_stats *partial = calloc(blocks.n_blocks, sizeof *partial);
    int failed = partial == NULL;
    for (size_t b = 0; !failed && b < blocks.n_blocks; b++)
        failed = gmm_stats_alloc(&partial[b], n_comp, d, total->covariance_type,
                                 NULL) != GMM_OK;
    size_t resp_size = GMM_CHUNK_ROWS * n_comp, work_size = GMM_CHUNK_ROWS * d;
    size_t scratch_size = resp_size + work_size + source.scratch_size;

    if (!failed) {
#pragma omp parallel num_threads(gmm_threads(n_threads))
        {
            double *scratch = malloc(scratch_size * sizeof *scratch);
            if (!scratch) {
#pragma omp atomic write
                failed = 1;
            }
#pragma omp for schedule(dynamic, 1)
            for (size_t b = 0; b < blocks.n_blocks; b++) {
                if (!scratch)
                    continue;
                size_t begin, end;
                gmm_blocks_range(&blocks, b, &begin, &end);
                for (size_t at = begin; at < end; at += GMM_CHUNK_ROWS) {
                    size_t count = end - at < GMM_CHUNK_ROWS ? end - at : GMM_CHUNK_ROWS;
                    const double *X = rows->X + at * d;
                    const double *w = rows->weights ? rows->weights + at : NULL;
                    source.fn(source.context, X, at, count, w, scratch,
                              &partial[b].log_likelihood,
                              scratch + resp_size + work_size);
                    gmm_stats_accumulate(&partial[b], X, count, scratch, shifts,
                                         scratch + resp_size);
                }
            }
            free(scratch);
        }
    }
    if (!failed) {
        gmm_stats_zero(total);
        for (size_t b = 0; b < blocks.n_blocks; b++)
            gmm_stats_add(total, &partial[b]);
    }
    for (size_t b = 0; partial && b < blocks.n_blocks; b++)
        gmm_stats_free(&partial[b]);
    free(partial);
    if (failed)
        return gmm_fail(err, GMM_ERR_NOMEM,
                        "out of memory for per-thread statistics (%zu components, "
                        "%zu features)", n_comp, d);
    return GMM_OK;
}
