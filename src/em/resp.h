/*
 * resp.h — the sources of responsibilities a statistics pass (pass.h)
 * folds into sufficient statistics: the E-step (posterior probabilities
 * under the current parameters) and the initializers' hard or random
 * assignments.
 */
#ifndef GMM_EM_RESP_H
#define GMM_EM_RESP_H

#include <stdint.h>

#include "gmm.h"
#include "model/params.h"

/* Fill resp for rows [first_row, first_row + n_rows) whose values are X
 * (n_rows <= GMM_CHUNK_ROWS; XT: the same rows transposed, as
 * gmm_chunk_transpose makes them), in the chunk layout of kernels/chunk.h:
 * component k's responsibilities at resp + k * GMM_LANE_STRIDE, zero on the
 * padded rows up to gmm_lanes(n_rows); multiply each row by its weight
 * (weights NULL: 1). May add
 * sum_i w_i log p(x_i) to *log_likelihood. scratch has scratch_size doubles. */
typedef void (*gmm_resp_fn)(const void *context, const double *X,
                            const double *XT, size_t first_row, size_t n_rows,
                            const double *weights, double *resp,
                            double *log_likelihood, double *scratch);

typedef struct gmm_resp_source {
    gmm_resp_fn fn;
    const void *context;
    size_t scratch_size;  /* doubles per chunk of GMM_CHUNK_ROWS rows */
} gmm_resp_source;

/* The E-step: posterior probabilities under params; adds the weighted
 * log-likelihood. context: gmm_estep_context. */
typedef struct gmm_estep_context {
    const gmm_params *params;
    const double *log_weights;  /* K */
} gmm_estep_context;
gmm_resp_source gmm_resp_estep(const gmm_estep_context *context);

/* The float32 E-step (gmm_options.dtype): posterior probabilities under
 * params rounded to float (model/params.h). */
typedef struct gmm_estep_f32_context {
    const gmm_params_f32 *params;
    const double *log_weights;  /* K */
} gmm_estep_f32_context;
/* Its E-step on one float chunk: responsibilities (float, chunk layout,
 * times the row weights) into resp; adds the weighted log-likelihood.
 * scratch holds gmm_estep_f32_scratch_size() doubles. */
size_t gmm_estep_f32_scratch_size(void);
void gmm_estep_f32_chunk(const gmm_estep_f32_context *context, const float *XT,
                         size_t n_rows, const double *weights, float *resp,
                         double *log_likelihood, double *scratch);

/* Hard assignment to the nearest of K centres (ties: the lowest index).
 * context: gmm_centers. */
typedef struct gmm_centers {
    const double *centers;  /* K x D */
    size_t n_centers;
    size_t n_features;
} gmm_centers;
gmm_resp_source gmm_resp_nearest(const gmm_centers *context);

/* Uniform random responsibilities, normalized per row; row i's values
 * depend only on (key, i), whatever the chunking or threading. */
typedef struct gmm_random_resp {
    uint64_t key;
    size_t n_components;
} gmm_random_resp;
gmm_resp_source gmm_resp_random(const gmm_random_resp *context);

/* Row i belongs to component i (the rows are K chosen seeds). context:
 * size_t n_components. */
gmm_resp_source gmm_resp_identity(const size_t *n_components);

/* Index of the centre nearest to x (squared Euclidean distance). */
size_t gmm_nearest_center(const double *x, const double *centers,
                          size_t n_centers, size_t n_features, double *dist_sq);

#endif
