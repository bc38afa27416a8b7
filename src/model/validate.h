/*
 * validate.h — checks of user-supplied parameters, with messages that say
 * which field is wrong and what was expected (the data are checked by
 * rows/check.h).
 */
#ifndef GMM_MODEL_VALIDATE_H
#define GMM_MODEL_VALIDATE_H

#include "gmm.h"

/* Validate explicit parameters as scikit-learn validates weights_init,
 * means_init and precisions_init. `matrices` are covariances or precisions
 * (`name` says which, for messages). */
gmm_status gmm_validate_weights(const double *weights, size_t n_components,
                                gmm_error *err);
gmm_status gmm_validate_finite(const double *values, size_t count,
                               const char *name, gmm_error *err);
gmm_status gmm_validate_matrices(const double *matrices,
                                 gmm_covariance_type type, size_t n_components,
                                 size_t n_features, const char *name,
                                 gmm_error *err);

/* Initial responsibilities (gmm_options.init_resp): n_rows x K, every
 * entry finite and >= 0, every row summing to 1 within
 * GMM_RESP_SUM_TOLERANCE; the message names the first bad row (counted
 * from 0) and what is wrong with it. */
#define GMM_RESP_SUM_TOLERANCE 1e-6
gmm_status gmm_validate_resp(const double *resp, size_t n_rows,
                             size_t n_components, gmm_error *err);

#endif
