/*
 * missing.h — data with missing entries (NaN, under gmm_options.missing =
 * GMM_MISSING_MARGINALIZE), arranged once per fit for the passes that
 * read them.
 *
 * The rows are copied once, reordered: the complete rows first, in their
 * order, then the incomplete rows grouped by missingness pattern (a bit
 * per feature, set where the entry is missing), so that consecutive rows
 * share a pattern and a pass factors each pattern's observed block once
 * per run of rows (model/missing.h). In the copy each missing entry holds
 * its column's mean over the observed entries: that copy, whole, is what
 * the initializers (k-means and the others) read; the E-step reads the
 * complete rows with the kernels and the incomplete ones through their
 * patterns. Memory: one copy of the data and a bit per entry of the
 * incomplete rows.
 */
#ifndef GMM_ROWS_MISSING_H
#define GMM_ROWS_MISSING_H

#include <stdint.h>

#include "rows/rows.h"

typedef struct gmm_missing_rows {
    double *filled;     /* n x D, complete rows first, missing = mean      */
    double *weights;    /* n (the caller's scaled weights, reordered), or
                           NULL for unit weights                          */
    size_t *order;      /* n: the caller's index of each row of filled     */
    uint64_t *masks;    /* n_incomplete x mask_words, row i of incomplete  */
    size_t mask_words;
    size_t n_complete, n_incomplete;
    gmm_rows all;         /* every row of filled: the initializers' rows   */
    gmm_rows incomplete;  /* rows n_complete.. of filled                   */
} gmm_missing_rows;

/* Words of a pattern of d features. */
static inline size_t gmm_missing_words(size_t d) { return (d + 63) / 64; }

/* Whether feature j is missing in pattern mask. */
static inline int gmm_missing_bit(const uint64_t *mask, size_t j)
{
    return (int)((mask[j / 64] >> (j % 64)) & 1u);
}

/* Check the n x d values X for a fit or scoring that marginalizes
 * missing entries: Inf is an error (naming row and column), and so is a
 * row whose every entry is NaN (naming the row, counted from 0);
 * *n_missing_rows gets the number of rows with a NaN. */
gmm_status gmm_missing_scan(const double *X, size_t n_rows, size_t n_features,
                            size_t *n_missing_rows, gmm_error *err);

/* The pattern of row x (d values) into mask (gmm_missing_words(d)). */
void gmm_missing_pattern(const double *x, size_t d, uint64_t *mask);

/* Arrange the checked rows X (n x d; weights: their scaled weights, or
 * NULL) as above. rows gets the complete rows, with rows->missing the
 * incomplete ones and rows->weight_sum and total_rows counting both.
 * Free with gmm_missing_rows_free. */
gmm_status gmm_missing_rows_init(gmm_missing_rows *m, gmm_rows *rows,
                                 const double *X, size_t n_rows,
                                 size_t n_features, const double *weights,
                                 gmm_error *err);
void gmm_missing_rows_free(gmm_missing_rows *m);

#endif
