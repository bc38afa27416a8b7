/*
 * runner.c — the parallel pass over rows (runner.h).
 */
#include "rows/runner.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

void gmm_pass_buffers_free(gmm_pass_buffers *buffers)
{
    free(buffers->scratch);
    memset(buffers, 0, sizeof *buffers);
}

/* A thread's slice, rounded up to a cache line so that two threads never
 * write the same line. */
static size_t slice_size(size_t doubles) { return (doubles + 7) / 8 * 8; }

/* Make buffers hold n_threads slices of `doubles`, keeping what they have
 * when that is enough. */
static gmm_status reserve(gmm_pass_buffers *buffers, size_t doubles,
                          int n_threads, gmm_error *err)
{
    size_t slice = slice_size(doubles > 0 ? doubles : 1);
    if (buffers->slice >= slice && buffers->n_slices >= (size_t)n_threads)
        return GMM_OK;
    free(buffers->scratch);
    buffers->slice = buffers->n_slices = 0;
    buffers->scratch = malloc((size_t)n_threads * slice * sizeof *buffers->scratch);
    if (!buffers->scratch)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the threads' "
                        "buffers (%d x %zu doubles)", n_threads, slice);
    buffers->slice = slice;
    buffers->n_slices = (size_t)n_threads;
    return GMM_OK;
}

/* Inside a parallel region: record the first failure of any thread
 * (*status and *shared from local) under a lock. */
static void note_failure(gmm_status *status, gmm_error *shared,
                         const gmm_error *local)
{
    /* Unnamed: a named critical section is a global symbol, which the
     * shared library would export. Failures are rare; sharing the one
     * lock of unnamed sections costs nothing. */
#pragma omp critical
    {
        if (*status == GMM_OK) {
#pragma omp atomic write
            *status = local->status;
            if (shared)
                *shared = *local;
        }
    }
}

/* Block b into result, window by window and chunk by chunk. scratch
 * holds the pass's scratch_size doubles and then a window. A failed read
 * is described in *err. */
static gmm_status run_block(const gmm_pass *pass, size_t b, size_t result,
                            double *scratch, gmm_error *err)
{
    const gmm_rows *rows = pass->rows;
    size_t d = rows->n_features, begin, end, count;
    double *window = scratch + pass->scratch_size;
    if (pass->begin)
        pass->begin(pass->context, result);
    gmm_blocks_range(&pass->blocks, b, &begin, &end);
    for (size_t at = begin; at < end; at += count) {
        const double *X = gmm_rows_window(rows, at, end, window, &count, err);
        if (!X)
            return err->status;
        for (size_t c = 0; c < count; c += GMM_CHUNK_ROWS) {
            size_t n = count - c < GMM_CHUNK_ROWS ? count - c : GMM_CHUNK_ROWS;
            pass->chunk(pass->context, result, X + c * d, at + c, n, scratch);
        }
    }
    return GMM_OK;
}

static int pass_ok(gmm_status *status)
{
    gmm_status seen;
#pragma omp atomic read
    seen = *status;
    return seen == GMM_OK;
}

/* Inside the parallel region: block b into result unless the pass has
 * failed already (its result is not used then), noting its failure. */
static void run_shared(const gmm_pass *pass, size_t b, size_t result,
                       double *scratch, gmm_status *status, gmm_error *err)
{
    gmm_error local_err;
    if (pass_ok(status) &&
        run_block(pass, b, result, scratch, &local_err) != GMM_OK)
        note_failure(status, err, &local_err);
}

int gmm_pass_threads(const gmm_pass *pass)
{
    int threads = (double)pass->rows->n_rows * pass->row_cost >
                          GMM_PASS_THREADED_WORK
                      ? gmm_threads(pass->n_threads) : 1;
    return (size_t)threads > pass->blocks.n_blocks ? (int)pass->blocks.n_blocks
                                                   : threads;
}

gmm_status gmm_run_pass(const gmm_pass *pass, gmm_pass_buffers *buffers,
                        gmm_error *err)
{
    size_t n_blocks = pass->blocks.n_blocks;
    int threads = gmm_pass_threads(pass);
    int per_thread = pass->results == GMM_PASS_PER_THREAD;
    gmm_pass_buffers own = {0};
    gmm_pass_buffers *b = buffers ? buffers : &own;
    gmm_status status = reserve(b, pass->scratch_size +
                                gmm_rows_window_size(pass->rows), threads, err);

    if (status == GMM_OK && threads == 1) {
        /* No parallel region at all: even one that `if` keeps on this
         * thread costs libgomp's team set-up and a futex wake (note 13). */
        gmm_error local_err;
        for (size_t block = 0; status == GMM_OK && block < n_blocks; block++) {
            if (run_block(pass, block, per_thread ? 0 : block, b->scratch,
                          &local_err) != GMM_OK)
                note_failure(&status, err, &local_err);
            else if (per_thread && pass->combine)
                pass->combine(pass->context, 0);
        }
    } else if (status == GMM_OK) {
#pragma omp parallel num_threads(threads)
        {
            size_t thread = (size_t)omp_get_thread_num();
            double *scratch = b->scratch + thread * b->slice;
            if (per_thread) {
                /* ordered makes a thread that is done wait for the blocks
                 * before its own: only where results are per thread. */
#pragma omp for ordered schedule(dynamic, 1)
                for (size_t block = 0; block < n_blocks; block++) {
                    run_shared(pass, block, thread, scratch, &status, err);
#pragma omp ordered
                    if (pass_ok(&status) && pass->combine)
                        pass->combine(pass->context, thread);
                }
            } else {
#pragma omp for schedule(dynamic, 1)
                for (size_t block = 0; block < n_blocks; block++)
                    run_shared(pass, block, block, scratch, &status, err);
            }
        }
    }
    if (status == GMM_OK && !per_thread && pass->combine)
        for (size_t block = 0; block < n_blocks; block++)
            pass->combine(pass->context, block);
    gmm_pass_buffers_free(&own);
    return status;
}
