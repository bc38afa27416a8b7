/*
 * instance.h — every kernel of kernels/kernels.h, and its table, for the
 * element type GMM_CHUNK_F32 and the width GMM_CHUNK_WIDE select
 * (kernels/real.h): kernels_f64.c, kernels_f32.c and their _wide twins
 * are this file included once. No include guard.
 *
 * The E-step's kernels follow the covariance layout of the parameters
 * (kernels/layout.h): a matrix block is drawn by the triangular kernel, D
 * variances or one by the diagonal kernel (kernels/distances.h). We
 * always centre before multiplying: y = (x - mu) U. scikit-learn computes
 * x U - mu U instead, which cancels catastrophically when the data sit
 * far from the origin (features near 1e9 with unit spread lose all
 * digits). Costs per row and component (flops; a multiply-add is 2):
 * full/tied D centre + D(D+1) triangular product + 2D squared norm; diag
 * 4D; spherical 4D; then ~30 for the exp of the log-sum-exp.
 *
 * The statistics' kernels follow the statistics' layout: matrix blocks
 * across rows up to GMM_LANES_MAX_FEATURES (kernels/scatter_lanes.h),
 * from row-major rows beyond (kernels/scatter.h); diagonal and scalar
 * blocks across rows. They are hand-written rather than BLAS: at a chunk
 * of 256 rows BLAS calls spend most of their time packing, and inside our
 * OpenMP threads a threaded BLAS would oversubscribe (bench/RESULTS.md
 * notes 0 and 1). Cost per row and component (flops): full and tied D(D+1) +
 * 3D; diag 5D; spherical 5D.
 */
#include <math.h>

#include "kernels/chunk.h"
#include "kernels/distances.h"
#include "kernels/kernels.h"
#include "kernels/layout.h"
#include "kernels/log_sum_exp.h"
#include "kernels/real.h"
#include "kernels/scatter.h"
#include "kernels/scatter_lanes.h"
#include "kernels/transpose.h"

/* log_prob: distances, then offsets. The double type holds each
 * log-probability whole; float only what differs between components and
 * rows: -0.5 dist + (offset_k - the largest offset), the rest returned
 * as the chunk's shift (kernels/log_sum_exp.h says why). */
GMM_KERNEL
static double GMM_K(kernel_log_prob)(const gmm_kernel_params *params,
                                     const void *chunk, size_t n_rows,
                                     void *out)
{
    const GMM_R *XT = chunk, *means = params->means, *factors = params->factors;
    GMM_R *log_prob = out;
    size_t n_comp = params->n_components, d = params->n_features;
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d);
    gmm_covariance_layout layout = params->layout;
    size_t size = gmm_layout_block_size(layout, pd);
    double top = 0.0, constant = (double)d * GMM_LOG_2PI;
    if (GMM_RELATIVE_LOG_PROB) {
        top = -INFINITY;
        for (size_t k = 0; k < n_comp; k++)
            if (params->offsets[k] > top)
                top = params->offsets[k];
    }
    for (size_t k = 0; k < n_comp; k++) {
        const GMM_R *mean = means + k * pd;
        const GMM_R *factor = factors + gmm_layout_block_of(layout, k) * size;
        GMM_R *dist = log_prob + k * GMM_LANE_STRIDE;
        /* A 1 x 1 matrix is one scale: the diagonal kernel draws it with
         * the same two roundings, (x - mean) u and its square, without
         * the triangular kernel's padding to 4 columns (the per-column
         * mixtures of tabular data are D = 1 full fits). */
        if (gmm_layout_is_matrix(layout) && d > 1)
            GMM_K(triangular_distances)(XT, lanes, d, pd, mean, factor, dist);
        else if (gmm_layout_is_matrix(layout))
            GMM_K(diagonal_distances)(XT, lanes, 1, mean, factor, 0, dist);
        /* The stride a constant in each call: a scalar block's one scale
         * is then loaded once, not once per feature. */
        else if (gmm_layout_variance_stride(layout))
            GMM_K(diagonal_distances)(XT, lanes, d, mean, factor, 1, dist);
        else
            GMM_K(diagonal_distances)(XT, lanes, d, mean, factor, 0, dist);
        GMM_R offset = (GMM_R)(params->offsets[k] - top);
        if (GMM_RELATIVE_LOG_PROB)
            for (size_t i = 0; i < lanes; i++)
                dist[i] = (GMM_R)-0.5 * dist[i] + offset;
        else
            for (size_t i = 0; i < lanes; i++)
                dist[i] = -0.5 * (constant + dist[i]) + offset;
    }
    return GMM_RELATIVE_LOG_PROB ? top - 0.5 * (double)d * GMM_LOG_2PI : 0.0;
}

/* An element type that holds log-probabilities whole has no shift (its
 * log_prob returns 0): a constant, which costs its registers nothing. */
GMM_KERNEL
static void GMM_K(kernel_normalize)(void *log_prob, size_t n_rows,
                                    size_t n_comp, double shift,
                                    double *log_norm)
{
    GMM_K(normalize)(log_prob, n_rows, n_comp,
                     GMM_RELATIVE_LOG_PROB ? shift : 0.0, log_norm);
}

static void GMM_K(kernel_weigh)(void *resp, size_t n_rows, size_t n_comp,
                                const double *weights)
{
    GMM_R *r = resp;
    for (size_t k = 0; k < n_comp; k++)
        for (size_t i = 0; i < n_rows; i++)
            r[k * GMM_LANE_STRIDE + i] *= (GMM_R)weights[i];
}

static size_t GMM_K(kernel_accumulate_work_size)(gmm_covariance_layout layout,
                                                 size_t n_comp, size_t d)
{
    return gmm_layout_is_matrix(layout) ? GMM_K(full_work_size)(n_comp, d) : 0;
}

GMM_KERNEL
static void GMM_K(kernel_accumulate)(const gmm_sums *sums, const void *XT,
                                     const void *XR, size_t n_rows,
                                     const void *resp, const void *shifts,
                                     size_t shift_stride, double *work)
{
    if (gmm_layout_is_matrix(sums->layout) &&
        !gmm_kernels_read_rows(sums->layout, sums->n_features))
        GMM_K(accumulate_lanes)(sums, XT, n_rows, resp, shifts, shift_stride);
    else
        GMM_K(accumulate_chunk)(sums, XT, XR, n_rows, resp, shifts,
                                shift_stride, work);
}

static void GMM_K(kernel_store)(void *dst, double *values, size_t n)
{
    GMM_R *out = dst;
    for (size_t i = 0; i < n; i++) {
        out[i] = (GMM_R)values[i];
        values[i] = out[i];
    }
}

const gmm_kernels GMM_K(gmm_kernels) = {
    .dtype = GMM_DTYPE,
    .element_size = sizeof(GMM_R),
    .lanes = GMM_VL,
    .centres_rows = GMM_CENTRES_ROWS,
    .convert = GMM_K(gmm_chunk_convert),
    .log_prob = GMM_K(kernel_log_prob),
    .normalize = GMM_K(kernel_normalize),
    .weigh = GMM_K(kernel_weigh),
    .accumulate_work_size = GMM_K(kernel_accumulate_work_size),
    .accumulate = GMM_K(kernel_accumulate),
    .store = GMM_K(kernel_store),
};
