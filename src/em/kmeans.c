/*
 * kmeans.c — Lloyd's algorithm with scikit-learn 1.2.1's rules: k-means++
 * or random seeds, centres moved to the weighted mean of their rows, empty
 * clusters re-seeded with the rows farthest from their centres, stop when
 * the labels no longer change or the squared centre shift totals at most
 * tol * mean feature variance, then a last assignment so labels match the
 * final centres; the restart with the lowest inertia wins.
 *
 * One Lloyd iteration is one parallel pass: 3NKD flops for distances plus
 * 2ND for the sums, reading X once.
 */
#include "em/kmeans.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "em/pass.h"
#include "em/seeding.h"
#include "util/blocks.h"
#include "util/error.h"
#include "util/rng.h"

void gmm_kmeans_options_init(gmm_kmeans_options *options)
{
    memset(options, 0, sizeof *options);
    options->n_clusters = 8;
    options->init = GMM_KMEANS_INIT_KMEANS_PLUSPLUS;
    options->n_init = 1;
    options->max_iter = 300;
    options->tol = 1e-4;
}

gmm_status gmm_feature_moments(const gmm_rows *rows, int n_threads,
                               double *mean, double *mean_variance,
                               gmm_error *err)
{
    /* One diagonal component with every row assigned to it, shifted by the
     * first row: the statistics give mean and variance without cancelling. */
    size_t d = rows->n_features;
    gmm_rows unweighted = *rows;
    unweighted.weights = NULL;
    unweighted.weight_sum = (double)rows->n_rows;
    gmm_stats stats;
    gmm_status status = gmm_stats_alloc(&stats, 1, d, GMM_COVARIANCE_DIAG, err);
    if (status != GMM_OK)
        return status;
    gmm_centers all = {rows->X, 1, d};
    status = gmm_stats_pass(&unweighted, gmm_resp_nearest(&all), rows->X,
                            n_threads, &stats, err);
    if (status == GMM_OK) {
        double n = stats.nk[0], sum = 0.0;
        for (size_t j = 0; j < d; j++) {
            double a = stats.sk[j] / n;
            if (mean)
                mean[j] = rows->X[j] + a;
            sum += stats.qk[j] / n - a * a;
        }
        if (mean_variance)
            *mean_variance = sum / (double)d;
    }
    gmm_stats_free(&stats);
    return status;
}

/* Per-block results of one assignment pass. */
typedef struct lloyd_block {
    double *counts;   /* K: weight per cluster                           */
    double *sums;     /* K x D: sum of w (x - old centre)                */
    double inertia;
    size_t changed;   /* rows whose label differs from the last pass     */
} lloyd_block;

typedef struct lloyd {
    const gmm_rows *rows;
    size_t n_clusters;
    int n_threads;
    gmm_blocks blocks;
    lloyd_block *block;
    double *counts, *sums;  /* combined, K and K x D */
} lloyd;

static void lloyd_free(lloyd *l)
{
    for (size_t b = 0; l->block && b < l->blocks.n_blocks; b++) {
        free(l->block[b].counts);
        free(l->block[b].sums);
    }
    free(l->block);
    free(l->counts);
    free(l->sums);
}

static gmm_status lloyd_alloc(lloyd *l, const gmm_rows *rows, size_t k,
                              int n_threads, gmm_error *err)
{
    size_t d = rows->n_features;
    memset(l, 0, sizeof *l);
    l->rows = rows;
    l->n_clusters = k;
    l->n_threads = n_threads;
    /* Per-block sums are K x D; cap their total near 32 MiB. */
    l->blocks = gmm_blocks_plan(rows->n_rows,
                                (32u << 20) / ((k * (d + 1) + 1) * sizeof(double)));
    l->block = calloc(l->blocks.n_blocks, sizeof *l->block);
    l->counts = malloc(k * sizeof *l->counts);
    l->sums = malloc(k * d * sizeof *l->sums);
    int failed = !l->block || !l->counts || !l->sums;
    for (size_t b = 0; !failed && b < l->blocks.n_blocks; b++) {
        l->block[b].counts = malloc(k * sizeof(double));
        l->block[b].sums = malloc(k * d * sizeof(double));
        failed = !l->block[b].counts || !l->block[b].sums;
    }
    if (failed) {
        lloyd_free(l);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for k-means (%zu "
                        "clusters, %zu features)", k, d);
    }
    return GMM_OK;
}

/* Assign rows to the nearest of centers, accumulate counts, shifted sums
 * and inertia; returns the number of labels that changed. */
