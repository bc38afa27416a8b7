/*
 * rows.h — the data a fit reads, wherever the rows live. Every pass over
 * the data goes through this one type, so the same pass code (and so the
 * same arithmetic, bit for bit) serves three sources of rows:
 *
 *  - in memory: X points at the caller's rows; windows are pointers into
 *    X, nothing is copied;
 *  - streamed: X is NULL and a reader fills a caller-provided window
 *    buffer (a file read with pread, io/npy_rows.c), so memory is
 *    threads x window whatever the number of rows;
 *  - distributed: this process holds rows [first_row, first_row + n_rows)
 *    of total_rows (in memory or streamed) and a reducer sums partial
 *    results over all processes (MPI ranks, dist/).
 *
 * Passes compute per-block partial results over the local rows and combine
 * them in block order (util/blocks.h); then gmm_rows_sum adds the
 * processes' results. With one process the sum is the identity, so the
 * single-process result does not depend on where the rows came from.
 */
#ifndef GMM_EM_ROWS_H
#define GMM_EM_ROWS_H

#include <stddef.h>

#include "gmm.h"
#include "rows/reducer.h"

/* Read rows [first_row, first_row + n_rows) (local indices) into out,
 * n_rows x n_features. Must be safe to call from several threads. */
typedef gmm_status (*gmm_row_read_fn)(void *context, size_t first_row,
                                      size_t n_rows, double *out,
                                      gmm_error *err);

typedef struct gmm_row_reader {
    gmm_row_read_fn read;
    void *context;
    size_t window_rows;  /* rows per read, a multiple of GMM_CHUNK_ROWS  */
} gmm_row_reader;

typedef struct gmm_rows {
    const double *X;        /* n_rows x n_features in memory, or NULL     */
    gmm_row_reader reader;  /* used when X is NULL                        */
    size_t n_rows;          /* rows held by this process                  */
    size_t n_features;
    const double *weights;  /* n_rows (local), or NULL for all ones       */
    double weight_sum;      /* over all processes (total_rows when NULL)  */
    double weight_scale;    /* weights = caller's weights * weight_scale  */
    size_t first_row;       /* global index of this process's first row   */
    size_t total_rows;      /* over all processes                         */
    gmm_reducer *reducer;   /* NULL: a single process; its agreements
                               change its state (stopped)               */
    /* Rows with missing entries held apart (rows/missing.h), which the
     * E-step reads beside these; NULL: none. weight_sum and total_rows
     * then count them too. */
    const struct gmm_missing_rows *missing;
} gmm_rows;

/* The caller's rows in memory, unweighted, in one process (as checked
 * data: see rows/check.h). */
gmm_rows gmm_rows_of_memory(const double *X, size_t n_rows, size_t n_features);

/* Doubles a thread needs for one window: 0 when the rows are in memory. */
size_t gmm_rows_window_size(const gmm_rows *rows);

/* The local rows [at, at + *count), *count = min(end - at, window), where
 * at is a multiple of GMM_CHUNK_ROWS: a pointer into X, or buffer (of
 * gmm_rows_window_size doubles) filled by the reader. NULL on a read
 * failure, described in err. */
const double *gmm_rows_window(const gmm_rows *rows, size_t at, size_t end,
                              double *buffer, size_t *count, gmm_error *err);

/* gmm_reducer_sum over the processes holding the rows (nothing to do for
 * one). local is this process's outcome so far: a process that failed
 * still takes part where it can, and every process then fails (the others
 * with a message that names the failed one and gives its message). */
gmm_status gmm_rows_sum(const gmm_rows *rows, double *values, size_t count,
                        gmm_status local, gmm_error *err);

/* all (size x count) receives every process's `mine`, in rank order: for
 * results whose combination must follow one fixed order on every process.
 * all may be NULL where local is a failure. */
gmm_status gmm_rows_gather(const gmm_rows *rows, const double *mine,
                           size_t count, double *all, gmm_status local,
                           gmm_error *err);

/* The rows at global indices (count x n_features into out) and, if
 * weights is not NULL, their weights, wherever they are held. */
gmm_status gmm_rows_fetch(const gmm_rows *rows, const size_t *indices,
                          size_t count, double *out, double *weights,
                          gmm_error *err);

#endif
