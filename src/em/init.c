/*
 * init.c — the four initializers and explicit initial parameters (init.h).
 *
 * Each initializer is a source of responsibilities for one statistics pass
 * followed by scikit-learn's initial M-step (weights nk / n, not
 * renormalized). The shifts are where the responsibilities point (the
 * k-means centres, the seed rows, or the data mean for random), so the
 * statistics stay small.
 *
 * As scikit-learn: with means_init but no precisions_init, covariances are
 * estimated around the means the responsibilities give, not around
 * means_init.
 *
 * gmm_kmeans_starts lets fits that differ only in covariance type share
 * the k-means runs of the kmeans initializer: they are keyed by what
 * determines them (K and the k-means seed), and everything after the run
 * stays per fit.
 */
#include "em/init.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "em/kmeans.h"
#include "em/pass.h"
#include "em/seeding.h"
#include "em/stop.h"
#include "kernels/dispatch.h"
#include "kernels/layout.h"
#include "kernels/screen.h"
#include "linalg/linalg.h"
#include "model/covariance.h"
#include "model/fixed.h"
#include "model/kernel_params.h"
#include "model/mstep.h"
#include "util/blocks.h"
#include "util/error.h"
#include "util/rng.h"

/* Statistics of the K seed rows, each its own component. The seed rows are
 * the same on every process, so their statistics are not summed again. */
static gmm_status stats_of_seeds(const gmm_rows *rows, const size_t *seeds,
                                 size_t n_comp, double *seed_rows,
                                 int n_threads, gmm_stats *stats,
                                 gmm_error *err)
{
    double *seed_weights = malloc(n_comp * sizeof *seed_weights);
    if (!seed_weights)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for seeds");
    gmm_status status = gmm_rows_fetch(rows, seeds, n_comp, seed_rows,
                                       seed_weights, err);
    gmm_rows seed_set = gmm_rows_of_memory(seed_rows, n_comp, rows->n_features);
    seed_set.weights = rows->weights ? seed_weights : NULL;
    if (status == GMM_OK)
        status = gmm_stats_pass(&seed_set, gmm_resp_identity(&n_comp), seed_rows,
                                n_threads, stats, err);
    free(seed_weights);
    return status;
}

/* scikit-learn: KMeans(n_clusters=K, n_init=1) on the same data. The
 * fit's progress callback is polled during the run (gmm.h). */
static void initializer_kmeans_options(const gmm_options *o, size_t n_clusters,
                                       uint64_t seed, int n_threads,
                                       gmm_kmeans_options *km)
{
    gmm_kmeans_options_init(km);
    km->n_clusters = n_clusters;
    km->seed = seed;
    km->n_threads = n_threads;
    km->progress = o->progress;
    km->progress_user_data = o->progress_user_data;
}

/* The centres of the k-means run with n_clusters and seed in starts, or
 * NULL if it is not there (or failed there). */
static const double *shared_centers(const gmm_kmeans_starts *starts,
                                    size_t n_clusters, uint64_t seed)
{
    for (size_t i = 0; starts && i < starts->n_starts; i++)
        if (starts->start[i].n_clusters == n_clusters &&
            starts->start[i].seed == seed)
            return starts->start[i].centers;
    return NULL;
}

/* Statistics of responsibilities that point nowhere in particular
 * (random, or the caller's), shifted by the data's mean. */
static gmm_status stats_around_mean(const gmm_options *o, const gmm_rows *rows,
                                    gmm_resp_source source, double *shifts,
                                    gmm_stats *stats, gmm_error *err)
{
    size_t n_comp = o->n_components, d = rows->n_features;
    gmm_status status = gmm_feature_moments(rows, o->n_threads, shifts, NULL,
                                            err);
    if (status != GMM_OK)
        return status;
    for (size_t k = 1; k < n_comp; k++)
        memcpy(shifts + k * d, shifts, d * sizeof *shifts);
    return gmm_stats_pass(rows, source, shifts, o->n_threads, stats, err);
}

/* Fill stats (and the shifts used) from the chosen init method, or from
 * the caller's responsibilities. */