static size_t lloyd_assign(lloyd *l, const double *centers, int *labels,
                           double *inertia)
{
    const gmm_rows *rows = l->rows;
    size_t k = l->n_clusters, d = rows->n_features;
#pragma omp parallel for schedule(dynamic, 1) num_threads(gmm_threads(l->n_threads))
    for (size_t b = 0; b < l->blocks.n_blocks; b++) {
        lloyd_block *blk = &l->block[b];
        memset(blk->counts, 0, k * sizeof(double));
        memset(blk->sums, 0, k * d * sizeof(double));
        blk->inertia = 0.0;
        blk->changed = 0;
        size_t begin, end;
        gmm_blocks_range(&l->blocks, b, &begin, &end);
        for (size_t i = begin; i < end; i++) {
            const double *x = rows->X + i * d;
            double dist, w = rows->weights ? rows->weights[i] : 1.0;
            size_t c = gmm_nearest_center(x, centers, k, d, &dist);
            if (labels[i] != (int)c) {
                blk->changed++;
                labels[i] = (int)c;
            }
            blk->counts[c] += w;
            blk->inertia += w * dist;
            for (size_t j = 0; j < d; j++)
                blk->sums[c * d + j] += w * (x[j] - centers[c * d + j]);
        }
    }
    size_t changed = 0;
    memset(l->counts, 0, k * sizeof(double));
    memset(l->sums, 0, k * d * sizeof(double));
    *inertia = 0.0;
    for (size_t b = 0; b < l->blocks.n_blocks; b++) {
        for (size_t c = 0; c < k; c++)
            l->counts[c] += l->block[b].counts[c];
        for (size_t i = 0; i < k * d; i++)
            l->sums[i] += l->block[b].sums[i];
        *inertia += l->block[b].inertia;
        changed += l->block[b].changed;
    }
    return changed;
}

/* Empty clusters take the rows farthest from their own centres (as
 * scikit-learn's _relocate_empty_clusters), and those rows' weight leaves
 * the clusters they were in. Rare, so a plain serial scan per empty
 * cluster is fine. */
static void relocate_empty(lloyd *l, const double *centers, const int *labels,
                           double *new_centers)
{
    const gmm_rows *rows = l->rows;
    size_t k = l->n_clusters, d = rows->n_features, n = rows->n_rows;
    double previous = INFINITY;
    size_t previous_row = n;
    for (size_t c = 0; c < k; c++) {
        if (l->counts[c] > 0.0)
            continue;
        /* The farthest row not yet taken: strictly below the previous
         * distance, or equal with a larger index. */
        size_t far = n;
        double far_dist = -1.0;
        for (size_t i = 0; i < n; i++) {
            const double *x = rows->X + i * d;
            size_t own = (size_t)labels[i];
            double dist = 0.0;
            for (size_t j = 0; j < d; j++) {
                double y = x[j] - centers[own * d + j];
                dist += y * y;
            }
            int eligible = dist < previous || (dist == previous && i > previous_row);
            if (eligible && dist > far_dist) {
                far_dist = dist;
                far = i;
            }
        }
        if (far == n)
            return;
        previous = far_dist;
        previous_row = far;
        const double *x = rows->X + far * d;
        size_t own = (size_t)labels[far];
        double w = rows->weights ? rows->weights[far] : 1.0;
        l->counts[own] -= w;
        for (size_t j = 0; j < d; j++) {
            l->sums[own * d + j] -= w * (x[j] - centers[own * d + j]);
            new_centers[c * d + j] = x[j];
        }
    }
}

/* New centres from the sums; returns the total squared shift. */
static double lloyd_update(lloyd *l, const double *centers, const int *labels,
                           double *new_centers)
{
    size_t k = l->n_clusters, d = l->rows->n_features;
    relocate_empty(l, centers, labels, new_centers);
    double shift = 0.0;
    for (size_t c = 0; c < k; c++) {
        if (l->counts[c] > 0.0)
            for (size_t j = 0; j < d; j++)
                new_centers[c * d + j] = centers[c * d + j] +
                                         l->sums[c * d + j] / l->counts[c];
        for (size_t j = 0; j < d; j++) {
            double y = new_centers[c * d + j] - centers[c * d + j];
            shift += y * y;
        }
    }
    return shift;
}

