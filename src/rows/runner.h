/*
 * runner.h — the one parallel pass over rows that every pass of the
 * library is (the EM statistics, Lloyd's assignment, the k-means++
 * potential, scoring, the data checks): a pass says what to do with a
 * chunk of rows and how to combine its blocks' results; the runner does
 * the rest.
 *
 *  - the partition: the rows are cut into chunks of GMM_CHUNK_ROWS and the
 *    chunks into the pass's blocks (util/blocks.h); each block is run from
 *    start to end by one thread, into results of its own;
 *  - threads: blocks are shared out among OpenMP threads; a pass too small
 *    to repay waking them runs on the calling thread, outside OpenMP;
 *  - windows: rows read from a file (rows/rows.h) arrive a window at a
 *    time, read into the thread's own buffer; either way the chunks, and
 *    so the arithmetic, are the same;
 *  - failure: the first failed read (or allocation) of any thread is the
 *    pass's failure;
 *  - combination: the blocks' results are combined in block order,
 *    either on the calling thread after every block is done (a result per
 *    block), or by each thread as soon as its block and every block before
 *    it are done (a result per thread: memory for as many results as
 *    threads, however many blocks, for passes whose results are large,
 *    such as full-covariance statistics).
 * Since the blocks depend only on the number of rows and the pass, never
 * on the threads, a pass's result is bit-identical for any thread count.
 *
 * Sums across processes are the pass's own business, after the run
 * (rows/rows.h's gmm_rows_sum): each pass packs its own results.
 */
#ifndef GMM_ROWS_RUNNER_H
#define GMM_ROWS_RUNNER_H

#include "rows/rows.h"
#include "util/blocks.h"

typedef struct gmm_pass {
    const gmm_rows *rows;
    gmm_blocks blocks;     /* the partition of rows->n_rows              */
    int n_threads;         /* requested; 0: OpenMP's default             */
    /* The pass's work per row (multiply-adds, roughly: K x D for a
     * distance to K centres): a pass of fewer than GMM_PASS_THREADED_WORK
     * in all runs on the calling thread. */
    double row_cost;
    size_t scratch_size;   /* doubles each thread needs, beside its window */
    void *context;
    /* Where a block's result goes, the `result` the functions below are
     * given: 0 (GMM_PASS_PER_BLOCK) the block's own, result = block; or
     * GMM_PASS_PER_THREAD, the running thread's, result = that thread's
     * number below gmm_pass_threads(pass), reused from block to block. */
    int results;
    /* Before block b's first chunk, on the thread that runs it; NULL if
     * there is nothing to do. */
    void (*begin)(void *context, size_t result);
    /* Local rows [first, first + n_rows) of a block (n_rows at most
     * GMM_CHUNK_ROWS, first a multiple of it), row-major in X; scratch
     * holds the thread's scratch_size doubles. */
    void (*chunk)(void *context, size_t result, const double *X, size_t first,
                  size_t n_rows, double *scratch);
    /* For b = 0, 1, ... in order, with the result that holds block b's,
     * NULL if the caller combines. Per block: once every block has run
     * without failure, on the calling thread. Per thread: on the thread
     * that ran block b, once b and every block before it have run; after
     * a failure the combined result is not to be used. */
    void (*combine)(void *context, size_t result);
} gmm_pass;

#define GMM_PASS_PER_BLOCK 0
#define GMM_PASS_PER_THREAD 1

/* The threads a run of pass uses (1 for a pass run on the calling
 * thread): the number of results a pass of GMM_PASS_PER_THREAD needs. */
int gmm_pass_threads(const gmm_pass *pass);

/* Waking threads costs microseconds, and far more on a loaded machine
 * (bench/RESULTS.md notes 0 and 5): below this much work (rows x
 * row_cost) a pass runs on the calling thread. The partition, and so the
 * result, is the same. */
#define GMM_PASS_THREADED_WORK ((double)(1 << 18))

/* The threads' buffers, kept from one pass to the next by a caller that
 * makes many passes of one shape (the fit loop): on tiny data allocating
 * them every pass shows in the time of an iteration (note 13). Start zeroed
 * ({0}); a run grows them as needed; free with gmm_pass_buffers_free. */
typedef struct gmm_pass_buffers {
    double *scratch;   /* n_slices slices of `slice` doubles              */
    size_t slice, n_slices;
} gmm_pass_buffers;
void gmm_pass_buffers_free(gmm_pass_buffers *buffers);

/* Run the pass, its buffers in buffers (NULL: allocated and freed here).
 * Fails with the first failed read (its message in err) or for want of
 * memory; combine then is not called. The result does not depend on
 * buffers or on the number of threads. */
gmm_status gmm_run_pass(const gmm_pass *pass, gmm_pass_buffers *buffers,
                        gmm_error *err);

#endif
