/*
 * init.h — initial parameters for one EM run (scikit-learn's
 * _initialize_parameters followed by _initialize).
 */
#ifndef GMM_EM_INIT_H
#define GMM_EM_INIT_H

#include "model/params.h"
#include "rows/rows.h"

/* The k-means solutions the kmeans initializer starts from, computed once
 * for fits of the same rows that differ only in covariance type
 * (gmm_select). A k-means run depends on the rows, K and its seed alone;
 * what depends on the covariance type (the statistics of the
 * nearest-centre assignment, and the choice among candidates by initial
 * likelihood) is still done by each fit, so a fit given these starts is
 * bit-identical to one without. Centres rather than labels: the
 * assignment pass recomputes labels from them in O(NKD) flops, which
 * keeps memory at K x D per run instead of N. */
typedef struct gmm_kmeans_start {
    size_t n_clusters;
    uint64_t seed;     /* the k-means seed                                  */
    double *centers;   /* n_clusters x n_features; NULL when the run failed:
                          the fit then runs it and meets the failure itself */
} gmm_kmeans_start;

typedef struct gmm_kmeans_starts {
    gmm_kmeans_start *start;
    size_t n_starts;
} gmm_kmeans_starts;

/* The k-means runs gmm_fit_rows would make with options (any covariance
 * type) for each of n_components[0..n_k-1] on rows: none unless options
 * initialize by k-means, none for K above the number of rows (such a fit
 * fails first). Runs are shared out over options->n_threads threads, one
 * run per thread. For rows in one process only. The runs poll
 * options->progress (if any, told n_iter 0) as every k-means does; once
 * it asks to stop, the runs under way stop at their next poll, none
 * starts, and the call fails with GMM_ERR_INTERRUPTED; otherwise it fails
 * only for lack of memory for the list. Free with gmm_kmeans_starts_free
 * in any case. */
gmm_status gmm_kmeans_starts_compute(const gmm_options *options,
                                     const gmm_rows *rows,
                                     const size_t *n_components, size_t n_k,
                                     gmm_kmeans_starts *starts, gmm_error *err);
void gmm_kmeans_starts_free(gmm_kmeans_starts *starts);

/* The seed of initialization `init` (0 .. n_init-1) of a fit. */
uint64_t gmm_initialize_seed(const gmm_options *options, int init);

/* Responsibilities from options->init_params (seeded by run_seed) give
 * weights, means and covariances; explicit weights_init, means_init and
 * precisions_init / covariances_init then replace their parts. When all
 * three are given no pass over the data is made. Explicit arrays must have
 * been validated. starts (may be NULL) holds k-means solutions computed
 * on these rows; a k-means run found there is not run again. */
gmm_status gmm_initialize(const gmm_options *options, const gmm_rows *rows,
                          uint64_t run_seed, const gmm_kmeans_starts *starts,
                          gmm_params *out, gmm_error *err);

#endif
