/*
 * fixed.h — fixed parameters (gmm_options.fixed, equal_weights): their
 * names, the rules on combining them, where their values come from, and
 * what they take off the free-parameter count. The M-step that honours
 * them is model/mstep.h's, one for every covariance model.
 */
#ifndef GMM_MODEL_FIXED_H
#define GMM_MODEL_FIXED_H

#include "gmm.h"

/* Every GMM_FIX_* bit. */
#define GMM_FIX_ALL (GMM_FIX_WEIGHTS | GMM_FIX_MEANS | GMM_FIX_COVARIANCES)

/* The name of one GMM_FIX_* bit ("weights", "means", "covariances"). */
const char *gmm_fixed_name(unsigned bit);

/* Whether the weights are not estimated (fixed, or 1 / K). */
int gmm_fixed_weights_held(const gmm_options *o);

/* The options' rules (gmm.h, gmm_options.fixed): known bits, something
 * left to fit, equal_weights 0 or 1 and not with fixed weights, neither
 * with a weight prior. */
gmm_status gmm_fixed_validate_options(const gmm_options *o, gmm_error *err);

/* A fit that starts afresh takes the fixed values from the initial
 * parameters: each fixed part needs its *_init (GMM_ERR_INVALID). */
gmm_status gmm_fixed_check_init(const gmm_options *o, gmm_error *err);

/* Free parameters of a model with K components of D features, the
 * covariances' count `covariance` (model/covariance.h), under o's fixed
 * parts. */
size_t gmm_fixed_n_parameters(const gmm_options *o, size_t covariance,
                              size_t n_components, size_t n_features);

#endif
