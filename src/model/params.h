/*
 * params.h — the parameters of a Gaussian mixture, for each covariance
 * type: allocation, precision factors, and their float32 rounding.
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

/* log_weights[k] = log(weights[k]). */
void gmm_params_log_weights(const gmm_params *params, double *log_weights);

/* The parameters as the float32 path (gmm_options.dtype) reads them,
 * rounded to float once per pass. Float carries 24 bits, ~7 digits, so the
 * data and the means are taken relative to an origin near the data (the
 * mixture's mean, sum_k w_k mu_k), subtracted in double before rounding:
 * then a row keeps the digits of its distance from the mixture's centre,
 * not of its distance from 0. What is left is the spread of the data
 * relative to each component's width: for a row R standard deviations
 * from the origin, (x - mu) carries a rounding error of ~6e-8 R standard
 * deviations. These errors are independent across rows and mostly cancel
 * in the mean log-likelihood: measured against float64 from the same
 * start (tests/core/test_float32.c), 1e-7 relative at R = 1e4, 3e-6 at
 * 1e5, 7e-5 at 1e6; so the 1e-5 bound holds up to R ~ 2e5.
 * Layout, zero-padded to pd = gmm_padded_features(D) so the kernels need
 * no tails: means K x pd (mean - origin); precisions_chol full
 * K x pd x pd (upper triangle), tied pd x pd, diag K x pd, spherical K. */
typedef struct gmm_params_f32 {
    size_t n_components;
    size_t n_features;
    gmm_covariance_type covariance_type;
    double *origin;               /* D                                      */
    float *means;                 /* K x pd                                 */
    float *precisions_chol;       /* see above                              */
    const double *log_det_chol;   /* K: the source parameters' (double)     */
} gmm_params_f32;

gmm_status gmm_params_f32_alloc(gmm_params_f32 *params, size_t n_components,
                                size_t n_features, gmm_covariance_type type,
                                gmm_error *err);
void gmm_params_f32_free(gmm_params_f32 *params);
/* Round src (precisions up to date) to float around its mixture mean.
 * Keeps a pointer to src->log_det_chol: src must outlive its use. */
void gmm_params_f32_set(gmm_params_f32 *params, const gmm_params *src);
/* The shifts the float statistics are taken around, in double (K x D):
 * origin + (double)means, the exact values the kernels subtract. */
void gmm_params_f32_shifts(const gmm_params_f32 *params, double *shifts);

#endif
