/*
 * missing_pass.c — the E-step over rows with missing entries
 * (missing_pass.h), on the block runner: each thread's blocks into its own
 * statistics, added in block order, as the kernels' pass does (pass.c).
 *
 * The rows come grouped by pattern, so a thread factors a pattern's
 * observed blocks once for its run of rows of that pattern
 * (model/missing.h); the conditional covariance, the same for every row
 * of the run, is added once per chunk, weighted by the run's summed
 * responsibilities.
 */
#include "em/missing_pass.h"

#include <stdlib.h>
#include <string.h>

#include "em/missing_moments.h"
#include "em/resp.h"
#include "kernels/chunk.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"
#include "kernels/layout.h"
#include "model/kernel_params.h"
#include "model/missing.h"
#include "rows/runner.h"
#include "util/error.h"

/* A thread's state: its statistics, a run's statistics as its rows are
 * (missing_moments.h), the factors of the pattern it is on, that
 * pattern's marginals as the kernels read them, and the first failure of
 * its chunks. */
typedef struct thread_state {
    gmm_stats stats, observed;
    gmm_missing_factors factors;
    gmm_kernel_params marginal;
    gmm_status status;
    gmm_error err;
} thread_state;

/* A thread's scratch: the run's responsibilities (chunk layout), its rows
 * completed under one component, their conversion (transposed, and
 * row-major where the statistics read rows), the statistics kernel's
 * work (for one component, or all in the moments' layout), the E-step's
 * and the moments'. */
typedef struct scratch_layout {
    size_t resp, completed, chunk, rows, work, estep, moments;
} scratch_layout;

typedef struct missing_run {
    const gmm_missing_rows *m;
    const gmm_params *p;
    const gmm_kernels *kernels;
    int read_rows, read_rows_moments;
    scratch_layout sizes;
    thread_state *threads;
    gmm_stats *total;
} missing_run;

static void begin_block(void *context, size_t thread)
{
    missing_run *run = context;
    gmm_stats_zero(&run->threads[thread].stats);
}

/* weight C_k, the conditional covariance of the missing entries under
 * component k, into the statistics, reduced as their layout says: what
 * the rows of one run of a pattern add beside their completed values. */
static void add_conditional(gmm_stats *s, const gmm_missing_factors *f,
                            size_t k, double weight)
{
    size_t d = s->n_features, nm = f->n_mis;
    if (weight == 0.0 || nm == 0)
        return;
    int matrix;
    const double *C = gmm_missing_conditional_cov(f, k, &matrix);
    size_t step = matrix ? nm + 1 : 1;  /* C's diagonal */
    size_t block = gmm_layout_block_of(s->layout, k);
    if (gmm_layout_is_matrix(s->layout)) {
        double *q = s->qk + block * d * d;
        /* mis is ascending, so (c, e) with c <= e is the upper triangle. */
        for (size_t c = 0; c < nm; c++)
            for (size_t e = c; e < nm; e++)
                if (matrix || c == e)
                    q[f->mis[c] * d + f->mis[e]] +=
                        weight * C[matrix ? c * nm + e : c];
    } else if (s->layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL) {
        for (size_t c = 0; c < nm; c++)
            s->qk[block * d + f->mis[c]] += weight * C[c * step];
    } else {
        double trace = 0.0;
        for (size_t c = 0; c < nm; c++)
            trace += C[c * step];
        s->qk[block] += weight * trace;
    }
}

/* The rows of a run (converted in XT, XR) into t's statistics through
 * their own statistics for all components at once, completed by
 * missing_moments.h's transform, and the conditional covariance. */
static void add_moments(const missing_run *run, thread_state *t,
                        const double *XT, const double *XR, size_t n_rows,
                        const double *resp, double *work, double *moments)
{
    gmm_stats *s = &t->stats, *o = &t->observed;
    gmm_stats_zero(o);
    gmm_sums all = {o->n_components, o->n_features, o->layout, o->nk, o->sk,
                    o->qk, 0};
    run->kernels->accumulate(&all, XT, XR, n_rows, resp, s->shifts,
                             s->n_features, work);
    gmm_missing_moments_add(s, o, &t->factors, moments);
    for (size_t k = 0; k < s->n_components; k++)
        add_conditional(s, &t->factors, k, o->nk[k]);
}

