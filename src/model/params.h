/*
 * params.h — the parameters of a Gaussian mixture, for each covariance type,
 * and the log-density of a chunk of rows under them.
 *
 * Covariance storage (row-major), scikit-learn's shapes:
 *   full K x D x D, tied D x D, diag K x D, spherical K.
 * precisions_chol has the same shape: upper triangular U with
 * precision = U U^T for full/tied, 1/sqrt(variance) for diag/spherical.
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

size_t gmm_covariance_size(gmm_covariance_type type, size_t n_components,
                           size_t n_features);

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

/* Doubles of scratch gmm_weighted_log_prob needs for a chunk of n_rows. */
size_t gmm_log_prob_work_size(const gmm_params *params, size_t n_rows);

/* log_prob[i*K + k] = log weights[k] + log N(x_i | mean_k, cov_k) for a
 * chunk of rows. log_weights holds log(weights), computed once per pass. */
void gmm_weighted_log_prob(const gmm_params *params, const double *log_weights,
                           const double *X, size_t n_rows, double *log_prob,
                           double *work);

/* log_weights[k] = log(weights[k]). */
void gmm_params_log_weights(const gmm_params *params, double *log_weights);

/* For each row of log_prob (n_rows x K): log_norm[i] = logsumexp of the row;
 * the row is replaced by exp(row - log_norm[i]), the responsibilities
 * (NaN when every value is -inf: log_norm[i] is then -inf). */
void gmm_normalize_log_prob(double *log_prob, size_t n_rows, size_t n_components,
                            double *log_norm);

/* The same on a transposed chunk (model/chunk.h), as the E-step uses them:
 * log_prob[k * GMM_LANE_STRIDE + i] for k < K, i < gmm_lanes(n_rows) (the
 * padded rows' values are meaningless). work holds
 * gmm_chunk_log_prob_work_size doubles. */
size_t gmm_chunk_log_prob_work_size(const gmm_params *params);
void gmm_chunk_log_prob(const gmm_params *params, const double *log_weights,
                        const double *XT, size_t n_rows, double *log_prob,
                        double *work);
/* Responsibilities in place of log_prob (padded rows set to 0), and
 * log_norm[i] = log sum_k exp(log_prob) for each of the gmm_lanes(n_rows)
 * rows. */
void gmm_chunk_normalize(double *log_prob, size_t n_rows, size_t n_components,
                         double *log_norm);

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

/* The float32 E-step's log-densities from a float chunk
 * (gmm_chunk_transpose_f32 around params->origin), in float, relative to
 * the constant returned: row i's log-density under component k is that
 * constant + log_prob[k * GMM_LANE_STRIDE + i] (model/log_sum_exp.h says
 * why). */
double gmm_chunk_log_prob_f32(const gmm_params_f32 *params,
                              const double *log_weights, const float *XT,
                              size_t n_rows, float *log_prob);
/* Its log-sum-exp, as gmm_chunk_normalize: float responsibilities in
 * place of log_prob (0 on padded rows), log_norm in double, with the
 * constant shift added. */
void gmm_chunk_normalize_f32(float *log_prob, size_t n_rows, size_t n_comp,
                             double shift, double *log_norm);

#endif
