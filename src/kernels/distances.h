/*
 * distances.h — kernel template (kernels/real.h): the E-step's squared
 * Mahalanobis distances on a transposed chunk, in float64 or float32.
 * Included by kernels/instance.h once per element type; no include
 * guard.
 *
 * In float32 a register holds 8 rows instead of 4, so the same loops do
 * twice the rows per instruction and read half the bytes.
 */
#include "kernels/real.h"

/* One feature j of the product: a[v][c] += U[j][c0 + c] (x_vj - mean_j)
 * for the nr row vectors v and the columns c >= first (U's entries left
 * of the diagonal are zero: first skips them in the diagonal block). */
GMM_INLINE void GMM_K(distance_step)(const GMM_R *XT, size_t i0, int nr,
                                     size_t j, int first, GMM_R mean_j,
                                     const GMM_R *uj, GMM_V a[3][4])
{
    GMM_V y[3];
    for (int v = 0; v < nr; v++)
        y[v] = GMM_VLOAD(XT + j * GMM_LANE_STRIDE + i0 + v * GMM_VL) - mean_j;
    for (int c = first; c < 4; c++)
        for (int v = 0; v < nr; v++)
            a[v][c] += uj[c] * y[v];
}

/* dist = |(x - mean) U|^2 for the nr row vectors at i0: column blocks of
 * 4, each the full rows j < c0 of U and then its 4 x 4 diagonal
 * triangle, 10 multiply-adds instead of 16. */
GMM_INLINE void GMM_K(distance_rows)(const GMM_R *XT, size_t i0, int nr,
                                     size_t d, size_t pd, const GMM_R *mean,
                                     const GMM_R *u, GMM_R *dist)
{
    GMM_V sum[3] = {{0}};
    for (size_t c0 = 0; c0 < pd; c0 += 4) {
        GMM_V a[3][4] = {{{0}}};
        const GMM_R *uc = u + c0;
        for (size_t j = 0; j < c0; j++)
            GMM_K(distance_step)(XT, i0, nr, j, 0, mean[j], uc + j * pd, a);
        /* Features beyond d are zero in the chunk, U and the mean. */
        GMM_K(distance_step)(XT, i0, nr, c0, 0, mean[c0], uc + c0 * pd, a);
        if (c0 + 1 < d)
            GMM_K(distance_step)(XT, i0, nr, c0 + 1, 1, mean[c0 + 1],
                                 uc + (c0 + 1) * pd, a);
        if (c0 + 2 < d)
            GMM_K(distance_step)(XT, i0, nr, c0 + 2, 2, mean[c0 + 2],
                                 uc + (c0 + 2) * pd, a);
        if (c0 + 3 < d)
            GMM_K(distance_step)(XT, i0, nr, c0 + 3, 3, mean[c0 + 3],
                                 uc + (c0 + 3) * pd, a);
        for (int v = 0; v < nr; v++)
            sum[v] += (a[v][0] * a[v][0] + a[v][1] * a[v][1]) +
                      (a[v][2] * a[v][2] + a[v][3] * a[v][3]);
    }
    for (int v = 0; v < nr; v++)
        GMM_VSTORE(dist + i0 + v * GMM_VL, sum[v]);
}

/* dist[i] = |(x_i - mean) U|^2 for U upper triangular, padded to pd x pd
 * (zeros below the diagonal and beyond d; mean zero-padded to pd).
 * Cost per row: D subtractions per column block for the centring (on the
 * FP-add pipes, which the FMAs leave idle), the triangle's D(D+1)/2
 * multiply-adds (the 4 x 4 diagonal blocks' zeros skipped), and 2D for
 * the squares. Form: 3 registers of rows x 4 columns of (x - mean) U are
 * 12 independent FMA chains (with the 3 centred rows and one broadcast,
 * all 16 AVX registers); U's entries are broadcast. Each call has a
 * constant row count, so the loops unroll into registers. */
GMM_INLINE void GMM_K(triangular_distances)(const GMM_R *XT, size_t lanes,
                                            size_t d, size_t pd,
                                            const GMM_R *mean, const GMM_R *u,
                                            GMM_R *dist)
{
    size_t i0 = 0;
    for (; i0 + 3 * GMM_VL <= lanes; i0 += 3 * GMM_VL)
        GMM_K(distance_rows)(XT, i0, 3, d, pd, mean, u, dist);
    if (lanes - i0 == 2 * GMM_VL)
        GMM_K(distance_rows)(XT, i0, 2, d, pd, mean, u, dist);
    else if (lanes - i0 == GMM_VL)
        GMM_K(distance_rows)(XT, i0, 1, d, pd, mean, u, dist);
}

/* dist[i] = sum_j ((x_ij - mean_j) scale_j)^2, scale_j = scale[j *
 * scale_stride] (diag: per feature; spherical: stride 0).
 * Cost per row: D subtractions (FP-add pipes), D multiplies and D FMAs
 * (FMA pipes): 2D FMA-pipe operations, half a cycle per row and feature per
 * core (float64). 4 registers of rows per step keep 4 FMA chains in
 * flight. */
GMM_INLINE void GMM_K(diagonal_distances)(const GMM_R *XT, size_t lanes,
                                          size_t d, const GMM_R *mean,
                                          const GMM_R *scale,
                                          size_t scale_stride, GMM_R *dist)
{
    for (size_t i0 = 0; i0 < lanes; i0 += 4 * GMM_VL) {
        GMM_V acc[4] = {{0}};
        for (size_t j = 0; j < d; j++) {
            const GMM_R *x = XT + j * GMM_LANE_STRIDE + i0;
            GMM_R m = mean[j], s = scale[j * scale_stride];
            for (int v = 0; v < 4; v++) {
                GMM_V y = (GMM_VLOAD(x + GMM_VL * v) - m) * s;
                acc[v] += y * y;
            }
        }
        for (int v = 0; v < 4; v++)
            GMM_VSTORE(dist + i0 + GMM_VL * v, acc[v]);
    }
}
