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
#include "model/mstep.h"

#include <string.h>

#include "linalg/linalg.h"
#include "model/covariance.h"

/* Component k's m, 1 / m and the coefficient 2 - n / m of a a^T. */
static double move_coefficient(const gmm_stats *stats, size_t k, double *m,
                               double *inv_m)
{
    double n = stats->nk[k];
    *m = n + GMM_NK_EPSILON;
    *inv_m = 1.0 / *m;
    return 2.0 - n * *inv_m;
}

/* Matrices whose upper triangle is set: mirrored, reg_covar added to the
 * diagonal. */
static void finish_matrices(double *covariances, size_t n_matrices, size_t d,
                            double reg_covar)
{
    for (size_t k = 0; k < n_matrices; k++) {
        double *cov = covariances + k * d * d;
        gmm_linalg_symmetrize_from_upper(cov, d);
        for (size_t j = 0; j < d; j++)
            cov[j * d + j] += reg_covar;
    }
}

void gmm_mstep_full(const gmm_stats *stats, const double *moves,
                    double m_total, double reg_covar, double *covariances)
{
    (void)m_total;
    size_t n_comp = stats->n_components, d = stats->n_features;
    for (size_t k = 0; k < n_comp; k++) {
        double m, inv_m, coef = move_coefficient(stats, k, &m, &inv_m);
        const double *q = stats->qk + k * d * d, *a = moves + k * d;
        double *cov = covariances + k * d * d;
        for (size_t i = 0; i < d; i++)
            for (size_t j = i; j < d; j++)
                cov[i * d + j] = q[i * d + j] * inv_m - coef * a[i] * a[j];
    }
    finish_matrices(covariances, n_comp, d, reg_covar);
}

void gmm_mstep_tied(const gmm_stats *stats, const double *moves,
                    double m_total, double reg_covar, double *covariances)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    /* sum_k m_k (q_k / m_k - coef_k a_k a_k^T) = q - sum_k coef_k m_k a_k
     * a_k^T, q being the scatter summed over k: the corrections first. */
    memset(covariances, 0, d * d * sizeof *covariances);
    for (size_t k = 0; k < n_comp; k++) {
        double m, inv_m, coef = move_coefficient(stats, k, &m, &inv_m);
        const double *a = moves + k * d;
        for (size_t i = 0; i < d; i++)
            for (size_t j = i; j < d; j++)
                covariances[i * d + j] -= coef * m * a[i] * a[j];
    }
    double inv_total = 1.0 / m_total;
    for (size_t i = 0; i < d; i++)
        for (size_t j = i; j < d; j++)
            covariances[i * d + j] =
                (covariances[i * d + j] + stats->qk[i * d + j]) * inv_total;
    finish_matrices(covariances, 1, d, reg_covar);
}

void gmm_mstep_diag(const gmm_stats *stats, const double *moves,
                    double m_total, double reg_covar, double *covariances)
{
    (void)m_total;
    size_t d = stats->n_features;
    for (size_t k = 0; k < stats->n_components; k++) {
        double m, inv_m, coef = move_coefficient(stats, k, &m, &inv_m);
        const double *a = moves + k * d;
        for (size_t j = 0; j < d; j++)
            covariances[k * d + j] = stats->qk[k * d + j] * inv_m -
                                     coef * a[j] * a[j] + reg_covar;
    }
}

void gmm_mstep_spherical(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances)
{
    (void)m_total;
    size_t d = stats->n_features;
    for (size_t k = 0; k < stats->n_components; k++) {
        double m, inv_m, coef = move_coefficient(stats, k, &m, &inv_m);
        const double *a = moves + k * d;
        double norm_sq = 0.0;
        for (size_t j = 0; j < d; j++)
            norm_sq += a[j] * a[j];
        covariances[k] = (stats->qk[k] * inv_m - coef * norm_sq) / (double)d +
                         reg_covar;
    }
}

void gmm_mstep(const gmm_stats *stats, const double *shifts, double reg_covar,
               double weight_total, gmm_params *out)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    double m_total = 0.0;
    for (size_t k = 0; k < n_comp; k++)
        m_total += stats->nk[k] + GMM_NK_EPSILON;
    /* The means' moves from their shifts go in means first, then the
     * shifts are added: the covariances need the moves alone. */
    for (size_t k = 0; k < n_comp; k++) {
        double m = stats->nk[k] + GMM_NK_EPSILON, inv_m = 1.0 / m;
        out->weights[k] = m / (weight_total > 0.0 ? weight_total : m_total);
        for (size_t j = 0; j < d; j++)
            out->means[k * d + j] = stats->sk[k * d + j] * inv_m;
    }
    gmm_covariance_model_of(out->covariance_type)
        ->mstep(stats, out->means, m_total, reg_covar, out->covariances);
    for (size_t k = 0; k < n_comp; k++)
        for (size_t j = 0; j < d; j++)
            out->means[k * d + j] += shifts[k * d + j];
}
