/*
 * chunk.h — the layout the hot kernels work in, and the vector helpers
 * they share (kernels/kernels.h lists the kernels).
 *
 * A chunk of at most GMM_CHUNK_ROWS rows is transposed to feature-major
 * order: XT[j * GMM_LANE_STRIDE + i] is feature j of row i. The E-step's
 * kernels and the diagonal statistics vectorise across rows ("lanes"): a
 * distance, a responsibility or a variance term of 4 rows is one AVX2
 * register, whatever D is, so small D (2, 8) runs as fast per flop as
 * large D and no D needs a special case. (The full and tied statistics,
 * whose result is a D x D matrix, read the rows row-major instead: see
 * kernels/scatter.h.) Each pass transposes a chunk once, for both steps.
 * Rows are padded with zeros to a multiple of GMM_LANE_BLOCK and features
 * to a multiple of GMM_FEATURE_BLOCK, so the kernels have no tails; padded
 * rows get responsibility 0 and padded features a zero factor, so they add
 * nothing.
 *
 * The stride is GMM_CHUNK_ROWS + 8, not GMM_CHUNK_ROWS: with a stride of
 * exactly 2 KiB the D feature rows of an 8-row group map to 2 of L1's 64
 * sets and evict each other (bench/RESULTS.md note 4).
 */
#ifndef GMM_KERNELS_CHUNK_H
#define GMM_KERNELS_CHUNK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/blocks.h"

#define GMM_LANE_STRIDE (GMM_CHUNK_ROWS + 8)
/* 64 rows: the widest step of the kernels is 4 registers of rows, 16
 * floats each in the AVX-512 float32 kernels (kernels/wide.h). */
#define GMM_LANE_BLOCK 64
#define GMM_FEATURE_BLOCK 4

/* Rows n padded for the kernels, and features d padded. */
static inline size_t gmm_lanes(size_t n_rows)
{
    return (n_rows + GMM_LANE_BLOCK - 1) / GMM_LANE_BLOCK * GMM_LANE_BLOCK;
}
static inline size_t gmm_padded_features(size_t d)
{
    return (d + GMM_FEATURE_BLOCK - 1) / GMM_FEATURE_BLOCK * GMM_FEATURE_BLOCK;
}

/* Doubles of one transposed chunk (padded features x GMM_LANE_STRIDE). */
static inline size_t gmm_chunk_size(size_t d)
{
    return gmm_padded_features(d) * GMM_LANE_STRIDE;
}

/* Features per row of a row-major chunk (the M-step's layout for full and
 * tied covariances): d rounded up to a whole vector of `lanes` elements
 * (4 doubles, 8 floats). */
static inline size_t gmm_row_stride(size_t d, size_t lanes)
{
    return (d + lanes - 1) / lanes * lanes;
}

/* Hot functions are compiled twice, for x86-64-v3 (AVX2, FMA) and the baseline ISA,
 * and the loader picks one (GCC's target_clones, an ifunc), so one binary
 * is fast on current x86-64 and still runs on old x86-64. The AVX-512
 * kernels' translation units are compiled for x86-64-v4 as a whole and
 * picked by kernels/dispatch.h: no clones there. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) &&        \
    !defined(__AVX512F__)
#define GMM_KERNEL __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define GMM_KERNEL
#endif
#define GMM_INLINE static inline __attribute__((always_inline))

/* Four lanes of doubles; GCC lowers the arithmetic to one AVX2 instruction
 * (or two SSE2 ones in the baseline clone). Loads and stores go through
 * memcpy: the buffers are only 8-byte aligned, and vmovupd costs nothing
 * extra on aligned data. */
typedef double gmm_v4d __attribute__((vector_size(32)));
/* Their bits, for the exp's and log's exponent arithmetic. */
typedef int64_t gmm_v4l __attribute__((vector_size(32)));
/* These helpers are always inlined, so how a 32-byte vector would be passed
 * without AVX never matters: silence GCC's -Wpsabi warning here, and its
 * note (which no pragma reaches) with -Wno-psabi on the kernel files. */
#pragma GCC diagnostic ignored "-Wpsabi"

GMM_INLINE gmm_v4d gmm_load4(const double *p)
{
    gmm_v4d v;
    memcpy(&v, p, sizeof v);
    return v;
}
GMM_INLINE void gmm_store4(double *p, gmm_v4d v) { memcpy(p, &v, sizeof v); }
GMM_INLINE double gmm_hsum4(gmm_v4d v) { return (v[0] + v[1]) + (v[2] + v[3]); }

