/*
 * log_prob.c — log-densities of a chunk of rows under the mixture: the one
 * kernel shared by the E-step, predict, predict_proba and score.
 *
 * We always centre before multiplying: y = (x - mu) U. scikit-learn computes
 * x U - mu U instead, which cancels catastrophically when the data sit far
 * from the origin (features near 1e9 with unit spread lose all digits).
 *
 * Cost per row and component: full/tied D + D^2 flops (centre, triangular
 * multiply by U, squared norm); diag 3D; spherical 3D.
 */
#include "model/params.h"

#include <cblas.h>
#include <math.h>

/* log(2 pi), to 17 digits. */
#define GMM_LOG_2PI 1.8378770664093455

size_t gmm_log_prob_work_size(const gmm_params *params, size_t n_rows)
{
    return n_rows * params->n_features;
}

void gmm_params_log_weights(const gmm_params *params, double *log_weights)
{
    for (size_t k = 0; k < params->n_components; k++)
        log_weights[k] = log(params->weights[k]);
}

/* Squared Mahalanobis distances of each row to mean under the triangular
 * factor u: |(x - mean) u|^2. `centred` is n_rows x d scratch. */
static void mahalanobis_triangular(const double *X, size_t n_rows, size_t d,
                                   const double *mean, const double *u,
                                   double *centred, double *dist, size_t stride)
{
    for (size_t i = 0; i < n_rows; i++)
        for (size_t j = 0; j < d; j++)
            centred[i * d + j] = X[i * d + j] - mean[j];
    cblas_dtrmm(CblasRowMajor, CblasRight, CblasUpper, CblasNoTrans,
                CblasNonUnit, (int)n_rows, (int)d, 1.0, u, (int)d, centred,
                (int)d);
    for (size_t i = 0; i < n_rows; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < d; j++)
            sum += centred[i * d + j] * centred[i * d + j];
        dist[i * stride] = sum;
    }
}

/* The same with a diagonal factor: scale[j] per feature (diag) or one
 * scale for all (spherical, scale_stride 0). */
static void mahalanobis_diagonal(const double *X, size_t n_rows, size_t d,
                                 const double *mean, const double *scale,
                                 size_t scale_stride, double *dist,
                                 size_t stride)
{
    for (size_t i = 0; i < n_rows; i++) {
        double sum = 0.0;
        for (size_t j = 0; j < d; j++) {
            double y = (X[i * d + j] - mean[j]) * scale[j * scale_stride];
            sum += y * y;
        }
        dist[i * stride] = sum;
    }
}

void gmm_weighted_log_prob(const gmm_params *params, const double *log_weights,
                           const double *X, size_t n_rows, double *log_prob,
                           double *work)
{
    size_t n_comp = params->n_components, d = params->n_features;
    for (size_t k = 0; k < n_comp; k++) {
        const double *mean = params->means + k * d;
        double *column = log_prob + k;
        switch (params->covariance_type) {
        case GMM_COVARIANCE_FULL:
            mahalanobis_triangular(X, n_rows, d, mean,
                                   params->precisions_chol + k * d * d, work,
                                   column, n_comp);
            break;
        case GMM_COVARIANCE_TIED:
            mahalanobis_triangular(X, n_rows, d, mean, params->precisions_chol,
                                   work, column, n_comp);
            break;
        case GMM_COVARIANCE_DIAG:
            mahalanobis_diagonal(X, n_rows, d, mean,
                                 params->precisions_chol + k * d, 1, column,
                                 n_comp);
            break;
        case GMM_COVARIANCE_SPHERICAL:
            mahalanobis_diagonal(X, n_rows, d, mean,
                                 params->precisions_chol + k, 0, column, n_comp);
            break;
        }
        double offset = params->log_det_chol[k] + log_weights[k];
        double constant = (double)d * GMM_LOG_2PI;
        for (size_t i = 0; i < n_rows; i++)
            column[i * n_comp] = -0.5 * (constant + column[i * n_comp]) + offset;
    }
}

void gmm_normalize_log_prob(double *log_prob, size_t n_rows, size_t n_components,
                            double *log_norm)
{
    for (size_t i = 0; i < n_rows; i++) {
        double *row = log_prob + i * n_components;
        double max = row[0];
        for (size_t k = 1; k < n_components; k++)
            if (row[k] > max)
                max = row[k];
        double sum = 0.0;
        for (size_t k = 0; k < n_components; k++) {
            row[k] = exp(row[k] - max);
            sum += row[k];
        }
        /* Dividing by the sum normalizes exactly what was summed; the
         * log-norm is max + log(sum), as scipy's logsumexp. */
        double inv = 1.0 / sum;
        for (size_t k = 0; k < n_components; k++)
            row[k] *= inv;
        log_norm[i] = max + log(sum);
    }
}
