/*
 * log_prob.c — log-densities of a chunk of rows under the mixture, and the
 * log-sum-exp that turns them into responsibilities: the E-step's kernels,
 * also behind predict, predict_proba and score.
 *
 * We always centre before multiplying: y = (x - mu) U. scikit-learn computes
 * x U - mu U instead, which cancels catastrophically when the data sit far
 * from the origin (features near 1e9 with unit spread lose all digits).
 *
 * Everything works on the transposed chunk of kernels/chunk.h, vectorised
 * across rows. Costs per row and component (flops; a multiply-add is 2):
 * full/tied D centre + D(D+1) triangular product + 2D squared norm; diag 4D;
 * spherical 4D; then ~30 for the exp of the log-sum-exp.
 */
#include "model/log_prob.h"

#include <math.h>

#include "kernels/chunk.h"
#include "kernels/layout.h"
#include "kernels/vmath.h"
#include "model/covariance.h"

/* log(2 pi), to 17 digits. */
#define GMM_LOG_2PI 1.8378770664093455

size_t gmm_chunk_log_prob_work_size(const gmm_params *params)
{
    size_t pd = gmm_padded_features(params->n_features);
    return pd * pd + pd;
}

/* The distance kernels, in float64 and float32 (kernels/real.h). */
#define GMM_CHUNK_F32 0
#include "kernels/distances.h"
#undef GMM_CHUNK_F32
#define GMM_CHUNK_F32 1
#include "kernels/distances.h"
#undef GMM_CHUNK_F32

GMM_KERNEL
void gmm_chunk_log_prob(const gmm_params *params, const double *log_weights,
                        const double *XT, size_t n_rows, double *log_prob,
                        double *work)
{
    size_t n_comp = params->n_components, d = params->n_features;
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d);
    double *u = work, *mean_padded = work + pd * pd;
    double constant = (double)d * GMM_LOG_2PI;
    gmm_covariance_layout layout =
        gmm_covariance_model_of(params->covariance_type)->covariances;
    size_t size = gmm_layout_block_size(layout, d);
    for (size_t k = 0; k < n_comp; k++) {
        const double *mean = params->means + k * d;
        const double *chol = params->precisions_chol +
                             gmm_layout_block_of(layout, k) * size;
        double *dist = log_prob + k * GMM_LANE_STRIDE;
        if (gmm_layout_is_matrix(layout)) {
            /* The upper triangle, zero-padded: pd^2 copies per chunk, under
             * 1% of the product at D = 16. */
            for (size_t j = 0; j < pd; j++)
                for (size_t c = 0; c < pd; c++)
                    u[j * pd + c] = j <= c && c < d ? chol[j * d + c] : 0.0;
            for (size_t j = 0; j < pd; j++)
                mean_padded[j] = j < d ? mean[j] : 0.0;
            triangular_distances_f64(XT, lanes, d, pd, mean_padded, u, dist);
        } else if (gmm_layout_variance_stride(layout)) {
            /* The stride a constant in each call: a scalar block's one
             * scale is then loaded once, not once per feature. */
            diagonal_distances_f64(XT, lanes, d, mean, chol, 1, dist);
        } else {
            diagonal_distances_f64(XT, lanes, d, mean, chol, 0, dist);
        }
        double offset = params->log_det_chol[k] + log_weights[k];
        for (size_t i = 0; i < lanes; i++)
            dist[i] = -0.5 * (constant + dist[i]) + offset;
    }
}

/* The float32 E-step (gmm_options.dtype): the distances in float on the
 * float chunk, from the factors and means that gmm_params_f32_set rounded
 * once per pass. Only what differs between components and rows is float:
 * log_prob = -0.5 dist + (offset_k - the largest offset), where offset_k =
 * log_det_chol_k + log_weight_k; the rest, the same for the whole chunk,
 * is returned in double (log_sum_exp.h). */
GMM_KERNEL
double gmm_chunk_log_prob_f32(const gmm_params_f32 *params,
                              const double *log_weights, const float *XT,
                              size_t n_rows, float *log_prob)
{
    size_t n_comp = params->n_components, d = params->n_features;
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d);
    double top = -INFINITY;
    for (size_t k = 0; k < n_comp; k++)
        if (params->log_det_chol[k] + log_weights[k] > top)
            top = params->log_det_chol[k] + log_weights[k];
    gmm_covariance_layout layout =
        gmm_covariance_model_of(params->covariance_type)->covariances;
    size_t size = gmm_layout_block_size(layout, pd);
    for (size_t k = 0; k < n_comp; k++) {
        const float *mean = params->means + k * pd;
        const float *chol = params->precisions_chol +
                            gmm_layout_block_of(layout, k) * size;
        float *dist = log_prob + k * GMM_LANE_STRIDE;
        if (gmm_layout_is_matrix(layout))
            triangular_distances_f32(XT, lanes, d, pd, mean, chol, dist);
        else if (gmm_layout_variance_stride(layout))
            diagonal_distances_f32(XT, lanes, d, mean, chol, 1, dist);
        else
            diagonal_distances_f32(XT, lanes, d, mean, chol, 0, dist);
        float offset = (float)(params->log_det_chol[k] + log_weights[k] - top);
        for (size_t i = 0; i < lanes; i++)
            dist[i] = -0.5f * dist[i] + offset;
    }
    return top - 0.5 * (double)d * GMM_LOG_2PI;
}

/* What the log-sum-exp template (kernels/log_sum_exp.h) needs of each
 * element type: the exp, and a vector's lanes in double for the log. */
GMM_INLINE gmm_v4d exp_f64(gmm_v4d x) { return exp4(x); }
GMM_INLINE gmm_v8f exp_f32(gmm_v8f x) { return exp8f(x); }
GMM_INLINE gmm_v4d quarter_f64(gmm_v4d v, int q) { (void)q; return v; }
GMM_INLINE gmm_v4d quarter_f32(gmm_v8f v, int q)
{
    return q ? gmm_high8f(v) : gmm_low8f(v);
}

#define GMM_CHUNK_F32 0
#include "kernels/log_sum_exp.h"
#undef GMM_CHUNK_F32
#define GMM_CHUNK_F32 1
#include "kernels/log_sum_exp.h"
#undef GMM_CHUNK_F32

/* float64: responsibilities in place (params.h). */
GMM_KERNEL
void gmm_chunk_normalize(double *log_prob, size_t n_rows, size_t n_comp,
                         double *log_norm)
{
    normalize_f64(log_prob, n_rows, n_comp, 0.0, log_norm);
}

/* float32: the same in float, around the chunk's shift (log_sum_exp.h
 * says what is float and why). A step is 8 rows, a block of 32 rows 4
 * steps; each step's log is two log4. Measured (one 256-row chunk, CPU
 * time, min of 9, interleaved with the former one-step-at-a-time
 * kernel): K = 2 5.3 -> 3.7 ns per row, K = 3 6.4 -> 4.9, K = 16 17.8 ->
 * 15.3; bit-identical results. */
GMM_KERNEL
void gmm_chunk_normalize_f32(float *log_prob, size_t n_rows, size_t n_comp,
                             double shift, double *log_norm)
{
    normalize_f32(log_prob, n_rows, n_comp, shift, log_norm);
}

