/*
 * blocks.c — the fixed partition of rows into chunks and blocks (blocks.h).
 */
#include "util/blocks.h"

#include <omp.h>

gmm_blocks gmm_blocks_plan(size_t n_rows, size_t max_blocks)
{
    gmm_blocks blocks;
    blocks.n_rows = n_rows;
    blocks.n_chunks = (n_rows + GMM_CHUNK_ROWS - 1) / GMM_CHUNK_ROWS;
    if (max_blocks < 1)
        max_blocks = 1;
    if (max_blocks > GMM_MAX_BLOCKS)
        max_blocks = GMM_MAX_BLOCKS;
    blocks.n_blocks = blocks.n_chunks < max_blocks ? blocks.n_chunks : max_blocks;
    if (blocks.n_blocks == 0)
        blocks.n_blocks = 1;
    return blocks;
}

void gmm_blocks_range(const gmm_blocks *blocks, size_t b, size_t *begin,
                      size_t *end)
{
    size_t first_chunk = b * blocks->n_chunks / blocks->n_blocks;
    size_t last_chunk = (b + 1) * blocks->n_chunks / blocks->n_blocks;
    *begin = first_chunk * GMM_CHUNK_ROWS;
    *end = last_chunk * GMM_CHUNK_ROWS;
    if (*end > blocks->n_rows)
        *end = blocks->n_rows;
    if (*begin > *end)
        *begin = *end;
}

int gmm_threads(int requested)
{
    return requested > 0 ? requested : omp_get_max_threads();
}