static gmm_status responsibility_stats(const gmm_options *o, const gmm_rows *rows,
                                       uint64_t run_seed,
                                       const gmm_kmeans_starts *starts,
                                       double *shifts, gmm_stats *stats,
                                       gmm_error *err)
{
    size_t n_comp = o->n_components, d = rows->n_features;
    gmm_rng rng;
    gmm_rng_seed(&rng, run_seed);
    if (o->init_resp) {
        gmm_given_resp given = {o->init_resp, n_comp};
        return stats_around_mean(o, rows, gmm_resp_given(&given), shifts,
                                 stats, err);
    }
    switch (o->init_params) {
    case GMM_INIT_KMEANS: {
        const double *shared = shared_centers(starts, n_comp, run_seed);
        if (shared) {
            memcpy(shifts, shared, n_comp * d * sizeof *shifts);
        } else {
            gmm_kmeans_options km;
            initializer_kmeans_options(o, n_comp, run_seed, o->n_threads, &km);
            gmm_status status = gmm_kmeans_rows(&km, rows, shifts, NULL, NULL,
                                                err);
            if (status != GMM_OK)
                return status;
        }
        /* The labels through the screen, as Lloyd's (em/kmeans.c); without
         * its memory, through the exact kernel alone: the same labels. */
        double *memory = n_comp >= GMM_SCREEN_MIN_CENTERS
                         ? malloc(gmm_screen_memory(n_comp, d) * sizeof *memory)
                         : NULL;
        gmm_screen screen;
        if (memory)
            screen = gmm_screen_prepare(shifts, n_comp, d, memory);
        gmm_centers centers = {shifts, n_comp, d, memory ? &screen : NULL};
        gmm_status status = gmm_stats_pass(rows, gmm_resp_nearest(&centers),
                                           shifts, o->n_threads, stats, err);
        free(memory);
        return status;
    }
    case GMM_INIT_KMEANS_PLUSPLUS:
    case GMM_INIT_RANDOM_FROM_DATA: {
        size_t *seeds = malloc(n_comp * sizeof *seeds);
        if (!seeds)
            return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for seeds");
        gmm_labels nearest;
        gmm_status status = GMM_OK;
        if (o->init_params == GMM_INIT_KMEANS_PLUSPLUS) {
            const gmm_stop stop = {o->progress, o->progress_user_data};
            status = gmm_labels_alloc(&nearest, rows, n_comp, 0, err);
            if (status == GMM_OK)
                status = gmm_seed_kmeans_plusplus(rows, n_comp, &rng, &nearest,
                                                  o->n_threads, &stop, seeds,
                                                  err);
            gmm_labels_free(&nearest);
        } else {
            status = gmm_seed_random(rows, n_comp, &rng, seeds, err);
        }
        if (status == GMM_OK)
            status = stats_of_seeds(rows, seeds, n_comp, shifts, o->n_threads,
                                    stats, err);
        free(seeds);
        return status;
    }
    case GMM_INIT_RANDOM: {
        gmm_random_resp random = {run_seed, n_comp};
        return stats_around_mean(o, rows, gmm_resp_random(&random), shifts,
                                 stats, err);
    }
    }
    return gmm_fail(err, GMM_ERR_INVALID, "unknown init_params");
}

/* Covariances from explicit precisions (each inverted) or covariances. */
static gmm_status explicit_covariances(const gmm_options *o, gmm_params *out,
                                       gmm_error *err)
{
    size_t n_comp = out->n_components, d = out->n_features;
    size_t size = gmm_covariance_size(out->covariance_type, n_comp, d);
    if (o->covariances_init) {
        memcpy(out->covariances, o->covariances_init, size * sizeof(double));
        return GMM_OK;
    }
    gmm_covariance_layout layout =
        gmm_covariance_model_of(out->covariance_type)->covariances;
    if (!gmm_layout_is_matrix(layout)) {
        for (size_t i = 0; i < size; i++)
            out->covariances[i] = 1.0 / o->precisions_init[i];
        return GMM_OK;
    }
    for (size_t k = 0; k < gmm_layout_n_blocks(layout, n_comp); k++)
        if (gmm_linalg_spd_inverse(o->precisions_init + k * d * d, d,
                                   out->covariances + k * d * d))
            return gmm_fail(err, GMM_ERR_INVALID,
                            "precisions_init: matrix %zu is not positive "
                            "definite", k);
    return GMM_OK;
}

