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
 *
 * mclust's models start from the same estimates: W_k = m_k S_k, S_k the
 * full (or diagonal, or trace) estimate above without reg_covar, the
 * scatter their formulas are written in; then each closed form below, or
 * an iteration of its own (mstep_iterative.c). reg_covar is added last.
 */
#include "model/mstep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/layout.h"
#include "linalg/linalg.h"
#include "model/covariance.h"
#include "util/error.h"

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

gmm_status gmm_mstep_full(const gmm_stats *stats, const double *moves,
                          double m_total, double reg_covar, double *covariances,
                          gmm_error *err)
{
    (void)err;
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
    return GMM_OK;
}

gmm_status gmm_mstep_tied(const gmm_stats *stats, const double *moves,
                          double m_total, double reg_covar, double *covariances,
                          gmm_error *err)
{
    (void)err;
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
    return GMM_OK;
}

gmm_status gmm_mstep_diag(const gmm_stats *stats, const double *moves,
                          double m_total, double reg_covar, double *covariances,
                          gmm_error *err)
{
    (void)err;
    (void)m_total;
    size_t d = stats->n_features;
    for (size_t k = 0; k < stats->n_components; k++) {
        double m, inv_m, coef = move_coefficient(stats, k, &m, &inv_m);
        const double *a = moves + k * d;
        for (size_t j = 0; j < d; j++)
            covariances[k * d + j] = stats->qk[k * d + j] * inv_m -
                                     coef * a[j] * a[j] + reg_covar;
    }
    return GMM_OK;
}

gmm_status gmm_mstep_spherical(const gmm_stats *stats, const double *moves,
                               double m_total, double reg_covar,
                               double *covariances, gmm_error *err)
{
    (void)err;
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
    return GMM_OK;
}

/* Statistics re-expressed around the fixed means (exact algebra,
 * model/stats.h), and K x D zero moves: the covariance M-steps then read
 * the scatter around those means, q' / m, whatever the model. */
static gmm_status around_fixed_means(const gmm_stats *stats,
                                     const double *shifts,
                                     const double *means, gmm_stats *around,
                                     double **zero_moves, gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    gmm_status status = gmm_stats_alloc(around, n_comp, d, stats->layout, err);
    if (status != GMM_OK)
        return status;
    *zero_moves = calloc(n_comp * d, sizeof **zero_moves);
    if (!*zero_moves) {
        gmm_stats_release(around);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the M-step "
                        "around fixed means");
    }
    gmm_stats_copy(around, stats);
    memcpy(around->shifts, shifts, n_comp * d * sizeof *shifts);
    gmm_stats_reshift(around, means);
    return GMM_OK;
}

gmm_status gmm_mstep(const gmm_stats *stats, const double *shifts,
                     const gmm_options *o, double weight_total,
                     gmm_params *out, gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    double m_total = 0.0;
    for (size_t k = 0; k < n_comp; k++)
        m_total += stats->nk[k] + GMM_NK_EPSILON;
    for (size_t k = 0; k < n_comp; k++) {
        double m = stats->nk[k] + GMM_NK_EPSILON;
        if (o->equal_weights)
            out->weights[k] = 1.0 / (double)n_comp;
        else if (!(o->fixed & GMM_FIX_WEIGHTS))
            out->weights[k] = m / (weight_total > 0.0 ? weight_total : m_total);
    }
    if (o->fixed & GMM_FIX_MEANS) {
        if (o->fixed & GMM_FIX_COVARIANCES)
            return GMM_OK;
        gmm_stats around;
        double *zero_moves = NULL;
        gmm_status status = around_fixed_means(stats, shifts, out->means,
                                               &around, &zero_moves, err);
        if (status == GMM_OK)
            status = gmm_covariance_model_of(out->covariance_type)
                         ->mstep(&around, zero_moves, m_total, o->reg_covar,
                                 out->covariances, err);
        if (zero_moves) {
            free(zero_moves);
            gmm_stats_release(&around);
        }
        return status;
    }
    /* The means' moves from their shifts go in means first, then the
     * shifts are added: the covariances need the moves alone. */
    for (size_t k = 0; k < n_comp; k++) {
        double inv_m = 1.0 / (stats->nk[k] + GMM_NK_EPSILON);
        for (size_t j = 0; j < d; j++)
            out->means[k * d + j] = stats->sk[k * d + j] * inv_m;
    }
    gmm_status status = GMM_OK;
    if (!(o->fixed & GMM_FIX_COVARIANCES))
        status = gmm_covariance_model_of(out->covariance_type)
                     ->mstep(stats, out->means, m_total, o->reg_covar,
                             out->covariances, err);
    for (size_t k = 0; k < n_comp; k++)
        for (size_t j = 0; j < d; j++)
            out->means[k * d + j] += shifts[k * d + j];
    return status;
}

