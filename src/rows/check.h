/*
 * check.h — caller data checked before any pass reads them: the one place
 * where the library decides what data it accepts (finite values; weights
 * finite, non-negative, not all zero), for fits, k-means and scoring
 * alike.
 */
#ifndef GMM_ROWS_CHECK_H
#define GMM_ROWS_CHECK_H

#include "rows/rows.h"

/* Check n sample weights: finite, non-negative, not all zero (naming the
 * first bad one, counted from 0). *largest gets the largest. The one
 * check of sample weights: every fit makes it (gmm_rows_init), and the
 * gmm command makes it as it reads a weights file, to name the file. */
gmm_status gmm_validate_sample_weights(const double *weights, size_t n,
                                       double *largest, gmm_error *err);

/* Describe caller data as rows after checking it (on n_threads threads,
 * 0: OpenMP's default): at least min_rows rows, at least one feature,
 * finite values; weights (if any) finite, >= 0 and not all zero. Weights are copied, scaled to sum to n_rows, into
 * *owned_weights (free it after use): relative weights are what matter, and
 * unit weights then reproduce the unweighted fit exactly. */
gmm_status gmm_rows_init(gmm_rows *rows, const double *X, size_t n_rows,
                         size_t n_features, const double *weights,
                         size_t min_rows, int n_threads,
                         double **owned_weights, gmm_error *err);

/* gmm_rows_init's weights for rows already checked: weights (NULL: none)
 * validated and copied, scaled, into *owned_weights and rows->weights. */
gmm_status gmm_rows_weigh(gmm_rows *rows, const double *weights,
                          double **owned_weights, gmm_error *err);

/* Every value finite, on every process; the message names the first bad
 * row (global index) and column. local: as for gmm_rows_sum (a process
 * that failed before checks nothing but still takes part). */
gmm_status gmm_rows_check_finite(const gmm_rows *rows, int n_threads,
                                 gmm_status local, gmm_error *err);

#endif