/* Parameters from one draw of the init method (before explicit overrides). */
static gmm_status draw_parameters(const gmm_options *o, const gmm_rows *rows,
                                  uint64_t seed, const gmm_kmeans_starts *starts,
                                  double *shifts, gmm_stats *stats,
                                  gmm_params *out, gmm_error *err)
{
    gmm_status status = responsibility_stats(o, rows, seed, starts, shifts,
                                             stats, err);
    if (status != GMM_OK)
        return status;
    return gmm_mstep(stats, shifts, o, rows->weight_sum, out, err);
}

/* Mean log-likelihood of the data under params (one E-step pass, in
 * double whatever the fit's dtype). */
static gmm_status log_likelihood(const gmm_options *o, const gmm_rows *rows,
                                 gmm_params *params, gmm_stats *stats,
                                 double *value, gmm_error *err)
{
    gmm_status status = gmm_params_update_precisions(params, err);
    if (status != GMM_OK)
        return status;
    gmm_kernel_params estep;
    status = gmm_kernel_params_alloc(&estep, gmm_kernels_of(GMM_DTYPE_FLOAT64),
                                     params->n_components, params->n_features,
                                     params->covariance_type, err);
    if (status != GMM_OK)
        return status;
    gmm_kernel_params_set(&estep, params);
    status = gmm_estep_log_likelihood(rows, &estep, o->n_threads, stats, err);
    gmm_kernel_params_free(&estep);
    *value = stats->log_likelihood / rows->weight_sum;
    return status;
}

/* The k-means initializer draws GMM_KMEANS_CANDIDATES k-means solutions and
 * keeps the one whose initial mixture explains the data best. scikit-learn
 * draws one; with one, our mean final log-likelihood over seeds was a coin
 * toss against scikit-learn's (tests/core/test_sklearn_scratch.c), and
 * choosing by k-means inertia instead lost on data with unequal feature
 * scales such as Old Faithful. Three candidates cost three k-means runs
 * and three passes, small beside EM. A build may set another count
 * (-DGMM_KMEANS_CANDIDATES=1), to measure what the three buy
 * (bench/scratch_end_to_end.py). */
#ifndef GMM_KMEANS_CANDIDATES
#define GMM_KMEANS_CANDIDATES 3
#endif

/* Whether an initialization draws the candidates (best_kmeans_parameters):
 * with explicit covariances the likelihood would judge covariances about
 * to be replaced, so one k-means draw is taken as it comes. */
static int draws_kmeans_candidates(const gmm_options *o)
{
    return o->init_params == GMM_INIT_KMEANS && !o->init_resp &&
           !o->precisions_init && !o->covariances_init;
}

static uint64_t candidate_seed(uint64_t run_seed, int candidate)
{
    return gmm_rng_hash(run_seed, (uint64_t)candidate);
}

/* The candidates are drawn into out in turn; only the best one's k-means
 * centres are kept (K x D, where a second set of parameters would be
 * K x D^2), and its parameters are drawn again from them, the k-means
 * run taken as done, when a later candidate holds out: the same pass
 * and M-step, so the same bits. */