gmm_status gmm_mstep_params(const gmm_stats *stats, const gmm_options *o,
                            gmm_params *out, gmm_error *err)
{
    gmm_status status = gmm_mstep(stats, stats->shifts, o, 0.0, out, err);
    if (status == GMM_OK && !(o->fixed & GMM_FIX_COVARIANCES))
        status = gmm_params_update_precisions(out, err);
    return status;
}

/* ---- The parts of mclust's models (mstep.h) ---------------------------- */

double gmm_mstep_geometric_mean(const double *values, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += log(values[i]);
    return exp(sum / (double)n);
}

void gmm_mstep_masses(const gmm_stats *stats, double *masses)
{
    for (size_t k = 0; k < stats->n_components; k++)
        masses[k] = stats->nk[k] + GMM_NK_EPSILON;
}

double *gmm_mstep_scatters(const gmm_stats *stats, const double *moves,
                           double m_total, gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    size_t per = gmm_layout_block_size(stats->layout, d);
    double *w = malloc(n_comp * (per + 1) * sizeof *w);
    if (!w) {
        gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the M-step's %zu "
                 "scatter matrices", n_comp);
        return NULL;
    }
    const gmm_covariance_model *own =
        gmm_covariance_model_of(stats->layout.block == GMM_COVARIANCE_BLOCK_MATRIX
                                    ? GMM_COVARIANCE_FULL
                                : stats->layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL
                                    ? GMM_COVARIANCE_DIAG
                                    : GMM_COVARIANCE_SPHERICAL);
    own->mstep(stats, moves, m_total, 0.0, w, err);
    for (size_t k = 0; k < n_comp; k++) {
        double m = stats->nk[k] + GMM_NK_EPSILON;
        /* A scalar block is d times the spherical variance. */
        double scale = stats->layout.block == GMM_COVARIANCE_BLOCK_SCALAR
                           ? m * (double)d
                           : m;
        for (size_t i = 0; i < per; i++)
            w[k * per + i] *= scale;
    }
    return w;
}

void gmm_mstep_axes_matrices(double *covariances, size_t n_comp, size_t d,
                             const double *axes, size_t axes_stride,
                             const double *values, size_t values_stride,
                             const double *scales, double reg_covar)
{
    for (size_t k = 0; k < n_comp; k++) {
        const double *v = values + k * values_stride;
        const double *u = axes ? axes + k * axes_stride : NULL;
        double *cov = covariances + k * d * d;
        for (size_t i = 0; i < d; i++)
            for (size_t j = i; j < d; j++) {
                double sum = 0.0;
                if (u)
                    for (size_t a = 0; a < d; a++)
                        sum += v[a] * u[a * d + i] * u[a * d + j];
                else
                    sum = i == j ? v[i] : 0.0;
                cov[i * d + j] = scales[k] * sum;
            }
    }
    finish_matrices(covariances, n_comp, d, reg_covar);
}

gmm_status gmm_mstep_eigen(const double *scatters, size_t n_comp, size_t d,
                           double *values, double *axes, gmm_error *err)
{
    for (size_t k = 0; k < n_comp; k++)
        if (gmm_linalg_symmetric_eigen(scatters + k * d * d, d, values + k * d,
                                       axes + k * d * d))
            return gmm_fail(err, GMM_ERR_NUMERIC, "M-step: the eigen-"
                            "decomposition of component %zu's scatter "
                            "failed", k);
    return GMM_OK;
}

/* ---- The closed forms of mclust's models ------------------------------- */

/* EII: sigma^2 = tr(W) / (n d), W = sum_k W_k. */
gmm_status gmm_mstep_eii(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances,
                         gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    double *traces = gmm_mstep_scatters(stats, moves, m_total, err);
    if (!traces)
        return GMM_ERR_NOMEM;
    double sum = 0.0;
    for (size_t k = 0; k < n_comp; k++)
        sum += traces[k];
    double variance = sum / (m_total * (double)d);
    free(traces);
    memset(covariances, 0, n_comp * d * d * sizeof *covariances);
    for (size_t k = 0; k < n_comp; k++)
        for (size_t j = 0; j < d; j++)
            covariances[k * d * d + j * d + j] = variance + reg_covar;
    return GMM_OK;
}

