/*
 * mstep_iterative.c — the M-steps of mclust's models that have no closed
 * form (mstep.h), each iterated until it has converged, so that it is the
 * maximizer (as mclust's own, whose inner loops stop at its
 * emControl()$tol[2]), not a step toward it:
 *   - VEI, VEV, VEE: Celeux & Govaert (1995)'s alternation between the
 *     volumes lambda_k given the shared shape (or shape and orientation)
 *     and that shape given the volumes, each step exact;
 *   - EVE, VVE: the same alternation between the shared orientation D
 *     given the shapes (and volumes), by exact plane rotations, and the
 *     shapes, exact given D (shared_orientation says why not Browne &
 *     McNicholas's MM step for D, as mclust).
 * W_k = m_k S_k are the scatters (gmm_mstep_scatters), n = sum_k m_k.
 * Each loop stops when no volume (relative) or orientation entry
 * (absolute) moves by more than ITER_TOL, when the moves, already below
 * ITER_NOISE, stop shrinking (rounding is all that is left to move
 * them), or after ITER_MAX rounds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "model/mstep.h"
#include "model/stats.h"
#include "util/error.h"

#define ITER_TOL 1e-11
#define ITER_NOISE 1e-10
#define ITER_MAX 10000

/* Whether a loop whose largest move was previous and now is change has
 * converged. */
static int converged(double change, double *previous)
{
    int done = !(change > ITER_TOL) ||
               (change < ITER_NOISE && change >= *previous);
    *previous = change;
    return done;
}

/* VEI and VEV: lambda_k and a shared shape A (det 1) from per-component
 * values w_k (diag(W_k), or W_k's eigenvalues): A proportional to
 * sum_k w_k / lambda_k, lambda_k = sum_j w_kj / A_j / (m_k d). */
static void shape_from_volumes(const double *w, const double *lambda,
                               size_t n_comp, size_t d, double *shape)
{
    for (size_t j = 0; j < d; j++) {
        shape[j] = 0.0;
        for (size_t k = 0; k < n_comp; k++)
            shape[j] += w[k * d + j] / lambda[k];
    }
    double g = gmm_mstep_geometric_mean(shape, d);
    for (size_t j = 0; j < d; j++)
        shape[j] /= g;
}

static void volumes_and_shape(const double *w, const double *masses,
                              size_t n_comp, size_t d, double *lambda,
                              double *shape)
{
    for (size_t k = 0; k < n_comp; k++) {
        lambda[k] = 0.0;
        for (size_t j = 0; j < d; j++)
            lambda[k] += w[k * d + j];
        lambda[k] /= masses[k] * (double)d;
    }
    double previous = INFINITY;
    for (int round = 0; round < ITER_MAX; round++) {
        shape_from_volumes(w, lambda, n_comp, d, shape);
        double change = 0.0;
        for (size_t k = 0; k < n_comp; k++) {
            double next = 0.0;
            for (size_t j = 0; j < d; j++)
                next += w[k * d + j] / shape[j];
            next /= masses[k] * (double)d;
            change = fmax(change, fabs(next - lambda[k]) / lambda[k]);
            lambda[k] = next;
        }
        if (converged(change, &previous))
            break;
    }
    shape_from_volumes(w, lambda, n_comp, d, shape);
}

/* Scatters, masses and K + D spare doubles for volumes and a shape. */
typedef struct scatters {
    double *w, *masses, *lambda, *shape;
} scatters;

static gmm_status scatters_get(const gmm_stats *stats, const double *moves,
                               double m_total, scatters *s, gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    s->w = gmm_mstep_scatters(stats, moves, m_total, err);
    s->masses = malloc((2 * n_comp + d) * sizeof *s->masses);
    if (!s->w || !s->masses) {
        free(s->w);
        free(s->masses);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory in the M-step");
    }
    s->lambda = s->masses + n_comp;
    s->shape = s->lambda + n_comp;
    gmm_mstep_masses(stats, s->masses);
    return GMM_OK;
}

static void scatters_free(scatters *s)
{
    free(s->w);
    free(s->masses);
}

gmm_status gmm_mstep_vei(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances,
                         gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    scatters s = {0};
    gmm_status status = scatters_get(stats, moves, m_total, &s, err);
    if (status != GMM_OK)
        return status;
    volumes_and_shape(s.w, s.masses, n_comp, d, s.lambda, s.shape);
    gmm_mstep_axes_matrices(covariances, n_comp, d, NULL, 0, s.shape, 0,
                            s.lambda, reg_covar);
    scatters_free(&s);
    return GMM_OK;
}

