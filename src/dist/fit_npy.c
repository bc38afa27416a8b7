/*
 * fit_npy.c — gmm_fit_npy: EM on an .npy file that need not fit in memory,
 * on one process or on every rank of an MPI communicator.
 *
 * Rank r of P takes rows [r N / P, (r + 1) N / P) and reads only those: into
 * memory (memory_limit 0) or window by window with pread (rows/rows.h,
 * io/npy_rows.h), each thread holding one window of at most
 * memory_limit / threads bytes. The fit itself is gmm_fit's (em/fit.c):
 * on one process the same passes over the same chunks give the in-memory
 * fit bit for bit; on P ranks each pass's sums are added across ranks, so
 * only the summation order differs. gmm_npy_shape reads the header alone,
 * for callers that must know the width before streaming (an init model).
 *
 * Under missing = GMM_MISSING_MARGINALIZE each rank arranges its rows by
 * pattern where they are (rows/missing.h's gmm_missing_rows_stream: an
 * index per row, no copy), with the column means of every rank's observed
 * entries, and the fit adds the ranks' statistics of the incomplete rows
 * as it adds the others'. On one process that is the in-memory arrangement
 * itself, and the fit is gmm_fit's bit for bit; on several, each rank
 * arranges its own slice, the initializers read the rows in the file's
 * order as on one process, and the sums are added across ranks.
 *
 * Over ranks, any step may fail on one rank alone: the file is missing or
 * another on its node, its slice does not fit in memory, its thread count
 * makes the memory limit too small. Such a rank skips what it cannot do
 * and goes to the next agreement (rows/rows.h's gmm_reducer), ending with
 * the last one here; the others meet it in theirs, so every rank fails and
 * none waits. A file or options that differ between ranks would make the
 * ranks' sums differ in size, or silently disagree: each rank compares
 * its own with rank 0's before anything else.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dist/mpi_reducer.h"
#include "em/fit.h"
#include "io/npy_rows.h"
#include "model/covariance.h"
#include "model/model.h"
#include "model/params.h"
#include "rows/check.h"
#include "rows/missing.h"
#include "util/blocks.h"
#include "util/error.h"

/* A hash of n doubles' bytes (FNV-1a, 64 bits), cut to 53 bits so that
 * it travels exactly in a double. */
static double checksum(const double *values, size_t n)
{
    uint64_t hash = 14695981039346656037u;
    const unsigned char *bytes = (const unsigned char *)values;
    for (size_t i = 0; values && i < n * sizeof *values; i++)
        hash = (hash ^ bytes[i]) * 1099511628211u;
    return (double)(hash >> 11);
}

/* What must be the same on every rank for the ranks' passes to be the
 * same: the file's shape and every option that steers the fit. */
enum {
    SAME_ROWS, SAME_COLUMNS, SAME_COMPONENTS, SAME_COVARIANCE, SAME_DTYPE,
    SAME_INIT, SAME_N_INIT, SAME_MAX_ITER, SAME_TOL, SAME_REG_COVAR,
    SAME_SEED_HIGH, SAME_SEED_LOW, SAME_WARM, SAME_MISSING, SAME_INIT_ARRAYS,
    SAME_COUNT
};

static const char *const same_names[SAME_COUNT] = {
    "rows", "columns", "n_components", "covariance_type", "dtype",
    "init_params", "n_init", "max_iter", "tol", "reg_covar", "seed", "seed",
    "warm_start", "missing", "initial parameters (a checksum)"};

static void describe(const gmm_model *model, const io_npy_rows *file,
                     double same[SAME_COUNT])
{
    const gmm_options *o = &model->options;
    size_t k = o->n_components, d = file->layout.n_cols;
    size_t cov_size = gmm_covariance_size(o->covariance_type, k, d);
    int warm = o->warm_start && model->fitted;
    same[SAME_ROWS] = (double)file->layout.n_rows;
    same[SAME_COLUMNS] = (double)d;
    same[SAME_COMPONENTS] = (double)k;
    same[SAME_COVARIANCE] = o->covariance_type;
    same[SAME_DTYPE] = o->dtype;
    same[SAME_INIT] = o->init_params;
    same[SAME_N_INIT] = o->n_init;
    same[SAME_MAX_ITER] = o->max_iter;
    same[SAME_TOL] = o->tol;
    same[SAME_REG_COVAR] = o->reg_covar;
    same[SAME_SEED_HIGH] = (double)(o->seed >> 32);
    same[SAME_SEED_LOW] = (double)(o->seed & 0xffffffffu);
    same[SAME_WARM] = warm;
    same[SAME_MISSING] = o->missing;
    /* The start of the fit, where it is given rather than drawn. A
     * mismatch in K or D was caught above, so the sizes are right. */
    same[SAME_INIT_ARRAYS] =
        warm ? checksum(model->params.means, k * d) +
                   checksum(model->params.covariances, cov_size)
             : checksum(o->weights_init, k) + checksum(o->means_init, k * d) +
                   checksum(o->precisions_init, cov_size) +
                   checksum(o->covariances_init, cov_size);
}

