/*
 * seeding.h — choosing K initial rows: k-means++ and uniform random.
 * Used by k-means and by the GMM initializers k-means++ and
 * random_from_data.
 */
#ifndef GMM_EM_SEEDING_H
#define GMM_EM_SEEDING_H

#include "em/labels.h"
#include "em/stop.h"
#include "gmm.h"
#include "rows/rows.h"
#include "util/rng.h"

/* scikit-learn's greedy k-means++ (Arthur & Vassilvitskii 2007, with
 * 2 + floor(ln K) candidates per step, keeping the one that lowers the
 * potential most). Rows are drawn with probability proportional to weight
 * times squared distance, over the rows of all processes. Writes K global
 * row indices (the same on every process). nearest: labels of the rows
 * (gmm_labels_alloc for n_clusters, kept or not), a work space in which
 * each row's nearest seed may be kept; what it holds on return is
 * unspecified. stop (may be NULL) is polled before each seed's passes: a stop
 * fails with GMM_ERR_INTERRUPTED. */
gmm_status gmm_seed_kmeans_plusplus(const gmm_rows *rows, size_t n_clusters,
                                    gmm_rng *rng, gmm_labels *nearest,
                                    int n_threads, const gmm_stop *stop,
                                    size_t *indices, gmm_error *err);

/* K distinct rows chosen uniformly among all processes' rows (Floyd's
 * algorithm; no O(N) memory); global indices. */
gmm_status gmm_seed_random(const gmm_rows *rows, size_t n_clusters,
                           gmm_rng *rng, size_t *indices, gmm_error *err);

#endif