/* Rows X (n_rows <= GMM_CHUNK_ROWS, one pattern, its factors in t) into
 * t's statistics: the responsibilities from the kernels' E-step on the
 * marginals, then either through the moments (add_moments) or per
 * component the rows completed by their conditional means through the
 * kernels' accumulation, and the conditional covariance, whichever
 * gmm_missing_moments_pay says costs less. */
static void add_run(const missing_run *run, thread_state *t, const double *X,
                    size_t n_rows, const double *weights, double *scratch)
{
    const gmm_kernels *kernels = run->kernels;
    gmm_stats *s = &t->stats;
    size_t d = s->n_features;
    const scratch_layout *z = &run->sizes;
    double *resp = scratch, *completed = resp + z->resp;
    double *XT = completed + z->completed, *XR = XT + z->chunk;
    double *work = XR + z->rows, *estep = work + z->work;
    const gmm_kernel_params *marginal = &t->marginal;
    int moments = gmm_missing_moments_pay(&t->factors, s->layout, n_rows);
    const void *rows = kernels->convert(
        X, n_rows, d, marginal->origin, XT,
        moments && run->read_rows_moments ? XR : NULL);
    gmm_resp_source source = gmm_resp_estep(marginal);
    source.fn(source.context, X, XT, 0, n_rows, weights, resp,
              &s->log_likelihood, estep);
    if (moments) {
        add_moments(run, t, XT, rows, n_rows, resp, work, estep + z->estep);
        return;
    }
    for (size_t k = 0; k < s->n_components; k++) {
        const double *resp_k = resp + k * GMM_LANE_STRIDE;
        double weight = 0.0;
        for (size_t i = 0; i < n_rows; i++)
            weight += resp_k[i];
        if (weight == 0.0)
            continue;
        gmm_missing_complete(&t->factors, run->p, k, X, n_rows, completed);
        /* Matrix statistics past GMM_LANES_MAX_FEATURES read the rows
         * alone, as they are where no padding is due: no transposition
         * per component then. */
        const void *row_major =
            run->read_rows && gmm_row_stride(d, kernels->lanes) == d
                ? completed
                : kernels->convert(completed, n_rows, d, marginal->origin, XT,
                                   run->read_rows ? XR : NULL);
        size_t block = gmm_layout_block_of(s->layout, k);
        gmm_sums one = {1, d, s->layout, s->nk + k, s->sk + k * d,
                        s->qk + block * gmm_layout_block_size(s->layout, d), 0};
        kernels->accumulate(&one, XT, row_major, n_rows, resp_k,
                            s->shifts + k * d, d, work);
        add_conditional(s, &t->factors, k, weight);
    }
}

static void run_chunk(void *context, size_t thread, const double *X,
                      size_t first, size_t n_rows, double *scratch)
{
    missing_run *run = context;
    const gmm_missing_rows *m = run->m;
    thread_state *t = &run->threads[thread];
    size_t d = m->incomplete.n_features, words = m->mask_words;
    const double *weights = m->incomplete.weights;
    for (size_t i = 0, end; t->status == GMM_OK && i < n_rows; i = end) {
        const uint64_t *mask = m->masks + (first + i) * words;
        for (end = i + 1; end < n_rows &&
                          !memcmp(mask, m->masks + (first + end) * words,
                                  words * sizeof *mask); end++)
            ;
        if (!gmm_missing_factors_match(&t->factors, mask)) {
            t->status = gmm_missing_factors_set(&t->factors, run->p, mask, &t->err);
            if (t->status != GMM_OK)
                return;
            gmm_missing_kernel_params_set(&t->marginal, &t->factors, run->p);
        }
        add_run(run, t, X + i * d, end - i, weights ? weights + first + i : NULL,
                scratch);
    }
}