/* This rank's file and options against rank 0's: a rank that differs
 * fails (and so every rank, through the agreement of the sum). */
static gmm_status check_same_everywhere(gmm_reducer *ranks,
                                        const gmm_model *model,
                                        const io_npy_rows *file,
                                        gmm_status local, gmm_error *err)
{
    if (!ranks || ranks->size == 1)
        return local;
    double mine[SAME_COUNT], first[SAME_COUNT] = {0};
    if (local == GMM_OK) {
        describe(model, file, mine);
        if (ranks->rank == 0)
            memcpy(first, mine, sizeof first);
    }
    gmm_status status = gmm_reducer_sum(ranks, first, SAME_COUNT, local, err);
    if (status != GMM_OK)
        return status;
    /* Checked in order: a different K makes every later entry differ. */
    size_t i = 0;
    while (i < SAME_COUNT && (mine[i] == first[i] ||
                              (isnan(mine[i]) && isnan(first[i]))))
        i++;
    if (i == SAME_COUNT)
        return GMM_OK;
    if (i <= SAME_COLUMNS)
        status = gmm_fail(err, GMM_ERR_DATA,
                          "%s has %.0f rows x %.0f columns here, but %.0f x %.0f "
                          "on MPI rank 0: every rank must read the same file "
                          "(at the same path on every node)", file->name,
                          mine[SAME_ROWS], mine[SAME_COLUMNS], first[SAME_ROWS],
                          first[SAME_COLUMNS]);
    else
        status = gmm_fail(err, GMM_ERR_INVALID,
                          "%s is %.17g here, but %.17g on MPI rank 0: every "
                          "rank must fit with the same options", same_names[i],
                          mine[i], first[i]);
    return gmm_reducer_agree(ranks, status, err);
}

/* Rows per window for this memory limit: whole chunks, at least one, and
 * no more than the n_rows there are (a limit larger than the file holds
 * the file, not buffers of the limit's size). */
static gmm_status window_rows(size_t memory_limit, int n_threads,
                              size_t n_features, size_t n_rows, size_t *rows,
                              gmm_error *err)
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
    size_t all_chunks = (n_rows + GMM_CHUNK_ROWS - 1) / GMM_CHUNK_ROWS;
    *rows = (chunks < all_chunks ? chunks : all_chunks) * GMM_CHUNK_ROWS;
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
 * streamed through slice. Any failure may be this rank's alone: memory
 * and I/O, and the memory limit too, whose minimum grows with the thread
 * count, which may differ from node to node. */
static gmm_status slice_rows(slice_reader *slice, gmm_reducer *reducer,
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
    size_t window = 0, local_rows = (rank + 1) * n / size - slice->first_row;
    gmm_status status = memory_limit > 0 ? window_rows(memory_limit, n_threads, d,
                                                       local_rows, &window, err)
                                         : GMM_OK;
    if (status != GMM_OK)
        return status;
    *rows = (gmm_rows){.reader = {read_slice, slice, window},
                       .n_rows = local_rows,
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
    /* Without a reducer (MPI not started) no rank can wait for another. */
    gmm_reducer reducer;
    gmm_status status = mpi_comm ? gmm_dist_reducer(mpi_comm, &reducer, err)
                                 : GMM_OK;
    if (status != GMM_OK)
        return status;
    gmm_reducer *ranks = mpi_comm ? &reducer : NULL;
    /* Opening reads the header alone. */
    io_npy_rows file = {.fd = -1};
    if (!model || !path)
        status = gmm_fail(err, GMM_ERR_INVALID, "gmm_fit_npy: NULL argument");
    else
        status = io_npy_rows_open(path, &file, err);
    status = check_same_everywhere(ranks, model, &file, status, err);
    gmm_rows rows = {0};
    double *owned = NULL;
    slice_reader slice = {&file, 0};
    if (status == GMM_OK)
        status = slice_rows(&slice, ranks, memory_limit, model->options.n_threads,
                            &rows, &owned, err);
    /* Every rank checks its rows, and hears of any rank's failure. Rows
     * with missing entries are checked as they are arranged; where no
     * rank has any, the fit is the complete rows' own. */
    gmm_missing_rows m = {0};
    gmm_rows arranged = {0};
    size_t n_missing = 0;
    int marginalize = model->options.missing == GMM_MISSING_MARGINALIZE;
    if (rows.total_rows > 0 && marginalize)
        status = status == GMM_OK
                     ? gmm_missing_rows_stream(&m, &arranged, &rows, &n_missing,
                                               err)
                     : gmm_reducer_agree(ranks, status, err);
    else if (rows.total_rows > 0)
        status = gmm_rows_check_finite(&rows, model->options.n_threads, status,
                                       err);
    /* The fit ends with an agreement of its own, before it changes the
     * model; a rank that failed before it agrees here. */
    if (status == GMM_OK)
        status = gmm_fit_rows(model, n_missing > 0 ? &arranged : &rows, NULL,
                              err);
    else
        status = gmm_reducer_agree(ranks, status, err);
    if (status == GMM_OK)
        gmm_error_clear(err);
    gmm_missing_rows_free(&m);
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