/* One restart from the given seeds (in centers); results in place. */
static void lloyd_run(lloyd *l, int max_iter, double tol, double *centers,
                      double *spare, int *labels, gmm_kmeans_result *result)
{
    size_t n = l->rows->n_rows;
    double inertia = 0.0;
    int strict = 0, n_iter = 0, converged = 0;
    for (size_t i = 0; i < n; i++)
        labels[i] = -1;
    for (int it = 0; it < max_iter; it++) {
        size_t changed = lloyd_assign(l, centers, labels, &inertia);
        n_iter = it + 1;
        /* First pass: every label "changed" from -1; not convergence. */
        if (it > 0 && changed == 0) {
            strict = converged = 1;
            break;
        }
        double shift = lloyd_update(l, centers, labels, spare);
        memcpy(centers, spare, l->n_clusters * l->rows->n_features * sizeof *centers);
        if (shift <= tol) {
            converged = 1;
            break;
        }
    }
    if (!strict)
        lloyd_assign(l, centers, labels, &inertia);
    result->inertia = inertia;
    result->n_iter = n_iter;
    result->converged = converged;
}

gmm_status gmm_kmeans_rows(const gmm_kmeans_options *options,
                           const gmm_rows *rows, double *centers, int *labels,
                           gmm_kmeans_result *result, gmm_error *err)
{
    size_t k = options->n_clusters, n = rows->n_rows, d = rows->n_features;
    double variance;
    gmm_status status = gmm_feature_moments(rows, options->n_threads, NULL,
                                             &variance, err);
    if (status != GMM_OK)
        return status;
    double tol = options->tol * variance;

    lloyd l;
    status = lloyd_alloc(&l, rows, k, options->n_threads, err);
    if (status != GMM_OK)
        return status;
    size_t *seeds = malloc(k * sizeof *seeds);
    double *trial = malloc(k * d * sizeof *trial);
    double *spare = malloc(k * d * sizeof *spare);
    int *trial_labels = malloc(n * sizeof *trial_labels);
    int *best_labels = labels ? labels : malloc(n * sizeof *best_labels);
    if (!seeds || !trial || !spare || !trial_labels || !best_labels) {
        status = gmm_fail(err, GMM_ERR_NOMEM, "out of memory for k-means "
                          "(%zu rows, %zu clusters)", n, k);
        goto done;
    }
    gmm_rng rng;
    gmm_rng_seed(&rng, options->seed);
    gmm_kmeans_result best = {INFINITY, 0, 0};
    for (int run = 0; run < options->n_init; run++) {
        status = options->init == GMM_KMEANS_INIT_RANDOM
                     ? gmm_seed_random(rows, k, &rng, seeds, err)
                     : gmm_seed_kmeans_plusplus(rows, k, &rng, options->n_threads,
                                                seeds, err);
        if (status != GMM_OK)
            goto done;
        gmm_gather_rows(rows, seeds, k, trial);
        gmm_kmeans_result outcome;
        lloyd_run(&l, options->max_iter, tol, trial, spare, trial_labels, &outcome);
        if (run == 0 || outcome.inertia < best.inertia) {
            best = outcome;
            memcpy(centers, trial, k * d * sizeof *centers);
            memcpy(best_labels, trial_labels, n * sizeof *best_labels);
        }
    }
    if (result)
        *result = best;
done:
    lloyd_free(&l);
    free(seeds);
    free(trial);
    free(spare);
    free(trial_labels);
    if (best_labels != labels)
        free(best_labels);
    return status;
}

gmm_status gmm_kmeans(const gmm_kmeans_options *options, const double *X,
                      size_t n_rows, size_t n_features,
                      const double *sample_weight, double *centers,
                      int *labels, gmm_kmeans_result *result, gmm_error *err)
{
    if (options->n_clusters < 1)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "n_clusters must be at least 1, got %zu", options->n_clusters);
    if (options->n_init < 1 || options->max_iter < 1 || !(options->tol >= 0.0) ||
        isinf(options->tol) || options->n_threads < 0 ||
        (options->init != GMM_KMEANS_INIT_KMEANS_PLUSPLUS &&
         options->init != GMM_KMEANS_INIT_RANDOM))
        return gmm_fail(err, GMM_ERR_INVALID,
                        "invalid k-means options: need n_init >= 1 (got %d), "
                        "max_iter >= 1 (got %d), finite tol >= 0 (got %g), "
                        "n_threads >= 0 (got %d)", options->n_init,
                        options->max_iter, options->tol, options->n_threads);
    gmm_rows rows;
    double *owned_weights;
    gmm_status status = gmm_rows_init(&rows, X, n_rows, n_features, sample_weight,
                                      options->n_clusters, &owned_weights, err);
    if (status == GMM_OK)
        status = gmm_kmeans_rows(options, &rows, centers, labels, result, err);
    /* Inertia in the caller's units, not in the rescaled weights'. */
    if (status == GMM_OK && result)
        result->inertia /= rows.weight_scale;
    free(owned_weights);
    if (status == GMM_OK)
        gmm_error_clear(err);
    return status;
}
