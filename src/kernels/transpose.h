/*
 * transpose.h — a chunk of row-major rows into the layout of
 * kernels/chunk.h, once per chunk for both the E-step and the statistics:
 * kernels/kernels.h's convert for each element type (its contract is
 * there).
 */
#ifndef GMM_KERNELS_TRANSPOSE_H
#define GMM_KERNELS_TRANSPOSE_H

#include <stddef.h>

/* XT = X^T zero-padded to gmm_padded_features(d) x gmm_lanes(n_rows); XR
 * (when wanted) the rows padded to whole vectors of 4 (wide: 8), or X
 * itself when they need no padding. origin is not used. */
const void *gmm_chunk_convert_f64(const double *X, size_t n_rows, size_t d,
                                  const double *origin, void *XT, void *XR);
const void *gmm_chunk_convert_f64_wide(const double *X, size_t n_rows,
                                       size_t d, const double *origin,
                                       void *XT, void *XR);

/* XT = (float)(X - origin)^T, the subtraction in double, zero-padded as
 * above (gmm_chunk_size(d) floats); XR (unless NULL) the same floats
 * row-major, rows zero-padded to gmm_row_stride(d, 8) (wide: 16). */
const void *gmm_chunk_convert_f32(const double *X, size_t n_rows, size_t d,
                                  const double *origin, void *XT, void *XR);
const void *gmm_chunk_convert_f32_wide(const double *X, size_t n_rows,
                                       size_t d, const double *origin,
                                       void *XT, void *XR);

#endif
