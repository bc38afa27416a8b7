/*
 * mstep.c — the M-step (mstep.h).
 *
 * With n = nk, m = nk + GMM_NK_EPSILON, a = s / m the move of the mean from
 * its shift c, and q the shifted scatter, scikit-learn's estimates are
 *   mean       = c + a
 *   covariance = sum_i r_i (x_i - mean)(x_i - mean)^T / m + reg_covar I
 *              = q / m - (2 - n / m) a a^T + reg_covar I.
 * Because c is the previous mean, a is small and nothing cancels. Tied sums
 * the scatter over components and divides by sum(m).
 */
#include "em/mstep.h"

#include <string.h>

#include "linalg/linalg.h"

/* cov = q / m - coef * a a^T, using q's upper triangle; fills both. */
static void centred_matrix(const double *q, const double *a, double coef,
                           double inv_m, size_t d, double *cov)
{
    for (size_t i = 0; i < d; i++)
        for (size_t j = i; j < d; j++)
            cov[i * d + j] = q[i * d + j] * inv_m - coef * a[i] * a[j];
}

void gmm_mstep(const gmm_stats *stats, const double *shifts, double reg_covar,
               double weight_total, gmm_params *out)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    double m_total = 0.0;
    for (size_t k = 0; k < n_comp; k++)
        m_total += stats->nk[k] + GMM_NK_EPSILON;

    if (stats->covariance_type == GMM_COVARIANCE_TIED)
        memset(out->covariances, 0, d * d * sizeof(double));
    for (size_t k = 0; k < n_comp; k++) {
        double n = stats->nk[k], m = n + GMM_NK_EPSILON, inv_m = 1.0 / m;
        double coef = 2.0 - n * inv_m;
        double *mean = out->means + k * d;
        const double *s = stats->sk + k * d, *c = shifts + k * d;
        out->weights[k] = m / (weight_total > 0.0 ? weight_total : m_total);

        /* The mean's move from its shift goes in mean first, then the
         * shift is added: the covariance needs the move alone. */
        for (size_t j = 0; j < d; j++)
            mean[j] = s[j] * inv_m;
        switch (stats->covariance_type) {
        case GMM_COVARIANCE_FULL:
            centred_matrix(stats->qk + k * d * d, mean, coef, inv_m, d,
                           out->covariances + k * d * d);
            break;
        case GMM_COVARIANCE_TIED:
            /* Accumulate m * (q_k / m - coef a a^T) = q_k - coef m a a^T;
             * q is already the sum over k, so subtract the corrections. */
            for (size_t i = 0; i < d; i++)
                for (size_t j = i; j < d; j++)
                    out->covariances[i * d + j] -= coef * m * mean[i] * mean[j];
            break;
        case GMM_COVARIANCE_DIAG:
            for (size_t j = 0; j < d; j++)
                out->covariances[k * d + j] = stats->qk[k * d + j] * inv_m -
                                              coef * mean[j] * mean[j] + reg_covar;
            break;
        case GMM_COVARIANCE_SPHERICAL: {
            double norm_sq = 0.0;
            for (size_t j = 0; j < d; j++)
                norm_sq += mean[j] * mean[j];
            out->covariances[k] = (stats->qk[k] * inv_m - coef * norm_sq) /
                                      (double)d + reg_covar;
            break;
        }
        }
        for (size_t j = 0; j < d; j++)
            mean[j] += c[j];
    }

    if (stats->covariance_type == GMM_COVARIANCE_TIED) {
        double inv_total = 1.0 / m_total;
        for (size_t i = 0; i < d; i++)
            for (size_t j = i; j < d; j++)
                out->covariances[i * d + j] =
                    (out->covariances[i * d + j] + stats->qk[i * d + j]) * inv_total;
    }
    if (stats->covariance_type == GMM_COVARIANCE_FULL ||
        stats->covariance_type == GMM_COVARIANCE_TIED) {
        size_t n_matrices = stats->covariance_type == GMM_COVARIANCE_FULL ? n_comp : 1;
        for (size_t k = 0; k < n_matrices; k++) {
            double *cov = out->covariances + k * d * d;
            gmm_linalg_symmetrize_from_upper(cov, d);
            for (size_t j = 0; j < d; j++)
                cov[j * d + j] += reg_covar;
        }
    }
}
