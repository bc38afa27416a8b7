/*
 * transpose.c — chunks into the kernels' layout (transpose.h): the one
 * piece of the kernels written per element type, because the two
 * conversions differ in what they do, not only in their type. Double
 * copies the rows; float centres them on the origin in double, rounds
 * them, and makes the row-major copy the matrix statistics read at the
 * same time.
 */
#include "kernels/transpose.h"

#include <string.h>

#include "kernels/chunk.h"

/* Four rows at a time: each feature's four values (D apart) made into
 * one vector and stored once, where an element-by-element copy took a
 * few cycles per value (bench/RESULTS.md note 16); and four features at
 * a time as a 4 x 4 block, four vector loads and eight shuffles for
 * sixteen values, where gathering them one by one was the larger part of
 * a k-means pass at small K (note 46). */
GMM_KERNEL
static void transpose_f64(const double *X, size_t n_rows, size_t d, double *XT)
{
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d), i = 0;
    for (; i + 4 <= n_rows; i += 4) {
        const double *x = X + i * d;
        /* The next chunk's rows (usually adjacent) asked for now, so
         * that they arrive while this chunk is computed instead of when
         * it is transposed: k-means' passes read rows at a rate where
         * the wait for memory showed (bench/RESULTS.md note 47). A
         * prefetch past the rows' end does not fault. */
        for (size_t b = 0; b < 4 * d; b += 8)
            __builtin_prefetch(x + n_rows * d + b, 0, 2);
        size_t j = 0;
        for (; j + 4 <= d; j += 4) {
            gmm_v4d a = gmm_load4(x + j), b = gmm_load4(x + d + j);
            gmm_v4d c = gmm_load4(x + 2 * d + j), e = gmm_load4(x + 3 * d + j);
            gmm_v4d ab0 = __builtin_shufflevector(a, b, 0, 4, 2, 6);
            gmm_v4d ab1 = __builtin_shufflevector(a, b, 1, 5, 3, 7);
            gmm_v4d ce0 = __builtin_shufflevector(c, e, 0, 4, 2, 6);
            gmm_v4d ce1 = __builtin_shufflevector(c, e, 1, 5, 3, 7);
            double *to = XT + j * GMM_LANE_STRIDE + i;
            gmm_store4(to, __builtin_shufflevector(ab0, ce0, 0, 1, 4, 5));
            gmm_store4(to + GMM_LANE_STRIDE,
                       __builtin_shufflevector(ab1, ce1, 0, 1, 4, 5));
            gmm_store4(to + 2 * GMM_LANE_STRIDE,
                       __builtin_shufflevector(ab0, ce0, 2, 3, 6, 7));
            gmm_store4(to + 3 * GMM_LANE_STRIDE,
                       __builtin_shufflevector(ab1, ce1, 2, 3, 6, 7));
        }
        for (; j < d; j++) {
            gmm_v4d v = {x[j], x[d + j], x[2 * d + j], x[3 * d + j]};
            gmm_store4(XT + j * GMM_LANE_STRIDE + i, v);
        }
    }
    for (; i < n_rows; i++)
        for (size_t j = 0; j < d; j++)
            XT[j * GMM_LANE_STRIDE + i] = X[i * d + j];
    for (size_t j = 0; j < pd; j++)
        for (size_t r = j < d ? n_rows : 0; r < lanes; r++)
            XT[j * GMM_LANE_STRIDE + r] = 0.0;
}

/* Row by row: each row's D doubles are read once, contiguously, centred
 * and rounded as a vector, and scattered to the D feature rows (D write
 * streams, which L1 absorbs) and, for full and tied, copied to XR. A
 * feature-by-feature gather was slower (note 24), and so was building
 * float vectors of eight rows (the notes after note 19). */
GMM_KERNEL
static void transpose_f32(const double *X, size_t n_rows, size_t d,
                          const double *origin, float *XT, float *XR,
                          size_t rs)
{
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d);
    for (size_t i = 0; i < n_rows; i++) {
        const double *x = X + i * d;
        for (size_t j = 0; j < d; j++)
            XT[j * GMM_LANE_STRIDE + i] = (float)(x[j] - origin[j]);
        if (XR)
            for (size_t j = 0; j < rs; j++)
                XR[i * rs + j] = j < d ? XT[j * GMM_LANE_STRIDE + i] : 0.0f;
    }
    for (size_t j = 0; j < pd; j++)
        for (size_t i = j < d ? n_rows : 0; i < lanes; i++)
            XT[j * GMM_LANE_STRIDE + i] = 0.0f;
}

/* The rows zero-padded to rs features. Feature by feature: row by row,
 * GCC made each row's short copy and padding library calls (note 10). */
GMM_KERNEL
static void pad_rows_f64(const double *X, size_t n_rows, size_t d, size_t rs,
                         double *padded)
{
    memset(padded, 0, n_rows * rs * sizeof *padded);
    for (size_t j = 0; j < d; j++)
        for (size_t i = 0; i < n_rows; i++)
            padded[i * rs + j] = X[i * d + j];
}

/* The conversions call the kernels above rather than inline them: each
 * compiled on its own, as the kernels were measured. `lanes` is the
 * vector width of the kernels that read XR. */
static const void *convert_f64(const double *X, size_t n_rows, size_t d,
                               void *XT, void *XR, size_t lanes)
{
    transpose_f64(X, n_rows, d, XT);
    size_t rs = gmm_row_stride(d, lanes);
    if (!XR || rs == d)
        return XR ? X : NULL;
    pad_rows_f64(X, n_rows, d, rs, XR);
    return XR;
}

static const void *convert_f32(const double *X, size_t n_rows, size_t d,
                               const double *origin, void *XT, void *XR,
                               size_t lanes)
{
    transpose_f32(X, n_rows, d, origin, XT, XR, gmm_row_stride(d, lanes));
    return XR;
}

const void *gmm_chunk_convert_f64(const double *X, size_t n_rows, size_t d,
                                  const double *origin, void *XT, void *XR)
{
    (void)origin;
    return convert_f64(X, n_rows, d, XT, XR, 4);
}

const void *gmm_chunk_convert_f64_wide(const double *X, size_t n_rows,
                                       size_t d, const double *origin,
                                       void *XT, void *XR)
{
    (void)origin;
    return convert_f64(X, n_rows, d, XT, XR, 8);
}

const void *gmm_chunk_convert_f32(const double *X, size_t n_rows, size_t d,
                                  const double *origin, void *XT, void *XR)
{
    return convert_f32(X, n_rows, d, origin, XT, XR, 8);
}

const void *gmm_chunk_convert_f32_wide(const double *X, size_t n_rows,
                                       size_t d, const double *origin,
                                       void *XT, void *XR)
{
    return convert_f32(X, n_rows, d, origin, XT, XR, 16);
}
