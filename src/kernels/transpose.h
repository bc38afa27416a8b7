/*
 * transpose.h — a chunk of row-major rows into the layout of
 * kernels/chunk.h, once per chunk for both the E-step and the statistics.
 */
#ifndef GMM_KERNELS_TRANSPOSE_H
#define GMM_KERNELS_TRANSPOSE_H

#include <stddef.h>

/* XT = X^T, zero-padded to gmm_padded_features(d) x gmm_lanes(n_rows). */
void gmm_chunk_transpose(const double *X, size_t n_rows, size_t d, double *XT);

/* The float32 path's chunk (gmm_options.dtype): XT = (float)(X - origin)^T,
 * the subtraction in double, zero-padded as above; gmm_chunk_size(d)
 * floats. Centring before rounding keeps the digits that data far from
 * the origin would lose in float (params.h, gmm_params_f32). Unless XR is
 * NULL, the same floats also row-major into XR, rows zero-padded to
 * gmm_row_stride(d, 8). */
void gmm_chunk_transpose_f32(const double *X, size_t n_rows, size_t d,
                             const double *origin, float *XT, float *XR);

#endif
