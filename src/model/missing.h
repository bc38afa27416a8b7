/*
 * missing.h — a mixture's densities and conditional moments for rows with
 * missing entries (Ghahramani & Jordan, 1994): under one missingness
 * pattern (o the observed features, m the missing ones), component k's
 * marginal is N(x_o | mu_o, S_oo), and given x_o the missing entries are
 * Gaussian with
 *   mean  mu_m + S_mo S_oo^-1 (x_o - mu_o)
 *   cov   S_mm - S_mo S_oo^-1 S_om  (the same for every row of the pattern).
 * One gmm_missing_factors holds, for one pattern, each covariance block's
 * factor: U, the upper triangular precision factor of S_oo (S_oo^-1 =
 * U U^T, U = L^-T for S_oo = L L^T), the regression B = S_mo S_oo^-1 and
 * the conditional covariance S_mm - S_mo S_oo^-1 S_om; variance blocks
 * (diag, spherical) have U diagonal, no regression, and S_mm for
 * conditional covariance. A row's Mahalanobis distance is
 * |U^T (x_o - mu_o)|^2 and its conditional mean mu_m + B (x_o - mu_o).
 * Every reader of rows with missing entries (the E-step, predict, score,
 * impute) goes through here; the E-step hands U to the kernels
 * (gmm_missing_kernel_params), which then draw a run of rows of one
 * pattern as they draw complete rows.
 */
#ifndef GMM_MODEL_MISSING_H
#define GMM_MODEL_MISSING_H

#include <stdint.h>

#include "kernels/kernels.h"
#include "model/params.h"

typedef struct gmm_missing_factors {
    size_t n_features, n_components;
    gmm_covariance_layout layout;  /* of the parameters' covariances       */
    size_t n_obs, n_mis;
    size_t *obs, *mis;     /* the features observed and missing           */
    size_t block_size;     /* doubles per block below                     */
    /* Per covariance block: matrix blocks U (n_obs^2, upper), B (n_mis x
     * n_obs) and the conditional covariance (n_mis^2); variance blocks
     * 1 / sqrt(variance) of the observed (n_obs) and the variances of the
     * missing (n_mis). */
    double *blocks;
    double *log_det;       /* per block: log |S_oo| / 2                    */
    /* Per block, B spread over all features (n_mis rows of D: B's row at
     * the observed features, zeros at the missing ones), for completing
     * rows whose missing entries hold anything finite; matrix blocks
     * only. */
    double *spread;
    double *constants;     /* K x D: mu_m - B mu_o of each component      */
    double *work;          /* d x d                                       */
    uint64_t *pattern;     /* the pattern they are set for                */
    int is_set;
    double *storage;
} gmm_missing_factors;

gmm_status gmm_missing_factors_alloc(gmm_missing_factors *f,
                                     gmm_covariance_type type,
                                     size_t n_components, size_t n_features,
                                     gmm_error *err);
void gmm_missing_factors_free(gmm_missing_factors *f);

/* Factor p's covariances under the pattern mask (a bit per feature, set
 * where missing; rows/missing.h). GMM_ERR_NUMERIC if an observed block is
 * not positive definite (it is, where the covariance is, up to
 * rounding). */
gmm_status gmm_missing_factors_set(gmm_missing_factors *f, const gmm_params *p,
                                   const uint64_t *mask, gmm_error *err);

/* Whether f is set for the pattern mask. */
int gmm_missing_factors_match(const gmm_missing_factors *f, const uint64_t *mask);

/* gmm_missing_factors_set unless f is set for mask already (the same
 * parameters p assumed). */
gmm_status gmm_missing_factors_update(gmm_missing_factors *f,
                                      const gmm_params *p, const uint64_t *mask,
                                      gmm_error *err);

/* The conditional covariance of the missing entries under component k:
 * matrix blocks n_mis x n_mis (full), variance blocks its diagonal
 * (n_mis); *is_matrix says which. */
const double *gmm_missing_conditional_cov(const gmm_missing_factors *f,
                                          size_t k, int *is_matrix);

/* Row x (n_features values; those missing are ignored) under the pattern
 * f was set for: log_prob[k] = log weight_k + log N(x_o | mu_k,o, S_k,oo)
 * for each component, and cond_means[k * n_mis ..] the conditional mean
 * of the missing entries under component k (cond_means may be NULL). work
 * holds n_features doubles. */
void gmm_missing_log_prob(const gmm_missing_factors *f, const gmm_params *p,
                          const double *x, double *log_prob,
                          double *cond_means, double *work);

/* The marginals of the pattern as the E-step's kernels read them (double):
 * params, from gmm_missing_kernel_params_alloc, get each component's
 * mean, U zero-padded to all features (so the missing entries, whatever
 * they hold, add nothing to a distance) and the offset that makes the
 * kernels' log_prob the marginal's log weight_k + log N(x_o | ...). */
gmm_status gmm_missing_kernel_params_alloc(gmm_kernel_params *params,
                                           const gmm_params *p, gmm_error *err);
void gmm_missing_kernel_params_set(gmm_kernel_params *params,
                                   const gmm_missing_factors *f,
                                   const gmm_params *p);

/* The n_rows rows X (n_features each) completed under component k: into
 * out, each missing entry replaced by its conditional mean given the
 * row's observed entries (n_obs n_mis multiply-adds a row). */
void gmm_missing_complete(const gmm_missing_factors *f, const gmm_params *p,
                          size_t k, const double *X, size_t n_rows, double *out);

/* log sum_k exp(log_prob[k]); log_prob becomes the posterior
 * probabilities. */
double gmm_missing_normalize(double *log_prob, size_t n_components);

#endif