/* EEI: lambda A = diag(W) / n. */
gmm_status gmm_mstep_eei(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances,
                         gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    double *w = gmm_mstep_scatters(stats, moves, m_total, err);
    if (!w)
        return GMM_ERR_NOMEM;
    double *scales = w + n_comp * d;
    for (size_t k = 1; k < n_comp; k++)
        for (size_t j = 0; j < d; j++)
            w[j] += w[k * d + j];
    for (size_t k = 0; k < n_comp; k++)
        scales[k] = 1.0 / m_total;
    gmm_mstep_axes_matrices(covariances, n_comp, d, NULL, 0, w, 0, scales,
                            reg_covar);
    free(w);
    return GMM_OK;
}

/* EVI: A_k = B_k / |B_k|^(1/d), B_k = diag(W_k); lambda = sum_k
 * |B_k|^(1/d) / n. */
gmm_status gmm_mstep_evi(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances,
                         gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    double *w = gmm_mstep_scatters(stats, moves, m_total, err);
    if (!w)
        return GMM_ERR_NOMEM;
    double *scales = w + n_comp * d, volume = 0.0;
    for (size_t k = 0; k < n_comp; k++) {
        scales[k] = gmm_mstep_geometric_mean(w + k * d, d);
        volume += scales[k];
    }
    volume /= m_total;
    for (size_t k = 0; k < n_comp; k++)
        scales[k] = volume / scales[k];
    gmm_mstep_axes_matrices(covariances, n_comp, d, NULL, 0, w, d, scales,
                            reg_covar);
    free(w);
    return GMM_OK;
}

/* EEV: W_k = D_k Omega_k D_k^T (eigenvalues descending); lambda A =
 * sum_k Omega_k / n. */
gmm_status gmm_mstep_eev(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances,
                         gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    double *w = gmm_mstep_scatters(stats, moves, m_total, err);
    double *values = w ? malloc(n_comp * (d + 1) * sizeof *values) : NULL;
    gmm_status status = values ? gmm_mstep_eigen(w, n_comp, d, values,
                                                 covariances, err)
                               : gmm_fail(err, GMM_ERR_NOMEM, "out of memory "
                                          "in the EEV M-step");
    if (status == GMM_OK) {
        double *scales = values + n_comp * d;
        for (size_t k = 1; k < n_comp; k++)
            for (size_t j = 0; j < d; j++)
                values[j] += values[k * d + j];
        for (size_t k = 0; k < n_comp; k++)
            scales[k] = 1.0 / m_total;
        /* The axes are read before each matrix overwrites them: copy. */
        memcpy(w, covariances, n_comp * d * d * sizeof *w);
        gmm_mstep_axes_matrices(covariances, n_comp, d, w, d * d, values, 0,
                                scales, reg_covar);
    }
    free(values);
    free(w);
    return status;
}

gmm_status gmm_mstep_log_det(const double *matrix, size_t d, double *work,
                             double *log_det)
{
    memcpy(work, matrix, d * d * sizeof *work);
    if (gmm_linalg_cholesky(work, d))
        return GMM_ERR_NUMERIC;
    *log_det = 2.0 * gmm_linalg_log_det_triangular(work, d);
    return GMM_OK;
}

/* EVV: C_k = W_k / |W_k|^(1/d); lambda = sum_k |W_k|^(1/d) / n. */
gmm_status gmm_mstep_evv(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances,
                         gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    gmm_mstep_full(stats, moves, m_total, 0.0, covariances, err);
    double *work = malloc((d * d + n_comp) * sizeof *work);
    if (!work)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory in the EVV M-step");
    double *roots = work + d * d, volume = 0.0;
    for (size_t k = 0; k < n_comp; k++) {
        double log_det, m = stats->nk[k] + GMM_NK_EPSILON;
        if (gmm_mstep_log_det(covariances + k * d * d, d, work, &log_det)) {
            free(work);
            return gmm_fail(err, GMM_ERR_NUMERIC, "EVV M-step: component "
                            "%zu's scatter is singular", k);
        }
        /* |W_k|^(1/d) = m_k |S_k|^(1/d), S_k = W_k / m_k. */
        roots[k] = m * exp(log_det / (double)d);
        volume += roots[k];
    }
    volume /= m_total;
    for (size_t k = 0; k < n_comp; k++) {
        double m = stats->nk[k] + GMM_NK_EPSILON, scale = volume * m / roots[k];
        double *cov = covariances + k * d * d;
        for (size_t i = 0; i < d * d; i++)
            cov[i] *= scale;
        for (size_t j = 0; j < d; j++)
            cov[j * d + j] += reg_covar;
    }
    free(work);
    return GMM_OK;
}
