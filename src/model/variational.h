/*
 * variational.h — variational Bayes for Gaussian mixtures, scikit-learn
 * 1.2.1's BayesianGaussianMixture: the posterior's update from the
 * maximum-likelihood estimates of a pass's statistics, and the evidence
 * lower bound. The E-step is EM's kernel with the posterior's
 * log_weights in place of log(weight) (model/kernel_params.c).
 */
#ifndef GMM_MODEL_VARIATIONAL_H
#define GMM_MODEL_VARIATIONAL_H

#include "model/params.h"
#include "model/stats.h"

/* The posterior (with its priors, copied from priors' posterior) into
 * out, as scikit-learn's _estimate_weights, _estimate_means and
 * _estimate_precisions from nk (K, each with GMM_NK_EPSILON added, as
 * scikit-learn's), xk and sk: ml's means and covariances (gmm_mstep's,
 * reg_covar included). Then out's covariances_, precision factors,
 * weights_ and log_weights. Fails with GMM_ERR_NUMERIC when a
 * covariance is not positive definite. */
gmm_status gmm_variational_update(const gmm_params_posterior *priors,
                                  const double *nk, const gmm_params *ml,
                                  gmm_params *out, gmm_error *err);

/* The posterior's log_weights (model/params.h) from its concentrations,
 * mean precisions and degrees of freedom (a model read from a file). */
void gmm_variational_set_log_weights(gmm_params *params);

/* sum_i w_i sum_k r_ik log r_ik of an E-step under params (a posterior),
 * from its statistics alone (taken around params' means, as the E-step
 * takes them): with lp_ik = offset_k - (D log 2 pi + d_ik) / 2 the
 * E-step's log-probabilities and sum_k r_ik = 1,
 *   sum r log r = sum_k [n_k (offset_k - D log(2 pi) / 2)
 *                        - tr(P_k Q_k) / 2] - log-likelihood,
 * since sum_i r_ik d_ik = tr(P_k Q_k). So the E-step is EM's, with no
 * per-row work of its own. */
double gmm_variational_resp_log_resp(const gmm_params *params,
                                     const gmm_stats *stats);

/* scikit-learn's _compute_lower_bound for posterior p, given
 * resp_log_resp = sum_i w_i sum_k r_ik log r_ik of the E-step before
 * p's update. */
double gmm_variational_lower_bound(const gmm_params *p, double resp_log_resp);

#endif
