/*
 * resp.h — the sources of responsibilities a statistics pass (pass.h)
 * folds into sufficient statistics: the E-step (posterior probabilities
 * under the current parameters, in their element type) and the
 * initializers' hard or random assignments (in double).
 */
#ifndef GMM_EM_RESP_H
#define GMM_EM_RESP_H

#include <stdint.h>

#include "gmm.h"
#include "kernels/kernels.h"

/* Fill resp for rows [first_row, first_row + n_rows) whose values are X
 * (n_rows <= GMM_CHUNK_ROWS; XT: the same rows converted by the pass's
 * kernels), in the chunk layout of kernels/chunk.h and the kernels'
 * element type: component k's responsibilities at resp + k *
 * GMM_LANE_STRIDE, zero on the padded rows up to gmm_lanes(n_rows);
 * multiply each row by its weight (weights NULL: 1). May add
 * sum_i w_i log p(x_i) to *log_likelihood. scratch has scratch_size
 * doubles. */
typedef void (*gmm_resp_fn)(const void *context, const double *X,
                            const void *XT, size_t first_row, size_t n_rows,
                            const double *weights, void *resp,
                            double *log_likelihood, double *scratch);

typedef struct gmm_resp_source {
    gmm_resp_fn fn;
    const void *context;
    size_t scratch_size;  /* doubles per chunk of GMM_CHUNK_ROWS rows */
} gmm_resp_source;

/* The E-step: posterior probabilities under params, in their element
 * type; adds the weighted log-likelihood (in double). */
gmm_resp_source gmm_resp_estep(const gmm_kernel_params *params);

/* The initializers' sources, all in double. */

/* Hard assignment to the nearest of K centres (ties: the lowest index).
 * context: gmm_centers. */
typedef struct gmm_centers {
    const double *centers;  /* K x D */
    size_t n_centers;
    size_t n_features;
    const struct gmm_screen *screen;  /* theirs (kernels/screen.h), or NULL */
} gmm_centers;
gmm_resp_source gmm_resp_nearest(const gmm_centers *context);

/* Uniform random responsibilities, normalized per row; row i's values
 * depend only on (key, i), whatever the chunking or threading. */
typedef struct gmm_random_resp {
    uint64_t key;
    size_t n_components;
} gmm_random_resp;
gmm_resp_source gmm_resp_random(const gmm_random_resp *context);

/* The caller's responsibilities (gmm_options.init_resp), row i's at
 * values + i * n_components, i the global row index. */
typedef struct gmm_given_resp {
    const double *values;   /* total rows x n_components */
    size_t n_components;
} gmm_given_resp;
gmm_resp_source gmm_resp_given(const gmm_given_resp *context);

/* Row i belongs to component i (the rows are K chosen seeds). context:
 * size_t n_components. */
gmm_resp_source gmm_resp_identity(const size_t *n_components);

/* Index of the centre nearest to x (squared Euclidean distance): one
 * row's kernels/nearest.h, with the same bits. */
size_t gmm_nearest_center(const double *x, const double *centers,
                          size_t n_centers, size_t n_features, double *dist_sq);

#endif
