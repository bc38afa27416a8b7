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
 * its column's mean over the observed entries; the E-step reads the
 * complete rows with the kernels and the incomplete ones through their
 * patterns. The initializers (k-means and the others) read the caller's
 * rows in the caller's order, each missing entry filled with the same
 * mean as it is read: a start that does not depend on how the rows are
 * arranged, and so the same on one process and over MPI ranks. Memory:
 * one copy of the data and a bit per entry of the incomplete rows.
 *
 * Rows that stay where they are (a file streamed window by window, an MPI
 * rank's slice: gmm_missing_rows_stream) are arranged the same way without
 * the copy: the same patterns in the same sorted order, kept as the file
 * index of each arranged row (order) and the incomplete rows' masks, the
 * complete and incomplete rows read through a reader that fetches the
 * arranged rows from the source (consecutive ones in one read) and fills
 * their missing entries as it reads. Memory: an index per row and a bit
 * per entry of the incomplete rows; the data stay in the file. On one
 * process the passes then see the very values of the copy, in the same
 * order, so the fit is the in-memory one bit for bit.
 */
#ifndef GMM_ROWS_MISSING_H
#define GMM_ROWS_MISSING_H

#include <stdint.h>

#include "rows/rows.h"

struct gmm_missing_rows;

/* A reader's view of arranged rows from the offset-th on (streamed). */
typedef struct gmm_missing_view {
    const struct gmm_missing_rows *m;
    size_t offset;
} gmm_missing_view;

typedef struct gmm_missing_rows {
    double *filled;     /* n x D, complete rows first, missing = mean, or
                           NULL where the rows are streamed               */
    double *weights;    /* n (the caller's scaled weights, reordered), or
                           NULL for unit weights                          */
    size_t *order;      /* n: the caller's index of each row of filled     */
    uint64_t *masks;    /* n_incomplete x mask_words, row i of incomplete  */
    size_t mask_words;
    size_t n_complete, n_incomplete;
    gmm_rows all;         /* every row of the source, in its order, filled:
                             the initializers' rows                      */
    gmm_rows incomplete;  /* rows n_complete.. of filled                   */
    /* The rows as the caller holds them (its X in memory, or its file),
     * each column's mean over the observed entries (of every process),
     * and, streamed, the readers' views of the complete and the
     * incomplete rows. */
    gmm_rows source;
    double *means;
    gmm_missing_view views[2];
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

/* gmm_missing_rows_init for rows that stay in source (in memory or
 * streamed, on one process or one of several: source->reducer), read
 * once, window by window, to check them as gmm_missing_scan does (naming
 * global rows), to find their patterns and to sum the observed entries'
 * columns over every process; rows and m's rows then read from source,
 * which must outlive them. *n_missing_rows gets the number of incomplete rows over
 * every process: where it is 0, the caller fits source itself. A failure
 * on any process fails every process. */
gmm_status gmm_missing_rows_stream(gmm_missing_rows *m, gmm_rows *rows,
                                   const gmm_rows *source,
                                   size_t *n_missing_rows, gmm_error *err);

#endif