static gmm_status best_kmeans_parameters(const gmm_options *o,
                                         const gmm_rows *rows, uint64_t seed,
                                         const gmm_kmeans_starts *starts,
                                         double *shifts, gmm_stats *stats,
                                         gmm_params *out, gmm_error *err)
{
    size_t centers_size = out->n_components * out->n_features;
    gmm_kmeans_start kept = {out->n_components, 0,
                             malloc(centers_size * sizeof *kept.centers)};
    gmm_status status = kept.centers ? GMM_OK
                        : gmm_fail(err, GMM_ERR_NOMEM, "out of memory for "
                                   "k-means centres");
    double best = -INFINITY;
    int best_c = -1, in_out = -1;
    for (int c = 0; status == GMM_OK && c < GMM_KMEANS_CANDIDATES; c++) {
        double value = -INFINITY;
        in_out = -1;
        status = draw_parameters(o, rows, candidate_seed(seed, c), starts,
                                 shifts, stats, out, err);
        if (status == GMM_OK)
            status = log_likelihood(o, rows, out, stats, &value, err);
        /* A candidate whose covariances cannot be factored is skipped;
         * if none can, the last error stands. */
        if (status == GMM_ERR_NUMERIC && (c + 1 < GMM_KMEANS_CANDIDATES || best > -INFINITY)) {
            status = GMM_OK;
            continue;
        }
        in_out = c;
        if (status == GMM_OK && (value > best || best == -INFINITY)) {
            best = value;
            best_c = c;
            memcpy(kept.centers, shifts, centers_size * sizeof *shifts);
        }
    }
    if (status == GMM_OK && best_c != in_out) {
        gmm_kmeans_starts done = {&kept, 1};
        kept.seed = candidate_seed(seed, best_c);
        status = draw_parameters(o, rows, kept.seed, &done, shifts, stats, out,
                                 err);
    }
    free(kept.centers);
    return status;
}

uint64_t gmm_initialize_seed(const gmm_options *o, int init)
{
    return gmm_rng_hash(o->seed, (uint64_t)init);
}

/* The stop poll of the shared k-means runs: once one run was told to
 * stop, every run under way stops at its next poll, without asking the
 * caller's callback again; until then the callback is asked (from the
 * thread of each run, as gmm.h allows gmm_select). */
typedef struct shared_stop {
    const gmm_options *o;
    int stopped;
} shared_stop;

static int shared_stop_asked(const gmm_progress *poll, void *user_data)
{
    shared_stop *shared = user_data;
    int stopped;
#pragma omp atomic read
    stopped = shared->stopped;
    if (!stopped && shared->o->progress &&
        shared->o->progress(poll, shared->o->progress_user_data)) {
#pragma omp atomic write
        shared->stopped = 1;
        stopped = 1;
    }
    return stopped;
}

/* Larger K first: the longest runs start first, so that none is left to
 * run alone at the end. */
static int by_clusters_descending(const void *a, const void *b)
{
    const gmm_kmeans_start *x = a, *y = b;
    return (x->n_clusters < y->n_clusters) - (x->n_clusters > y->n_clusters);
}

gmm_status gmm_kmeans_starts_compute(const gmm_options *o, const gmm_rows *rows,
                                     const size_t *n_components, size_t n_k,
                                     gmm_kmeans_starts *starts, gmm_error *err)
{
    /* Over several processes every run's reductions would have to be
     * made in the same order on each; runs in parallel cannot promise it. */
    assert(!rows->reducer);
    starts->start = NULL;
    starts->n_starts = 0;
    /* A bad n_init is left for the fits to report. */
    if (!draws_kmeans_candidates(o) || o->n_init < 1 || n_k == 0)
        return GMM_OK;
    size_t capacity = n_k * (size_t)o->n_init * GMM_KMEANS_CANDIDATES;
    starts->start = calloc(capacity, sizeof *starts->start);
    if (!starts->start)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for %zu k-means "
                        "starts", capacity);
    uint64_t first_seed = candidate_seed(gmm_initialize_seed(o, 0), 0);
    for (size_t i = 0; i < n_k; i++) {
        size_t k = n_components[i];
        int repeated = 0;
        for (size_t j = 0; j < starts->n_starts && !repeated; j++)
            repeated = starts->start[j].n_clusters == k &&
                       starts->start[j].seed == first_seed;
        /* A K listed twice is run once. */
        if (k > rows->total_rows || repeated)
            continue;
        for (int init = 0; init < o->n_init; init++)
            for (int c = 0; c < GMM_KMEANS_CANDIDATES; c++)
                starts->start[starts->n_starts++] = (gmm_kmeans_start){
                    k, candidate_seed(gmm_initialize_seed(o, init), c), NULL};
    }
    qsort(starts->start, starts->n_starts, sizeof *starts->start,
          by_clusters_descending);
    /* One run per thread, each single-threaded, as gmm_select shares out
     * its fits; a k-means result does not depend on the thread count. A
     * run that fails is left out rather than failing the call: the fit
     * that needs it runs it and reports the failure in its own place. */
    size_t d = rows->n_features;
    shared_stop stop = {o, 0};