/* The horizontal sums of 4 vectors at once: lane j of the result is the
 * sum of v[j]'s lanes. Two levels of pairwise sums, 6 shuffles and 3
 * additions for all four, where one gmm_hsum4 each takes 3 shuffles and
 * 3 additions. */
GMM_INLINE gmm_v4d gmm_hsums4(const gmm_v4d v[4])
{
    gmm_v4d ab = __builtin_shufflevector(v[0], v[1], 0, 4, 2, 6) +
                 __builtin_shufflevector(v[0], v[1], 1, 5, 3, 7);
    gmm_v4d cd = __builtin_shufflevector(v[2], v[3], 0, 4, 2, 6) +
                 __builtin_shufflevector(v[2], v[3], 1, 5, 3, 7);
    return __builtin_shufflevector(ab, cd, 0, 1, 4, 5) +
           __builtin_shufflevector(ab, cd, 2, 3, 6, 7);
}

/* Eight lanes of floats, for the float32 path: twice the rows per register
 * and half the bytes per row. Horizontal sums run once per chunk, and the
 * chunk's partial sums leave in double. */
typedef float gmm_v8f __attribute__((vector_size(32)));
typedef int32_t gmm_v8i __attribute__((vector_size(32)));

GMM_INLINE gmm_v8f gmm_load8f(const float *p)
{
    gmm_v8f v;
    memcpy(&v, p, sizeof v);
    return v;
}
GMM_INLINE void gmm_store8f(float *p, gmm_v8f v) { memcpy(p, &v, sizeof v); }
/* v's lower and upper four lanes, in double. As shuffles, not {v[0], ...,
 * v[3]}: GCC 12 builds that from single-lane extracts and conversions. */
typedef float gmm_v4f __attribute__((vector_size(16)));
GMM_INLINE gmm_v4d gmm_low8f(gmm_v8f v)
{
    return __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3), gmm_v4d);
}
GMM_INLINE gmm_v4d gmm_high8f(gmm_v8f v)
{
    return __builtin_convertvector(__builtin_shufflevector(v, v, 4, 5, 6, 7), gmm_v4d);
}
/* q[0..7] += v, in double. */
GMM_INLINE void gmm_add8f_to_double(double *q, gmm_v8f v)
{
    gmm_store4(q, gmm_load4(q) + gmm_low8f(v));
    gmm_store4(q + 4, gmm_load4(q + 4) + gmm_high8f(v));
}
/* q[0..3] += v (the double twin of gmm_add8f_to_double, for templates). */
GMM_INLINE void gmm_add4_to_double(double *q, gmm_v4d v)
{
    gmm_store4(q, gmm_load4(q) + v);
}
/* The horizontal sums of 8 vectors at once (as gmm_hsums4), in float:
 * three levels of pairwise sums, 14 shuffles and 7 additions for all
 * eight. Each sum is of the 8 lanes of float partial sums over a chunk. */
GMM_INLINE gmm_v8f gmm_hsums8f(const gmm_v8f v[8])
{
    gmm_v8f pairs[4], quads[2];
    for (int p = 0; p < 4; p++)
        pairs[p] = __builtin_shufflevector(v[2 * p], v[2 * p + 1], 0, 2, 8, 10, 4, 6, 12, 14) +
                   __builtin_shufflevector(v[2 * p], v[2 * p + 1], 1, 3, 9, 11, 5, 7, 13, 15);
    for (int q = 0; q < 2; q++)
        quads[q] = __builtin_shufflevector(pairs[2 * q], pairs[2 * q + 1], 0, 2, 8, 10, 4, 6, 12, 14) +
                   __builtin_shufflevector(pairs[2 * q], pairs[2 * q + 1], 1, 3, 9, 11, 5, 7, 13, 15);
    return __builtin_shufflevector(quads[0], quads[1], 0, 1, 2, 3, 8, 9, 10, 11) +
           __builtin_shufflevector(quads[0], quads[1], 4, 5, 6, 7, 12, 13, 14, 15);
}
/* Lanes i and i + 4 are added first: two conversions and one vector
 * addition instead of ~30 instructions converting lane by lane. (Where
 * many sums are due at once, gmm_hsums8f does better still: bench/
 * RESULTS.md note 20.) */
GMM_INLINE double gmm_hsum8f(gmm_v8f v)
{
    return gmm_hsum4(gmm_low8f(v) + gmm_high8f(v));
}

#endif
