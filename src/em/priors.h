/*
 * priors.h — the priors of a variational fit (model/variational.h), each
 * as the options give it or, left at its default, as scikit-learn 1.2.1's
 * BayesianGaussianMixture._check_parameters derives it from the data.
 */
#ifndef GMM_EM_PRIORS_H
#define GMM_EM_PRIORS_H

#include "model/params.h"
#include "rows/rows.h"

/* Into priors (storage for options' covariance type and rows' width):
 * weight_concentration_prior (1 / K), mean_precision_prior (1),
 * degrees_of_freedom_prior (D; given, it must exceed D - 1), mean_prior
 * (the data's mean), covariance_prior (the data's covariance, variances
 * or mean variance, unbiased). Given arrays are validated as scikit-learn
 * does (GMM_ERR_INVALID naming the option). Costs two passes over the
 * rows when a prior comes from the data, none otherwise. */
gmm_status gmm_variational_priors(const gmm_options *options,
                                  const gmm_rows *rows,
                                  gmm_params_posterior *priors, gmm_error *err);

#endif
