/*
 * distances.h — kernel template (model/chunk_real.h): the E-step's squared
 * Mahalanobis distances on a transposed chunk, in float64 or float32.
 * Included by model/log_prob.c once per element type; no include guard.
 *
 * In float32 a register holds 8 rows instead of 4, so the same loops do
 * twice the rows per instruction and read half the bytes.
 */
#include "model/chunk_real.h"

/* dist[i] = |(x_i - mean) U|^2 for U upper triangular, padded to pd x pd
 * (zeros below the diagonal and beyond d; mean zero-padded to pd).
 * Cost per row: D subtractions for the centring, the triangle's D(D+1)/2
 * multiply-adds rounded up to 4-column blocks (at D = 16: 160 executed for
 * 136 needed), and 2D for the squares.
 * Form: 2 registers of rows x 4 columns of (x - mean) U are 8 independent
 * FMA chains, enough to cover the FMA latency on both pipes; U's entries
 * are broadcast; the centring is redone per column block, on the FP-add
 * pipes that the FMAs leave idle. Named accumulators, not an array: GCC 12
 * kept an a[4][2] array partly on the stack. Measured (perf, N = 1M,
 * D = K = 16, one thread, float64): the former OpenBLAS dtrmm + dsyrk per
 * chunk and component took 1.3 s per iteration, 45% of it in OpenBLAS
 * packing and call overhead; this kernel with a separate centring pass
 * 0.30 s per E-step, with the centring fused 0.18 s. */
GMM_INLINE void GMM_K(triangular_distances)(const GMM_R *XT, size_t lanes,
                                            size_t d, size_t pd,
                                            const GMM_R *mean, const GMM_R *u,
                                            GMM_R *dist)
{
    for (size_t i0 = 0; i0 < lanes; i0 += 2 * GMM_VL) {
        GMM_V d0 = {0}, d1 = {0};
        for (size_t c0 = 0; c0 < pd; c0 += 4) {
            GMM_V a00 = {0}, a01 = {0}, a10 = {0}, a11 = {0};
            GMM_V a20 = {0}, a21 = {0}, a30 = {0}, a31 = {0};
            /* Rows of U beyond the block's last column, or beyond d, are 0. */
            size_t j_end = c0 + 4 < d ? c0 + 4 : d;
            for (size_t j = 0; j < j_end; j++) {
                const GMM_R *x = XT + j * GMM_LANE_STRIDE + i0;
                GMM_V y0 = GMM_VLOAD(x) - mean[j];
                GMM_V y1 = GMM_VLOAD(x + GMM_VL) - mean[j];
                const GMM_R *uj = u + j * pd + c0;
                a00 += uj[0] * y0, a01 += uj[0] * y1;
                a10 += uj[1] * y0, a11 += uj[1] * y1;
                a20 += uj[2] * y0, a21 += uj[2] * y1;
                a30 += uj[3] * y0, a31 += uj[3] * y1;
            }
            d0 += a00 * a00 + a10 * a10 + a20 * a20 + a30 * a30;
            d1 += a01 * a01 + a11 * a11 + a21 * a21 + a31 * a31;
        }
        GMM_VSTORE(dist + i0, d0);
        GMM_VSTORE(dist + i0 + GMM_VL, d1);
    }
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
