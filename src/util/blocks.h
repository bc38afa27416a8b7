/*
 * blocks.h — how rows are split for parallel passes.
 *
 * Rows are processed in chunks of GMM_CHUNK_ROWS (small enough that a
 * chunk's temporaries stay in cache). Consecutive chunks are grouped into
 * blocks; each block's partial results are computed by one thread, start to
 * end, and the partial results are then combined in block order. Block
 * boundaries depend only on the number of rows and a per-caller cap, never
 * on the number of threads: that is what makes every sum, and so every fit,
 * bit-identical for any thread count.
 */
#ifndef GMM_UTIL_BLOCKS_H
#define GMM_UTIL_BLOCKS_H

#include <stddef.h>

/* 256 rows: a full-covariance chunk at D = 64 is 128 KiB, within L2. */
#define GMM_CHUNK_ROWS 256

/* At most this many blocks: enough to keep a few dozen threads busy with
 * dynamic scheduling, few enough that per-block statistics stay small. */
#define GMM_MAX_BLOCKS 64

typedef struct gmm_blocks {
    size_t n_rows;
    size_t n_chunks;
    size_t n_blocks;
} gmm_blocks;

/* Plan blocks for n_rows, with at most max_blocks blocks (>= 1). */
gmm_blocks gmm_blocks_plan(size_t n_rows, size_t max_blocks);

/* Rows [*begin, *end) of block b. */
void gmm_blocks_range(const gmm_blocks *blocks, size_t b, size_t *begin,
                      size_t *end);

/* The thread count to ask OpenMP for: requested, or its default if 0. */
int gmm_threads(int requested);

#endif