static void combine_block(void *context, size_t thread)
{
    missing_run *run = context;
    gmm_stats_add(run->total, &run->threads[thread].stats);
}

static void free_threads(thread_state *threads, size_t n)
{
    for (size_t t = 0; threads && t < n; t++) {
        gmm_stats_release(&threads[t].stats);
        gmm_stats_release(&threads[t].observed);
        gmm_missing_factors_free(&threads[t].factors);
        gmm_kernel_params_free(&threads[t].marginal);
    }
    free(threads);
}

/* Doubles that hold n doubles, to a whole cache line. */
static size_t lines_of(size_t n) { return (n + 7) / 8 * 8; }

gmm_status gmm_missing_estep_pass(const gmm_missing_rows *m, const gmm_params *p,
                                  int n_threads, gmm_stats *total,
                                  gmm_error *err)
{
    size_t n_comp = p->n_components, d = p->n_features;
    const gmm_kernels *kernels = gmm_kernels_of(GMM_DTYPE_FLOAT64);
    gmm_covariance_layout observed = gmm_missing_moments_layout(total->layout);
    missing_run run = {m, p, kernels, gmm_kernels_read_rows(total->layout, d),
                       gmm_kernels_read_rows(observed, d), {0}, NULL, total};
    size_t work_one = kernels->accumulate_work_size(total->layout, 1, d),
           work_all = kernels->accumulate_work_size(observed, n_comp, d);
    run.sizes = (scratch_layout){
        .resp = lines_of(GMM_LANE_STRIDE * n_comp),
        .completed = lines_of(GMM_CHUNK_ROWS * d),
        .chunk = lines_of(gmm_chunk_size(d)),
        .rows = run.read_rows || run.read_rows_moments
                    ? lines_of(GMM_CHUNK_ROWS * gmm_row_stride(d, kernels->lanes))
                    : 0,
        .work = work_one > work_all ? work_one : work_all,
        .estep = GMM_LANE_STRIDE,
        .moments = d * (d + 2)};
    const scratch_layout *z = &run.sizes;
    gmm_pass pass = {
        .rows = &m->incomplete,
        .blocks = gmm_blocks_plan(m->n_incomplete, GMM_MAX_BLOCKS),
        .n_threads = n_threads,
        .row_cost = (double)n_comp * (double)d * (double)d,
        .scratch_size = z->resp + z->completed + z->chunk + z->rows + z->work +
                        z->estep + z->moments,
        .context = &run,
        .results = GMM_PASS_PER_THREAD,
        .begin = begin_block,
        .chunk = run_chunk,
        .combine = combine_block};
    size_t n = (size_t)gmm_pass_threads(&pass);
    run.threads = calloc(n, sizeof *run.threads);
    gmm_status status = run.threads ? GMM_OK
                                    : gmm_fail(err, GMM_ERR_NOMEM, "out of memory");
    for (size_t t = 0; status == GMM_OK && t < n; t++) {
        thread_state *s = &run.threads[t];
        status = gmm_stats_alloc(&s->stats, n_comp, d, total->layout, err);
        if (status == GMM_OK)
            status = gmm_stats_alloc(&s->observed, n_comp, d, observed, err);
        if (status == GMM_OK)
            status = gmm_missing_factors_alloc(&s->factors, p->covariance_type,
                                               n_comp, d, err);
        if (status == GMM_OK)
            status = gmm_missing_kernel_params_alloc(&s->marginal, p, err);
        if (status == GMM_OK)
            memcpy(s->stats.shifts, total->shifts, n_comp * d * sizeof *total->shifts);
    }
    if (status == GMM_OK)
        status = gmm_run_pass(&pass, NULL, err);
    for (size_t t = 0; status == GMM_OK && t < n; t++)
        if (run.threads[t].status != GMM_OK) {
            *err = run.threads[t].err;
            status = run.threads[t].status;
        }
    free_threads(run.threads, n);
    return status;
}
