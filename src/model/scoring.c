/*
 * scoring.c — a chunk's log-densities for the scoring calls (scoring.h).
 */
#include "model/scoring.h"

#include <assert.h>
#include <math.h>

#include "kernels/chunk.h"
#include "kernels/layout.h"
#include "model/covariance.h"

size_t gmm_scoring_work_size(const gmm_kernel_params *params)
{
    return gmm_chunk_size(params->n_features) +
           params->n_components * GMM_LANE_STRIDE;
}

/* log w_k + log N(x | mean_k, cov_k) for a row whose squared distance
 * overflowed in the kernels (deviations of about 1e154 or more, squared
 * past DBL_MAX), where the density itself may still be a double: the row
 * and the mean are scaled by 2^-e (exact), |x|, |mean| < 2^e, before they
 * are centred and multiplied, and the distance, sum * 2^2e, is halved in
 * that form, so that only a log-density below -DBL_MAX gives -inf. */
static double far_row_log_prob(const gmm_params *params, const double *x,
                               size_t k)
{
    size_t d = params->n_features;
    const double *mean = params->means + k * d;
    double largest = 0.0;
    for (size_t j = 0; j < d; j++)
        largest = fmax(largest, fmax(fabs(x[j]), fabs(mean[j])));
    int e;
    frexp(largest, &e);
    double sum = 0.0;
    gmm_covariance_layout layout =
        gmm_covariance_model_of(params->covariance_type)->covariances;
    const double *factor = params->precisions_chol +
                           gmm_layout_block_of(layout, k) *
                               gmm_layout_block_size(layout, d);
    if (gmm_layout_is_matrix(layout)) {
        for (size_t c = 0; c < d; c++) {
            double y = 0.0;
            for (size_t j = 0; j <= c; j++)
                y += (ldexp(x[j], -e) - ldexp(mean[j], -e)) * factor[j * d + c];
            sum += y * y;
        }
    } else {
        size_t stride = gmm_layout_variance_stride(layout);
        for (size_t j = 0; j < d; j++) {
            double y = (ldexp(x[j], -e) - ldexp(mean[j], -e)) * factor[j * stride];
            sum += y * y;
        }
    }
    double half_distance = ldexp(sum, 2 * e - 1);
    return -half_distance - 0.5 * (double)d * GMM_LOG_2PI +
           params->log_det_chol[k] + log(params->weights[k]);
}

/* The E-step's kernels (in double, whose log-probabilities need no
 * shift), then one transpose of the K x n result; a value the kernels
 * could not hold is computed again by far_row_log_prob. */
void gmm_scoring_log_prob(const gmm_kernel_params *params,
                          const gmm_params *src, const double *X,
                          size_t n_rows, double *log_prob, double *work)
{
    const gmm_kernels *kernels = params->kernels;
    size_t n_comp = params->n_components, d = params->n_features;
    double *XT = work, *chunk = work + gmm_chunk_size(d);
    kernels->convert(X, n_rows, d, params->origin, XT, NULL);
    double shift = kernels->log_prob(params, XT, n_rows, chunk);
    assert(shift == 0.0);
    (void)shift;
    for (size_t i = 0; i < n_rows; i++)
        for (size_t k = 0; k < n_comp; k++) {
            double value = chunk[k * GMM_LANE_STRIDE + i];
            log_prob[i * n_comp + k] =
                isfinite(value) ? value : far_row_log_prob(src, X + i * d, k);
        }
}

void gmm_scoring_normalize(double *log_prob, size_t n_rows,
                           size_t n_components, double *log_norm)
{
    for (size_t i = 0; i < n_rows; i++) {
        double *row = log_prob + i * n_components;
        double max = row[0];
        for (size_t k = 1; k < n_components; k++)
            if (row[k] > max)
                max = row[k];
        /* Below the range under every component: p(x) is 0 in doubles,
         * its log -inf (scikit-learn's score_samples), and there are no
         * responsibilities to give (NaN, which the caller refuses). */
        if (max == -INFINITY) {
            for (size_t k = 0; k < n_components; k++)
                row[k] = NAN;
            log_norm[i] = -INFINITY;
            continue;
        }
        double sum = 0.0;
        for (size_t k = 0; k < n_components; k++) {
            row[k] = exp(row[k] - max);
            sum += row[k];
        }
        double inv = 1.0 / sum;
        for (size_t k = 0; k < n_components; k++)
            row[k] *= inv;
        log_norm[i] = max + log(sum);
    }
}
