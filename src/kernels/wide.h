/*
 * wide.h — the 64-byte vectors of the AVX-512 kernels (kernels/real.h's
 * GMM_CHUNK_WIDE): 8 doubles or 16 floats, and the same helpers
 * kernels/chunk.h gives the 32-byte ones. Only the translation units
 * compiled for x86-64-v4 (kernels_f64_wide.c, kernels_f32_wide.c) call
 * them; elsewhere they are unused inline functions.
 *
 * Horizontal sums fold a vector's two halves first and then reuse the
 * 32-byte helpers: the same pairwise tree a level deeper, so a wide sum
 * costs one addition more than a narrow one.
 */
#ifndef GMM_KERNELS_WIDE_H
#define GMM_KERNELS_WIDE_H

#include "kernels/chunk.h"

typedef double gmm_v8d __attribute__((vector_size(64)));
typedef int64_t gmm_v8l __attribute__((vector_size(64)));
typedef float gmm_v16f __attribute__((vector_size(64)));
typedef int32_t gmm_v16i __attribute__((vector_size(64)));

GMM_INLINE gmm_v8d gmm_load8d(const double *p)
{
    gmm_v8d v;
    memcpy(&v, p, sizeof v);
    return v;
}
GMM_INLINE void gmm_store8d(double *p, gmm_v8d v) { memcpy(p, &v, sizeof v); }
GMM_INLINE gmm_v16f gmm_load16f(const float *p)
{
    gmm_v16f v;
    memcpy(&v, p, sizeof v);
    return v;
}
GMM_INLINE void gmm_store16f(float *p, gmm_v16f v) { memcpy(p, &v, sizeof v); }

/* Halves: lanes 0..3 and 4..7 of 8 doubles; 0..7 and 8..15 of 16 floats. */
GMM_INLINE gmm_v4d gmm_low8d(gmm_v8d v) { return __builtin_shufflevector(v, v, 0, 1, 2, 3); }
GMM_INLINE gmm_v4d gmm_high8d(gmm_v8d v) { return __builtin_shufflevector(v, v, 4, 5, 6, 7); }
GMM_INLINE gmm_v8f gmm_low16f(gmm_v16f v)
{
    return __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7);
}
GMM_INLINE gmm_v8f gmm_high16f(gmm_v16f v)
{
    return __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
}
/* Lanes 4q .. 4q + 3 of 16 floats, in double (q a constant where called). */
GMM_INLINE gmm_v4d gmm_quarter16f(gmm_v16f v, int q)
{
    gmm_v8f half = q < 2 ? gmm_low16f(v) : gmm_high16f(v);
    return q % 2 ? gmm_high8f(half) : gmm_low8f(half);
}

GMM_INLINE double gmm_hsum8d(gmm_v8d v) { return gmm_hsum4(gmm_low8d(v) + gmm_high8d(v)); }
GMM_INLINE double gmm_hsum16f(gmm_v16f v) { return gmm_hsum8f(gmm_low16f(v) + gmm_high16f(v)); }

/* Lane j of the result: the sum of v[j]'s lanes, as gmm_hsums4 and
 * gmm_hsums8f, from each vector's folded halves. */
GMM_INLINE gmm_v8d gmm_hsums8d(const gmm_v8d v[8])
{
    gmm_v4d half[8];
    for (int j = 0; j < 8; j++)
        half[j] = gmm_low8d(v[j]) + gmm_high8d(v[j]);
    gmm_v4d lo = gmm_hsums4(half), hi = gmm_hsums4(half + 4);
    return __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7);
}
GMM_INLINE gmm_v16f gmm_hsums16f(const gmm_v16f v[16])
{
    gmm_v8f half[16];
    for (int j = 0; j < 16; j++)
        half[j] = gmm_low16f(v[j]) + gmm_high16f(v[j]);
    gmm_v8f lo = gmm_hsums8f(half), hi = gmm_hsums8f(half + 8);
    return __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                   11, 12, 13, 14, 15);
}

/* q[0 .. 8) += v, and q[0 .. 16) += v in double. */
GMM_INLINE void gmm_add8d_to_double(double *q, gmm_v8d v)
{
    gmm_store8d(q, gmm_load8d(q) + v);
}
GMM_INLINE void gmm_add16f_to_double(double *q, gmm_v16f v)
{
    gmm_add8f_to_double(q, gmm_low16f(v));
    gmm_add8f_to_double(q + 8, gmm_high16f(v));
}

#endif
