/*
 * params.h — the parameters of a Gaussian mixture, for each covariance
 * type: allocation, copies, precision factors.
 *
 * Covariances are stored (row-major) as their covariance model's entry
 * says (model/covariance.h), scikit-learn's shapes: full K x D x D, tied
 * D x D, diag K x D, spherical K. precisions_chol has the same layout:
 * for a matrix block the upper triangular U with precision = U U^T, for
 * variances 1/sqrt(variance).
 */
#ifndef GMM_MODEL_PARAMS_H
#define GMM_MODEL_PARAMS_H

#include "gmm.h"

typedef struct gmm_params {
    size_t n_components;
    size_t n_features;
    gmm_covariance_type covariance_type;
    double *weights;          /* K                                         */
    double *means;            /* K x D                                     */
    double *covariances;      /* see above                                 */
    double *precisions_chol;  /* see above                                 */
    double *log_det_chol;     /* K: log det U_k, the density's -1/2 log|S| */
} gmm_params;

/* Allocate arrays for the shape (contents unspecified). */
gmm_status gmm_params_alloc(gmm_params *params, size_t n_components,
                            size_t n_features, gmm_covariance_type type,
                            gmm_error *err);
void gmm_params_free(gmm_params *params);
/* dst and src have the same shape. */
void gmm_params_copy(gmm_params *dst, const gmm_params *src);

/* Component k's covariance as a full D x D matrix, whatever the type. */
void gmm_params_component_covariance(const gmm_params *params, size_t k,
                                     double *cov);

/* Recompute precisions_chol and log_det_chol from covariances. Fails with
 * GMM_ERR_NUMERIC, naming the component, when a covariance is not positive
 * definite. */
gmm_status gmm_params_update_precisions(gmm_params *params, gmm_error *err);

#endif
