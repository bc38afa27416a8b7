/*
 * mstep.h — parameters from sufficient statistics: the part every
 * covariance model shares (weights, means), and each model's covariances
 * (named by its entry in model/covariance.c).
 */
#ifndef GMM_MODEL_MSTEP_H
#define GMM_MODEL_MSTEP_H

#include "model/params.h"
#include "model/stats.h"

/* scikit-learn adds 10 * machine epsilon to every component's responsibility
 * sum (nk) so that an empty component divides by a tiny number, not zero. */
#define GMM_NK_EPSILON (10.0 * 2.220446049250313e-16)

/* Weighted maximum likelihood estimates, plus o->reg_covar on every
 * variance, into out (its covariance model's statistics in stats), over
 * the parts o does not hold fixed (o->fixed, o->equal_weights): out
 * already holds the fixed parts, which stay; with fixed means the
 * covariances are estimated around them. shifts (K x D) are the shifts
 * the statistics were accumulated with. Weights are 1 / K under
 * equal_weights, else nk / sum(nk) when weight_total is 0 (an M-step),
 * else nk / weight_total (scikit-learn's initialization divides by
 * n_samples and does not renormalize). Sets weights, means and
 * covariances only: call gmm_params_update_precisions next (or
 * gmm_mstep_params for both). shifts must not alias out->means. Fails
 * only where the covariance model's M-step can (covariance.h), or out of
 * memory (fixed means). */
gmm_status gmm_mstep(const gmm_stats *stats, const double *shifts,
                     const gmm_options *o, double weight_total,
                     gmm_params *out, gmm_error *err);

/* An EM M-step (gmm_mstep with weight_total 0) and the precision factors
 * of the covariances it estimated (fixed covariances keep theirs). */
gmm_status gmm_mstep_params(const gmm_stats *stats, const gmm_options *o,
                            gmm_params *out, gmm_error *err);

/* The covariance M-steps of model/covariance.h's entries (gmm_mstep_fn):
 * scikit-learn's four, mclust's closed forms (mstep.c) and its iterative
 * ones (mstep_iterative.c). */
#define GMM_MSTEP_DECLARE(name)                                               \
    gmm_status gmm_mstep_##name(const gmm_stats *stats, const double *moves,  \
                                double m_total, double reg_covar,             \
                                double *covariances, gmm_error *err)
GMM_MSTEP_DECLARE(full);
GMM_MSTEP_DECLARE(tied);
GMM_MSTEP_DECLARE(diag);
GMM_MSTEP_DECLARE(spherical);
GMM_MSTEP_DECLARE(eii);
GMM_MSTEP_DECLARE(eei);
GMM_MSTEP_DECLARE(evi);
GMM_MSTEP_DECLARE(eev);
GMM_MSTEP_DECLARE(evv);
GMM_MSTEP_DECLARE(vei);
GMM_MSTEP_DECLARE(vee);
GMM_MSTEP_DECLARE(vev);
GMM_MSTEP_DECLARE(eve);
GMM_MSTEP_DECLARE(vve);

/* The parts mclust's models share (mstep.c). */

/* W_k = m_k S_k for every component, in the statistics' layout (K
 * matrices, K diagonals or K traces), followed by K spare doubles; free()
 * it. NULL (with err) when out of memory. */
double *gmm_mstep_scatters(const gmm_stats *stats, const double *moves,
                           double m_total, gmm_error *err);

/* m_k = nk + GMM_NK_EPSILON of every component. */
void gmm_mstep_masses(const gmm_stats *stats, double *masses);

/* exp(mean(log values)): |B|^(1/n) of a diagonal B. */
double gmm_mstep_geometric_mean(const double *values, size_t n);

/* Covariance k = scales[k] sum_a values_k[a] u_ka u_ka^T + reg_covar I,
 * u_ka row a of axes + k axes_stride (D x D, unit rows), or e_a when axes
 * is NULL; values_k = values + k values_stride (D). A stride 0 shares. */
void gmm_mstep_axes_matrices(double *covariances, size_t n_comp, size_t d,
                             const double *axes, size_t axes_stride,
                             const double *values, size_t values_stride,
                             const double *scales, double reg_covar);

/* Eigenvalues (K x D, descending) and unit eigenvectors (K x D x D, as
 * rows) of K symmetric D x D scatters. */
gmm_status gmm_mstep_eigen(const double *scatters, size_t n_comp, size_t d,
                           double *values, double *axes, gmm_error *err);

/* log |matrix| of a positive definite D x D matrix (work: D x D), or
 * GMM_ERR_NUMERIC. */
gmm_status gmm_mstep_log_det(const double *matrix, size_t d, double *work,
                             double *log_det);

#endif
