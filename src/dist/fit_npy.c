/*
 * fit_npy.c — gmm_fit_npy: EM on an .npy file that need not fit in memory,
 * on one process or on every rank of an MPI communicator.
 *
 * Rank r of P takes rows [r N / P, (r + 1) N / P) and reads only those: into
 * memory (memory_limit 0) or window by window with pread (em/rows.h,
 * io/npy_rows.h), each thread holding one window of at most
 * memory_limit / threads bytes. The fit itself is gmm_fit's (em/fit.c):
 * on one process the same passes over the same chunks give the in-memory
 * fit bit for bit; on P ranks each pass's sums are added across ranks, so
 * only the summation order differs. gmm_npy_shape reads the header alone,
 * for callers that must know the width before streaming (an init model).
 */
#include <stdlib.h>

#include "dist/reducer.h"
#include "em/fit.h"
#include "io/npy_rows.h"
#include "model/model.h"
#include "util/blocks.h"
#include "util/error.h"

/* Rows per window for this memory limit: whole chunks, at least one. */
static gmm_status window_rows(size_t memory_limit, int n_threads,
                              size_t n_features, size_t *rows, gmm_error *err)
{
    size_t chunk_bytes = GMM_CHUNK_ROWS * n_features * sizeof(double);
    size_t threads = (size_t)gmm_threads(n_threads);
    size_t chunks = memory_limit / threads / chunk_bytes;
    if (chunks == 0)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "a memory limit of %zu bytes is too small: %zu threads "
                        "need at least %zu rows of %zu features each (%zu bytes); "
                        "raise the limit or use fewer threads", memory_limit,
                        threads, (size_t)GMM_CHUNK_ROWS, n_features,
                        threads * chunk_bytes);
    *rows = chunks * GMM_CHUNK_ROWS;
    return GMM_OK;
}

/* The passes ask for local rows; the file holds global ones. */
typedef struct slice_reader {
    io_npy_rows *file;
    size_t first_row;
} slice_reader;

static gmm_status read_slice(void *context, size_t first_row, size_t n_rows,
                             double *out, gmm_error *err)
{
    const slice_reader *slice = context;
    return io_npy_rows_read(slice->file, slice->first_row + first_row, n_rows,
                            out, err);
}

/* This process's rows of the file: in memory (*owned, to free) or
 * streamed through slice. Failures after rows is set are this process's
 * alone (memory, I/O); the others are the same on every rank. */
static gmm_status slice_rows(slice_reader *slice, const gmm_reducer *reducer,
                             size_t memory_limit, int n_threads, gmm_rows *rows,
                             double **owned, gmm_error *err)
{
    io_npy_rows *file = slice->file;
    size_t n = file->layout.n_rows, d = file->layout.n_cols;
    size_t rank = reducer ? (size_t)reducer->rank : 0;
    size_t size = reducer ? (size_t)reducer->size : 1;
    if (n < 2 || n < size)
        return gmm_fail(err, GMM_ERR_DATA,
                        "%s: expected at least %zu rows of data (2, and one per "
                        "MPI rank), got %zu", file->name, size > 2 ? size : 2, n);
    slice->first_row = rank * n / size;
    size_t window = 0;
    gmm_status status = memory_limit > 0 ? window_rows(memory_limit, n_threads, d,
                                                       &window, err)
                                         : GMM_OK;
    if (status != GMM_OK)
        return status;
    *rows = (gmm_rows){.reader = {read_slice, slice, window},
                       .n_rows = (rank + 1) * n / size - slice->first_row,
                       .n_features = d, .weight_sum = (double)n, .weight_scale = 1.0,
                       .first_row = slice->first_row, .total_rows = n,
                       .reducer = reducer};
    if (memory_limit > 0)
        return GMM_OK;
    *owned = malloc(rows->n_rows * d * sizeof **owned);
    if (!*owned)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu x %zu "
                        "values; give a memory limit to stream the rows instead",
                        file->name, rows->n_rows, d);
    rows->X = *owned;
    return read_slice(slice, 0, rows->n_rows, *owned, err);
}

gmm_status gmm_fit_npy(gmm_model *model, const char *path, size_t memory_limit,
                       const void *mpi_comm, gmm_error *err)
{
    if (!model || !path)
        return gmm_fail(err, GMM_ERR_INVALID, "gmm_fit_npy: NULL argument");
    gmm_reducer reducer;
    gmm_status status = mpi_comm ? gmm_dist_reducer(mpi_comm, &reducer, err)
                                 : GMM_OK;
    if (status != GMM_OK)
        return status;
    /* Opening reads the header alone; the header is the same for all. */
    io_npy_rows file;
    status = io_npy_rows_open(path, &file, err);
    if (status != GMM_OK)
        return status;
    gmm_rows rows = {0};
    double *owned = NULL;
    slice_reader slice = {&file, 0};
    status = slice_rows(&slice, mpi_comm ? &reducer : NULL, memory_limit,
                        model->options.n_threads, &rows, &owned, err);
    /* Every rank checks its rows, and hears of any rank's failure. */
    if (rows.total_rows > 0)
        status = gmm_rows_check_finite(&rows, status, err);
    if (status == GMM_OK)
        status = gmm_fit_rows(model, &rows, NULL, err);
    if (status == GMM_OK)
        gmm_error_clear(err);
    free(owned);
    io_npy_rows_close(&file);
    return status;
}

gmm_status gmm_npy_shape(const char *path, size_t *n_rows, size_t *n_cols,
                         gmm_error *err)
{
    if (!path || !n_rows || !n_cols)
        return gmm_fail(err, GMM_ERR_INVALID, "gmm_npy_shape: NULL argument");
    io_npy_rows file;
    gmm_status status = io_npy_rows_open(path, &file, err);
    if (status != GMM_OK)
        return status;
    *n_rows = file.layout.n_rows;
    *n_cols = file.layout.n_cols;
    io_npy_rows_close(&file);
    gmm_error_clear(err);
    return GMM_OK;
}
