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
 * the row is replaced by exp(row - log_norm[i]), the responsibilities. */
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

#endif