gmm_status gmm_mstep_vev(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances,
                         gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    scatters s = {0};
    gmm_status status = scatters_get(stats, moves, m_total, &s, err);
    if (status != GMM_OK)
        return status;
    /* Eigenvalues into the front of the scatters once their axes are
     * out: W_k = D_k Omega_k D_k^T. */
    double *axes = malloc(n_comp * d * d * sizeof *axes);
    double *values = malloc(n_comp * d * sizeof *values);
    status = axes && values ? gmm_mstep_eigen(s.w, n_comp, d, values, axes, err)
                            : gmm_fail(err, GMM_ERR_NOMEM, "out of memory in "
                                       "the VEV M-step");
    if (status == GMM_OK) {
        volumes_and_shape(values, s.masses, n_comp, d, s.lambda, s.shape);
        gmm_mstep_axes_matrices(covariances, n_comp, d, axes, d * d, s.shape,
                                0, s.lambda, reg_covar);
    }
    free(values);
    free(axes);
    scatters_free(&s);
    return status;
}

/* VEE: C = sum_k W_k / lambda_k scaled to det 1, lambda_k = tr(W_k C^-1)
 * / (m_k d). c and inverse: D x D; work: D x D. */
static gmm_status shared_matrix(const scatters *s, size_t n_comp, size_t d,
                                double *c, double *work)
{
    memset(c, 0, d * d * sizeof *c);
    for (size_t k = 0; k < n_comp; k++)
        for (size_t i = 0; i < d * d; i++)
            c[i] += s->w[k * d * d + i] / s->lambda[k];
    double log_det;
    if (gmm_mstep_log_det(c, d, work, &log_det))
        return GMM_ERR_NUMERIC;
    double scale = exp(-log_det / (double)d);
    for (size_t i = 0; i < d * d; i++)
        c[i] *= scale;
    return GMM_OK;
}

gmm_status gmm_mstep_vee(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances,
                         gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    scatters s = {0};
    gmm_status status = scatters_get(stats, moves, m_total, &s, err);
    if (status != GMM_OK)
        return status;
    double *c = malloc(3 * d * d * sizeof *c), *inverse = c + d * d,
           *work = inverse + d * d;
    if (!c)
        status = gmm_fail(err, GMM_ERR_NOMEM, "out of memory in the VEE M-step");
    for (size_t k = 0; status == GMM_OK && k < n_comp; k++) {
        s.lambda[k] = 0.0;
        for (size_t j = 0; j < d; j++)
            s.lambda[k] += s.w[k * d * d + j * d + j];
        s.lambda[k] /= s.masses[k] * (double)d;
    }
    double previous = INFINITY;
    for (int round = 0; status == GMM_OK && round < ITER_MAX; round++) {
        if (shared_matrix(&s, n_comp, d, c, work) ||
            gmm_linalg_spd_inverse(c, d, inverse)) {
            status = gmm_fail(err, GMM_ERR_NUMERIC, "VEE M-step: the pooled "
                              "scatter is singular");
            break;
        }
        double change = 0.0;
        for (size_t k = 0; k < n_comp; k++) {
            double next = 0.0;
            for (size_t i = 0; i < d * d; i++)
                next += s.w[k * d * d + i] * inverse[i];
            next /= s.masses[k] * (double)d;
            change = fmax(change, fabs(next - s.lambda[k]) / s.lambda[k]);
            s.lambda[k] = next;
        }
        if (converged(change, &previous))
            break;
    }
    if (status == GMM_OK && shared_matrix(&s, n_comp, d, c, work))
        status = gmm_fail(err, GMM_ERR_NUMERIC, "VEE M-step: the pooled "
                          "scatter is singular");
    for (size_t k = 0; status == GMM_OK && k < n_comp; k++) {
        double *cov = covariances + k * d * d;
        for (size_t i = 0; i < d * d; i++)
            cov[i] = s.lambda[k] * c[i];
        for (size_t j = 0; j < d; j++)
            cov[j * d + j] += reg_covar;
    }
    free(c);
    scatters_free(&s);
    return status;
}

/* EVE and VVE given the orientation: from the scatters in the axes'
 * coordinates (m_k = D^T W_k D, K x D x D, held in s->w), the diagonal
 * C_k of Sigma_k = D C_k D^T: EVE: lambda A_k = (sum_k |E_k|^(1/d) / n)
 * E_k / |E_k|^(1/d), E_k = diag(m_k); VVE: C_k = E_k / m_k. */
static void diagonals_given_axes(const scatters *s, size_t n_comp, size_t d,
                                 int equal_volume, double m_total,
                                 double *diagonals)
{
    double volume = 0.0;
    for (size_t k = 0; k < n_comp; k++) {
        for (size_t j = 0; j < d; j++)
            diagonals[k * d + j] = s->w[k * d * d + j * d + j];
        s->lambda[k] = equal_volume
                           ? gmm_mstep_geometric_mean(diagonals + k * d, d)
                           : s->masses[k];
        volume += s->lambda[k];
    }
    for (size_t k = 0; k < n_comp; k++) {
        double scale = equal_volume ? volume / m_total / s->lambda[k]
                                    : 1.0 / s->lambda[k];
        for (size_t j = 0; j < d; j++)
            diagonals[k * d + j] *= scale;
    }
}

