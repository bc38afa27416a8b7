/*
 * accumulate.c — chunks folded into sufficient statistics (accumulate.h).
 *
 * Accumulation uses the hand-written kernels of kernels/scatter.h rather than
 * BLAS: at a chunk of 256 rows BLAS calls spend most of their time packing
 * (perf: 45% of a D = K = 16 full iteration was OpenBLAS copy routines and
 * call overhead), and inside our OpenMP threads a threaded BLAS would
 * oversubscribe. Cost per row and component (flops, a multiply-add is 2):
 * full and tied D(D+1) + 3D; diag 5D; spherical 5D.
 */
#include "em/accumulate.h"

#include <stdlib.h>
#include <string.h>

#include "kernels/chunk.h"
#include "kernels/layout.h"
#include "model/params.h"
#include "util/error.h"

/* The accumulation kernels, in float64 and float32 (kernels/real.h). */
#define GMM_CHUNK_F32 0
#include "kernels/scatter.h"
#include "kernels/scatter_lanes.h"
#undef GMM_CHUNK_F32
#define GMM_CHUNK_F32 1
#include "kernels/scatter.h"
#include "kernels/scatter_lanes.h"
#undef GMM_CHUNK_F32

/* Work: the padded row-major chunk (full and tied, when D is not a whole
 * number of vectors), then accumulate_full's. */
size_t gmm_stats_work_size(size_t n_components, size_t n_features)
{
    return GMM_CHUNK_ROWS * row_stride_f64(n_features) +
           full_work_size_f64(n_components, n_features);
}

GMM_KERNEL
void gmm_stats_accumulate(gmm_stats *stats, const double *X, const double *XT,
                          size_t n_rows, const double *resp,
                          const double *shifts, double *work)
{
    size_t d = stats->n_features, rs = row_stride_f64(d);
    const double *XR = X;
    int full = gmm_layout_is_matrix(stats->layout);
    if (gmm_stats_by_lanes(stats->layout, d)) {
        accumulate_lanes_f64(stats, XT, n_rows, resp, shifts, d);
        return;
    }
    if (full && rs != d) {
        /* Feature by feature: row by row, GCC made each row's short copy
         * and padding library calls (29% of a D = 2 M-step, perf). */
        double *padded = work;
        memset(padded, 0, n_rows * rs * sizeof *padded);
        for (size_t j = 0; j < d; j++)
            for (size_t i = 0; i < n_rows; i++)
                padded[i * rs + j] = X[i * d + j];
        XR = padded;
    }
    accumulate_chunk_f64(stats, XT, XR, n_rows, resp, shifts, d,
                         work + GMM_CHUNK_ROWS * rs);
}

size_t gmm_stats_work_size_f32(size_t n_components, size_t n_features)
{
    return full_work_size_f32(n_components, n_features);
}

GMM_KERNEL
void gmm_stats_accumulate_f32(gmm_stats *stats, const float *XT,
                              const float *XR, size_t n_rows,
                              const float *resp, const float *shifts,
                              double *work)
{
    size_t pd = gmm_padded_features(stats->n_features);
    if (gmm_stats_by_lanes(stats->layout, stats->n_features))
        accumulate_lanes_f32(stats, XT, n_rows, resp, shifts, pd);
    else
        accumulate_chunk_f32(stats, XT, XR, n_rows, resp, shifts, pd, work);
}

int gmm_stats_by_lanes(gmm_covariance_layout layout, size_t n_features)
{
    return gmm_layout_is_matrix(layout) && n_features <= GMM_LANES_MAX_FEATURES;
}
