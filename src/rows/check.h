/*
 * check.h — caller data checked before any pass reads them: the one place
 * where the library decides what data it accepts (finite values; weights
 * finite, non-negative, not all zero), for fits, k-means and scoring
 * alike.
 */
#ifndef GMM_ROWS_CHECK_H
#define GMM_ROWS_CHECK_H

#include "rows/rows.h"

/* Describe caller data as rows after checking it (on n_threads threads,
 * 0: OpenMP's default): at least min_rows rows, at least one feature,
 * finite values; weights (if any) finite, >= 0 and not all zero. Weights are copied, scaled to sum to n_rows, into
 * *owned_weights (free it after use): relative weights are what matter, and
 * unit weights then reproduce the unweighted fit exactly. */
gmm_status gmm_rows_init(gmm_rows *rows, const double *X, size_t n_rows,
                         size_t n_features, const double *weights,
                         size_t min_rows, int n_threads,
                         double **owned_weights, gmm_error *err);

/* Every value finite, on every process; the message names the first bad
 * row (global index) and column. local: as for gmm_rows_sum (a process
 * that failed before checks nothing but still takes part). */
gmm_status gmm_rows_check_finite(const gmm_rows *rows, int n_threads,
                                 gmm_status local, gmm_error *err);

#endif
