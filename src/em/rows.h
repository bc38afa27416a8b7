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

/* Sums across processes, and agreement on failure. A process can fail
 * anywhere (a read, an allocation, an option only it rejects), and return
 * from wherever it was: it need not reach the collective the others wait
 * in. So every collective is preceded by an agreement, one exchange of
 * the same shape wherever it is made: whichever agreement a failed process
 * makes first matches the one the others wait in, every process then
 * knows of the failure, and none communicates again (stopped). Sums are
 * only made after an agreement in which no process failed, when all are
 * at the same point.
 *
 * agree returns GMM_OK when no process failed; otherwise it fails on
 * every process: with local and its own message in err where local
 * failed, elsewhere with the status of the lowest failed rank and "MPI
 * rank R failed: <its message>". Its message is taken from err where
 * local failed (err may be NULL: then the status's description).
 * sum replaces values by their element-wise sum over all processes; every
 * process must receive the identical result (each then takes the same
 * decisions: convergence, seeds, relocation). */
typedef struct gmm_reducer {
    gmm_status (*agree)(void *context, gmm_status local, gmm_error *err);
    gmm_status (*sum)(void *context, double *values, size_t count,
                      gmm_error *err);
    void *context;
    int rank;  /* this process, 0 .. size-1 */
    int size;
    gmm_error stopped;  /* the failure every process was told of, or
                           GMM_OK while they still communicate           */
} gmm_reducer;

/* An agreement (see gmm_reducer) over the reducer's processes, or local
 * alone when reducer is NULL or has one process. After a failure was
 * agreed, nothing is exchanged: a process that failed gets local back,
 * one that has not (it went on, e.g. past a skipped candidate) the agreed
 * failure. */
gmm_status gmm_reducer_agree(gmm_reducer *reducer, gmm_status local,
                             gmm_error *err);

/* An agreement, then (when no process failed) values summed over the
 * processes. values may be NULL where local is a failure. */
gmm_status gmm_reducer_sum(gmm_reducer *reducer, double *values, size_t count,
                           gmm_status local, gmm_error *err);

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
} gmm_rows;

/* Describe caller data as rows after checking it: at least min_rows rows,
 * at least one feature, finite values; weights (if any) finite, >= 0 and
 * not all zero. Weights are copied, scaled to sum to n_rows, into
 * *owned_weights (free it after use): relative weights are what matter, and
 * unit weights then reproduce the unweighted fit exactly. */
gmm_status gmm_rows_init(gmm_rows *rows, const double *X, size_t n_rows,
                         size_t n_features, const double *weights,
                         size_t min_rows, double **owned_weights,
                         gmm_error *err);

/* Doubles a thread needs for one window: 0 when the rows are in memory. */
size_t gmm_rows_window_size(const gmm_rows *rows);

/* The local rows [at, at + *count), *count = min(end - at, window), where
 * at is a multiple of GMM_CHUNK_ROWS: a pointer into X, or buffer (of
 * gmm_rows_window_size doubles) filled by the reader. NULL on a read
 * failure, described in err. */
const double *gmm_rows_window(const gmm_rows *rows, size_t at, size_t end,
                              double *buffer, size_t *count, gmm_error *err);

/* Inside a parallel region: record the first failure of any thread
 * (*status and *shared from local) under a lock. */
void gmm_rows_note_failure(gmm_status *status, gmm_error *shared,
                           const gmm_error *local);

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

/* Every value finite, on every process; the message names the first bad
 * row (global index) and column. local: as for gmm_rows_sum (a process
 * that failed before checks nothing but still takes part). */
gmm_status gmm_rows_check_finite(const gmm_rows *rows, gmm_status local,
                                 gmm_error *err);

#endif
