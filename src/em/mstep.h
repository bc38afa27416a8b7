/*
 * mstep.h — parameters from sufficient statistics.
 */
#ifndef GMM_EM_MSTEP_H
#define GMM_EM_MSTEP_H

#include "em/stats.h"
#include "model/params.h"

/* scikit-learn adds 10 * machine epsilon to every component's responsibility
 * sum (nk) so that an empty component divides by a tiny number, not zero. */
#define GMM_NK_EPSILON (10.0 * 2.220446049250313e-16)

/* Weighted maximum likelihood estimates, plus reg_covar on every variance,
 * into out (same shape as stats). shifts (K x D) are the shifts the
 * statistics were accumulated with. Weights are nk / sum(nk) when
 * weight_total is 0 (an M-step), else nk / weight_total (scikit-learn's
 * initialization divides by n_samples and does not renormalize). Sets
 * weights, means and covariances only: call gmm_params_update_precisions
 * next. shifts must not alias out->means. */
void gmm_mstep(const gmm_stats *stats, const double *shifts, double reg_covar,
               double weight_total, gmm_params *out);

#endif
