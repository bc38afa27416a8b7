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

/* A variational posterior (model/variational.h) and the priors it was
 * updated with, when the parameters come from variational Bayes; for EM's
 * weight_prior is NONE and storage NULL. The arrays live in storage, in
 * this order, so that a copy is one memcpy. */
typedef struct gmm_params_posterior {
    gmm_weight_prior weight_prior;
    double weight_concentration_prior;
    double mean_precision_prior;
    double degrees_of_freedom_prior;
    double *mean_prior;            /* D                                     */
    double *covariance_prior;      /* one block of the covariance layout    */
    double *weight_concentration;  /* 2 x K (dirichlet_process) or K       */
    double *mean_precision;        /* K                                     */
    double *degrees_of_freedom;    /* K                                     */
    /* K: what the E-step adds to each component's log-density in place of
     * log(weight): the expected log-weight, less 0.5 D log(dof), plus
     * 0.5 (E[log |precision|] - D / mean_precision) (scikit-learn's
     * _estimate_log_weights and _estimate_log_prob). */
    double *log_weights;
    double *storage;
    size_t storage_size;           /* doubles                               */
} gmm_params_posterior;

typedef struct gmm_params {
    size_t n_components;
    size_t n_features;
    gmm_covariance_type covariance_type;
    double *weights;          /* K                                         */
    double *means;            /* K x D                                     */
    double *covariances;      /* see above                                 */
    double *precisions_chol;  /* see above                                 */
    double *log_det_chol;     /* K: log det U_k, the density's -1/2 log|S| */
    gmm_params_posterior posterior;
} gmm_params;

/* Allocate arrays for the shape (contents unspecified). */
gmm_status gmm_params_alloc(gmm_params *params, size_t n_components,
                            size_t n_features, gmm_covariance_type type,
                            gmm_error *err);
void gmm_params_free(gmm_params *params);
/* Storage for a variational posterior under weight prior `prior` (not
 * NONE), its priors' scalars NaN. */
gmm_status gmm_params_alloc_posterior(gmm_params *params,
                                      gmm_weight_prior prior, gmm_error *err);
/* dst and src have the same shape; a posterior is copied when both have
 * one. */
void gmm_params_copy(gmm_params *dst, const gmm_params *src);

/* Component k's covariance as a full D x D matrix, whatever the type. */
void gmm_params_component_covariance(const gmm_params *params, size_t k,
                                     double *cov);

/* Recompute precisions_chol and log_det_chol from covariances. Fails with
 * GMM_ERR_NUMERIC, naming the component, when a covariance is not positive
 * definite. */
gmm_status gmm_params_update_precisions(gmm_params *params, gmm_error *err);

#endif
