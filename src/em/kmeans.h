/*
 * kmeans.h — Lloyd's k-means over gmm_rows, shared by the public
 * gmm_kmeans and the GMM's kmeans initializer.
 */
#ifndef GMM_EM_KMEANS_H
#define GMM_EM_KMEANS_H

#include "gmm.h"
#include "rows/rows.h"

/* centers: K x D out; labels: n_rows out, or NULL. Hamerly's bounds
 * (em/bounds.h) from 128 centres on. options->progress (if
 * any) is polled before each k-means++ seed and each Lloyd iteration; a
 * stop fails with GMM_ERR_INTERRUPTED. */
gmm_status gmm_kmeans_rows(const gmm_kmeans_options *options,
                           const gmm_rows *rows, double *centers, int *labels,
                           gmm_kmeans_result *result, gmm_error *err);

/* The same, with Hamerly's bounds (em/bounds.h) or without (bounded 0:
 * every row through the kernel every pass, for tests that the bounds
 * change nothing), and unless work is NULL, work[0] the local rows
 * assigned over all passes of all restarts and work[1] those whose K
 * distances were computed (the rest took one). */
gmm_status gmm_kmeans_rows_work(const gmm_kmeans_options *options,
                                const gmm_rows *rows, int bounded,
                                double *centers, int *labels,
                                gmm_kmeans_result *result, size_t work[2],
                                gmm_error *err);

/* Unweighted per-feature means (D, or NULL) and the mean over features of
 * the per-feature variances (or NULL), in one shifted pass that does not
 * cancel. k-means scales its tolerance by that variance, as scikit-learn. */
gmm_status gmm_feature_moments(const gmm_rows *rows, int n_threads,
                               double *mean, double *mean_variance,
                               gmm_error *err);

#endif
