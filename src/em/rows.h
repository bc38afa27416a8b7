/*
 * rows.h — the data a fit reads: n_rows x n_features doubles and optional
 * per-row weights. Every pass over the data goes through this one type, so
 * a new source of rows (a streamed file, an MPI slice) changes one place.
 */
#ifndef GMM_EM_ROWS_H
#define GMM_EM_ROWS_H

#include <stddef.h>

typedef struct gmm_rows {
    const double *X;        /* n_rows x n_features, row-major              */
    size_t n_rows;
    size_t n_features;
    const double *weights;  /* n_rows, or NULL for all ones                */
    double weight_sum;      /* sum of weights (n_rows when NULL)           */
    double weight_scale;    /* weights = caller's weights * weight_scale   */
} gmm_rows;



#include "gmm.h"

/* Describe caller data as rows after checking it: at least min_rows rows,
 * at least one feature, finite values; weights (if any) finite, >= 0 and
 * not all zero. Weights are copied, scaled to sum to n_rows, into
 * *owned_weights (free it after use): relative weights are what matter, and
 * unit weights then reproduce the unweighted fit exactly. */
gmm_status gmm_rows_init(gmm_rows *rows, const double *X, size_t n_rows,
                         size_t n_features, const double *weights,
                         size_t min_rows, double **owned_weights,
                         gmm_error *err);
#endif
