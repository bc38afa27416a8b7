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

/* Weighted maximum likelihood estimates, plus reg_covar on every variance,
 * into out (its covariance model's statistics in stats). shifts (K x D)
 * are the shifts the statistics were accumulated with. Weights are
 * nk / sum(nk) when weight_total is 0 (an M-step), else nk / weight_total
 * (scikit-learn's initialization divides by n_samples and does not
 * renormalize). Sets weights, means and covariances only: call
 * gmm_params_update_precisions next. shifts must not alias out->means. */
void gmm_mstep(const gmm_stats *stats, const double *shifts, double reg_covar,
               double weight_total, gmm_params *out);

/* The covariance M-steps of model/covariance.h's entries (gmm_mstep_fn). */
void gmm_mstep_full(const gmm_stats *stats, const double *moves,
                    double m_total, double reg_covar, double *covariances);
void gmm_mstep_tied(const gmm_stats *stats, const double *moves,
                    double m_total, double reg_covar, double *covariances);
void gmm_mstep_diag(const gmm_stats *stats, const double *moves,
                    double m_total, double reg_covar, double *covariances);
void gmm_mstep_spherical(const gmm_stats *stats, const double *moves,
                         double m_total, double reg_covar,
                         double *covariances);

#endif