#pragma omp parallel for schedule(dynamic, 1) num_threads(gmm_threads(o->n_threads))
    for (size_t i = 0; i < starts->n_starts; i++) {
        int stopped;
#pragma omp atomic read
        stopped = stop.stopped;
        if (stopped)
            continue;
        gmm_kmeans_start *start = &starts->start[i];
        gmm_kmeans_options km;
        gmm_error run_err;
        initializer_kmeans_options(o, start->n_clusters, start->seed, 1, &km);
        km.progress = shared_stop_asked;
        km.progress_user_data = &stop;
        double *centers = malloc(start->n_clusters * d * sizeof *centers);
        if (centers && gmm_kmeans_rows(&km, rows, centers, NULL, NULL,
                                       &run_err) != GMM_OK) {
            free(centers);
            centers = NULL;
        }
        start->centers = centers;
    }
    if (stop.stopped)
        return gmm_fail(err, GMM_ERR_INTERRUPTED, "interrupted while running "
                        "the k-means initializations");
    return GMM_OK;
}

void gmm_kmeans_starts_free(gmm_kmeans_starts *starts)
{
    for (size_t i = 0; starts->start && i < starts->n_starts; i++)
        free(starts->start[i].centers);
    free(starts->start);
    starts->start = NULL;
    starts->n_starts = 0;
}

gmm_status gmm_initialize(const gmm_options *o, const gmm_rows *rows,
                          uint64_t run_seed, const gmm_kmeans_starts *starts,
                          gmm_params *out, gmm_error *err)
{
    size_t n_comp = o->n_components, d = rows->n_features;
    int explicit_cov = o->precisions_init || o->covariances_init;
    gmm_status status = gmm_fixed_check_init(o, err);
    if (status != GMM_OK)
        return status;
    /* Fixed parts are in place before the initial M-step, which keeps
     * them (and estimates covariances around fixed means). */
    if (o->fixed & GMM_FIX_WEIGHTS)
        memcpy(out->weights, o->weights_init, n_comp * sizeof(double));
    if (o->fixed & GMM_FIX_MEANS)
        memcpy(out->means, o->means_init, n_comp * d * sizeof(double));
    if ((o->fixed & GMM_FIX_COVARIANCES) &&
        (status = explicit_covariances(o, out, err)) != GMM_OK)
        return status;
    if (!(o->weights_init && o->means_init && explicit_cov)) {
        gmm_stats stats;
        double *shifts = malloc(n_comp * d * sizeof *shifts);
        gmm_covariance_layout layout =
            gmm_covariance_model_of(o->covariance_type)->statistics;
        status = shifts ? gmm_stats_alloc(&stats, n_comp, d, layout, err)
                        : gmm_fail(err, GMM_ERR_NOMEM, "out of memory for shifts");
        if (status != GMM_OK) {
            free(shifts);
            return status;
        }
        status = draws_kmeans_candidates(o)
                     ? best_kmeans_parameters(o, rows, run_seed, starts, shifts,
                                              &stats, out, err)
                     : draw_parameters(o, rows, run_seed, starts, shifts, &stats,
                                       out, err);
        gmm_stats_release(&stats);
        free(shifts);
        if (status != GMM_OK)
            return status;
    }
    if (o->equal_weights)
        for (size_t k = 0; k < n_comp; k++)
            out->weights[k] = 1.0 / (double)n_comp;
    else if (o->weights_init)
        memcpy(out->weights, o->weights_init, n_comp * sizeof(double));
    if (o->means_init)
        memcpy(out->means, o->means_init, n_comp * d * sizeof(double));
    if (explicit_cov) {
        status = explicit_covariances(o, out, err);
        if (status != GMM_OK)
            return status;
    }
    return gmm_params_update_precisions(out, err);
}
