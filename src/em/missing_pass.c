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

#include "model/missing.h"
#include "kernels/layout.h"
#include "rows/runner.h"
#include "util/error.h"

/* A thread's state: its statistics, the factors of the pattern it is on
 * and the first failure of its chunks. */
typedef struct thread_state {
    gmm_stats stats;
    gmm_missing_factors factors;
    gmm_status status;
    gmm_error err;
} thread_state;

typedef struct missing_run {
    const gmm_missing_rows *m;
    const gmm_params *p;
    thread_state *threads;
    gmm_stats *total;
} missing_run;

/* Scratch per thread: K posteriors, K summed responsibilities of the
 * current run of rows, K x D conditional means, D of work and the D of a
 * row's deviation. */
static size_t scratch_doubles(size_t k, size_t d) { return 2 * k + k * d + 2 * d; }

static void begin_block(void *context, size_t thread)
{
    missing_run *run = context;
    gmm_stats_zero(&run->threads[thread].stats);
}

/* r (x^ - c)(x^ - c)^T reduced as the statistics layout says, into
 * component k's (or the shared) block: D^2 / 2 multiply-adds for matrix
 * blocks, D otherwise. */
static void add_scatter(gmm_stats *s, size_t k, double r, const double *e)
{
    size_t d = s->n_features;
    size_t block = gmm_layout_block_of(s->layout, k);
    if (gmm_layout_is_matrix(s->layout)) {
        double *q = s->qk + block * d * d;
        for (size_t i = 0; i < d; i++) {
            double ri = r * e[i];
            for (size_t j = i; j < d; j++)
                q[i * d + j] += ri * e[j];
        }
    } else if (s->layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL) {
        double *q = s->qk + block * d;
        for (size_t j = 0; j < d; j++)
            q[j] += r * e[j] * e[j];
    } else {
        double sum = 0.0;
        for (size_t j = 0; j < d; j++)
            sum += e[j] * e[j];
        s->qk[block] += r * sum;
    }
}

/* weight[k] C_k, the conditional covariances of the missing entries, into
 * the statistics (reduced as add_scatter's), and weight zeroed: what the
 * rows of one run of a pattern add beside their conditional means. */
static void add_conditional(gmm_stats *s, const gmm_missing_factors *f,
                            double *weight)
{
    size_t d = s->n_features, nm = f->n_mis;
    for (size_t k = 0; k < s->n_components; k++) {
        double w = weight[k];
        weight[k] = 0.0;
        if (w == 0.0 || nm == 0)
            continue;
        int matrix;
        const double *C = gmm_missing_conditional_cov(f, k, &matrix);
        size_t step = matrix ? nm + 1 : 1;  /* C's diagonal */
        size_t block = gmm_layout_block_of(s->layout, k);
        if (gmm_layout_is_matrix(s->layout)) {
            double *q = s->qk + block * d * d;
            /* mis is ascending, so (c, e) with c <= e is the upper
             * triangle. */
            for (size_t c = 0; c < nm; c++)
                for (size_t e = c; e < nm; e++)
                    if (matrix || c == e)
                        q[f->mis[c] * d + f->mis[e]] +=
                            w * C[matrix ? c * nm + e : c];
        } else if (s->layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL) {
            for (size_t c = 0; c < nm; c++)
                s->qk[block * d + f->mis[c]] += w * C[c * step];
        } else {
            double trace = 0.0;
            for (size_t c = 0; c < nm; c++)
                trace += C[c * step];
            s->qk[block] += w * trace;
        }
    }
}

/* One row's statistics under each component, from its posteriors. */
static void add_row(gmm_stats *s, const gmm_missing_factors *f, const double *x,
                    double w, const double *posterior, const double *cond_means,
                    double *run_weight, double *e)
{
    size_t d = s->n_features, nm = f->n_mis;
    for (size_t k = 0; k < s->n_components; k++) {
        double r = w * posterior[k];
        if (r == 0.0)
            continue;
        const double *c = s->shifts + k * d;
        for (size_t j = 0; j < d; j++)
            e[j] = x[j] - c[j];
        for (size_t m = 0; m < nm; m++)
            e[f->mis[m]] = cond_means[k * nm + m] - c[f->mis[m]];
        s->nk[k] += r;
        for (size_t j = 0; j < d; j++)
            s->sk[k * d + j] += r * e[j];
        add_scatter(s, k, r, e);
        run_weight[k] += r;
    }
}

static void run_chunk(void *context, size_t thread, const double *X,
                      size_t first, size_t n_rows, double *scratch)
{
    missing_run *run = context;
    const gmm_missing_rows *m = run->m;
    thread_state *t = &run->threads[thread];
    size_t d = m->incomplete.n_features, n_comp = run->p->n_components;
    size_t words = m->mask_words;
    double *posterior = scratch, *run_weight = posterior + n_comp;
    double *cond_means = run_weight + n_comp, *work = cond_means + n_comp * d;
    double *e = work + d;
    if (t->status != GMM_OK)
        return;
    memset(run_weight, 0, n_comp * sizeof *run_weight);
    for (size_t i = 0; i < n_rows; i++) {
        const uint64_t *mask = m->masks + (first + i) * words;
        if (!gmm_missing_factors_match(&t->factors, mask)) {
            if (t->factors.is_set)
                add_conditional(&t->stats, &t->factors, run_weight);
            t->status = gmm_missing_factors_set(&t->factors, run->p, mask, &t->err);
            if (t->status != GMM_OK)
                return;
        }
        const double *x = X + i * d;
        double w = m->incomplete.weights ? m->incomplete.weights[first + i] : 1.0;
        gmm_missing_log_prob(&t->factors, run->p, x, posterior, cond_means, work);
        double log_norm = gmm_missing_normalize(posterior, n_comp);
        t->stats.log_likelihood += w * log_norm;
        add_row(&t->stats, &t->factors, x, w, posterior, cond_means, run_weight, e);
    }
    add_conditional(&t->stats, &t->factors, run_weight);
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
        gmm_missing_factors_free(&threads[t].factors);
    }
    free(threads);
}

gmm_status gmm_missing_estep_pass(const gmm_missing_rows *m, const gmm_params *p,
                                  int n_threads, gmm_stats *total,
                                  gmm_error *err)
{
    size_t n_comp = p->n_components, d = p->n_features;
    missing_run run = {m, p, NULL, total};
    gmm_pass pass = {
        .rows = &m->incomplete,
        .blocks = gmm_blocks_plan(m->n_incomplete, GMM_MAX_BLOCKS),
        .n_threads = n_threads,
        .row_cost = (double)n_comp * (double)d * (double)d,
        .scratch_size = scratch_doubles(n_comp, d),
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
            status = gmm_missing_factors_alloc(&s->factors, p->covariance_type,
                                               n_comp, d, err);
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