/* Turn axes i and j (rows of axes) by theta, and every m_k with them. */
static void turn_pair(double *axes, double *rotated, size_t n_comp, size_t d,
                      size_t i, size_t j, double theta)
{
    double c = cos(theta), s = sin(theta);
    for (size_t l = 0; l < d; l++) {
        double a = axes[i * d + l], b = axes[j * d + l];
        axes[i * d + l] = c * a + s * b;
        axes[j * d + l] = -s * a + c * b;
    }
    for (size_t k = 0; k < n_comp; k++) {
        double *m = rotated + k * d * d;
        for (size_t l = 0; l < d; l++) {
            double a = m[i * d + l], b = m[j * d + l];
            m[i * d + l] = c * a + s * b;
            m[j * d + l] = -s * a + c * b;
        }
        for (size_t l = 0; l < d; l++) {
            double a = m[l * d + i], b = m[l * d + j];
            m[l * d + i] = c * a + s * b;
            m[l * d + j] = -s * a + c * b;
        }
    }
}

/* The orientation minimizing sum_k tr(W_k D C_k^-1 D^T) for the C_k
 * given, by sweeps of exact plane rotations (Flury & Gautschi's pairwise
 * scheme): turning axes i and j by theta changes the sum by
 * A cos 2theta + B sin 2theta + const, A = sum_k (1/C_ki - 1/C_kj)
 * (m_k,ii - m_k,jj) / 2, B = sum_k (1/C_ki - 1/C_kj) m_k,ij, least at
 * 2theta = atan2(-B, -A). Alternated with the C_k, exact given D, until
 * no axis turns. (Browne & McNicholas's MM step for D, which mclust
 * takes, reaches the same maximizer but crawled there: thousands of
 * rounds per M-step on thyroid, K = 5.) */
static gmm_status shared_orientation(const gmm_stats *stats,
                                     const double *moves, double m_total,
                                     double reg_covar, double *covariances,
                                     int equal_volume, gmm_error *err)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    scatters s = {0};
    gmm_status status = scatters_get(stats, moves, m_total, &s, err);
    if (status != GMM_OK)
        return status;
    /* axes, the pooled scatter, a product, the diagonals, eigenvalues. */
    double *axes = malloc((3 * d * d + n_comp * d + d) * sizeof *axes);
    if (!axes) {
        scatters_free(&s);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory in the M-step");
    }
    double *pooled = axes + d * d, *product = pooled + d * d;
    double *diagonals = product + d * d, *values = diagonals + n_comp * d;
    memset(pooled, 0, d * d * sizeof *pooled);
    for (size_t k = 0; k < n_comp; k++)
        for (size_t i = 0; i < d * d; i++)
            pooled[i] += s.w[k * d * d + i];
    /* Starting from the pooled scatter's axes (EEE's orientation). */
    status = gmm_mstep_eigen(pooled, 1, d, values, axes, err);
    /* m_k = D^T W_k D in place of W_k. */
    for (size_t k = 0; status == GMM_OK && k < n_comp; k++) {
        double *w = s.w + k * d * d;
        for (size_t i = 0; i < d; i++)
            for (size_t b = 0; b < d; b++) {
                double sum = 0.0;
                for (size_t a = 0; a < d; a++)
                    sum += axes[i * d + a] * w[a * d + b];
                product[i * d + b] = sum;
            }
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < d; j++) {
                double sum = 0.0;
                for (size_t b = 0; b < d; b++)
                    sum += product[i * d + b] * axes[j * d + b];
                w[i * d + j] = sum;
            }
    }
    double previous = INFINITY;
    for (int round = 0; status == GMM_OK && round < ITER_MAX; round++) {
        diagonals_given_axes(&s, n_comp, d, equal_volume, m_total, diagonals);
        double change = 0.0;
        for (size_t i = 0; i + 1 < d; i++)
            for (size_t j = i + 1; j < d; j++) {
                double a = 0.0, b = 0.0;
                for (size_t k = 0; k < n_comp; k++) {
                    const double *m = s.w + k * d * d;
                    double weight = 1.0 / diagonals[k * d + i] -
                                    1.0 / diagonals[k * d + j];
                    a += weight * (m[i * d + i] - m[j * d + j]) / 2.0;
                    b += weight * m[i * d + j];
                }
                double theta = atan2(-b, -a) / 2.0;
                if (theta != 0.0)
                    turn_pair(axes, s.w, n_comp, d, i, j, theta);
                change = fmax(change, fabs(theta));
            }
        if (converged(change, &previous))
            break;
    }
    if (status == GMM_OK) {
        diagonals_given_axes(&s, n_comp, d, equal_volume, m_total, diagonals);
        for (size_t k = 0; k < n_comp; k++)
            s.lambda[k] = 1.0;
        gmm_mstep_axes_matrices(covariances, n_comp, d, axes, 0, diagonals, d,
                                s.lambda, reg_covar);
    }
    free(axes);
    scatters_free(&s);
    return status;
}

gmm_status gmm_mstep_eve(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances,
                         gmm_error *err)
{
    return shared_orientation(stats, moves, m_total, reg_covar, covariances, 1,
                              err);
}

gmm_status gmm_mstep_vve(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar, double *covariances,
                         gmm_error *err)
{
    return shared_orientation(stats, moves, m_total, reg_covar, covariances, 0,
                              err);
}
