/*
 * kmeans.c — Lloyd's algorithm with scikit-learn 1.2.1's rules: k-means++
 * or random seeds, centres moved to the weighted mean of their rows, empty
 * clusters re-seeded with the rows farthest from their centres, stop when
 * the labels no longer change or the squared centre shift totals at most
 * tol * mean feature variance, then a last assignment so labels match the
 * final centres; the restart with the lowest inertia wins.
 *
 * One Lloyd iteration is one parallel pass: 3NKD flops for distances plus
 * 2ND for the sums, reading X once. With Hamerly's bounds (em/bounds.h,
 * kept beside the labels) a row whose own centre stays certainly nearest
 * costs D distance work instead of KD; the others go through the kernel,
 * gathered per chunk, with the same labels, sums and inertia bit for bit. Over several processes the counts,
 * sums, inertia and changed labels are summed (K(D + 1) + 2 numbers), and
 * every process then takes the same decisions.
 *
 * A run can take minutes on millions of rows, so the caller's progress
 * callback is asked whether to stop (em/stop.h) before each k-means++
 * seed and each Lloyd iteration: between passes, on the calling thread.
 */
#include "em/kmeans.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "em/bounds.h"
#include "em/labels.h"
#include "em/pass.h"
#include "em/seeding.h"
#include "em/stop.h"
#include "kernels/nearest.h"
#include "model/model.h"
#include "model/validate.h"
#include "rows/check.h"
#include "rows/runner.h"
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
    size_t d = rows->n_features, first = 0;
    gmm_rows unweighted = *rows;
    unweighted.weights = NULL;
    unweighted.weight_sum = (double)rows->total_rows;
    gmm_stats stats;
    double *first_row = malloc(d * sizeof *first_row);
    if (!first_row)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for %zu features", d);
    gmm_status status = gmm_rows_fetch(rows, &first, 1, first_row, NULL, err);
    if (status == GMM_OK)
        status = gmm_stats_alloc(&stats, 1, d,
                                 (gmm_covariance_layout){
                                     GMM_COVARIANCE_BLOCK_DIAGONAL, 0},
                                 err);
    if (status != GMM_OK) {
        free(first_row);
        return status;
    }
    gmm_centers all = {first_row, 1, d, NULL};
    status = gmm_stats_pass(&unweighted, gmm_resp_nearest(&all), first_row,
                            n_threads, &stats, err);
    if (status == GMM_OK) {
        double n = stats.nk[0], sum = 0.0;
        for (size_t j = 0; j < d; j++) {
            double a = stats.sk[j] / n;
            if (mean)
                mean[j] = first_row[j] + a;
            sum += stats.qk[j] / n - a * a;
        }
        if (mean_variance)
            *mean_variance = sum / (double)d;
    }
    gmm_stats_release(&stats);
    free(first_row);
    return status;
}

#ifndef GMM_BOUNDS_MIN_CENTERS
#define GMM_BOUNDS_MIN_CENTERS 128
#endif

/* Per-block results of one assignment pass. */
typedef struct lloyd_block {
    double *counts;   /* K: weight per cluster                           */
    double *sums;     /* K x D: sum of w (x - old centre)                */
    double inertia;
    size_t changed;   /* rows whose label differs from the last pass     */
    size_t recomputed;  /* rows through the kernel (all K distances)     */
    double *far;      /* relocation: up to n_far pairs of distance and
                         global index, in farthest_rows' order           */
    size_t n_far;
} lloyd_block;

/* Labels are kept, packed (em/labels.h: 4 bits a row for K = 16), when the
 * caller wants them or they fit the memory budget beside rows in memory.
 * Otherwise (streamed rows; K above 16 at D = 1, above 256 at D = 2)
 * memory stays bounded instead: a row's previous label is recomputed from
 * the previous centres, which doubles the distance work of a pass and
 * gives the same answer. The same labels are k-means++'s work space. */
typedef struct lloyd {
    const gmm_rows *rows;
    size_t n_clusters;
    int n_threads;
    gmm_blocks blocks;
    lloyd_block *block;
    gmm_pass_buffers buffers;  /* the passes' thread buffers, kept       */
    gmm_labels labels;    /* n_rows (local), kept or not                 */
    gmm_bounds bounds;    /* with kept labels, within the memory budget  */
    size_t assigned, recomputed;  /* local rows assigned in all passes,
                                     and those through the kernel        */
    const double *previous;  /* centres of the last pass, NULL at first  */
    const double *centers;   /* the centres of the pass under way        */
    gmm_screen screen;       /* theirs, prepared in screen_memory         */
    const gmm_screen *screened;  /* &screen, or NULL: K too small for one */
    double *screen_memory;
    double eligible[2];   /* farthest_rows: the previous pick             */
    size_t n_far;         /* farthest_rows: how many picks a block keeps  */
    double *combined;     /* counts K, sums K x D, inertia, changed: the
                             numbers summed over processes               */
    double *counts, *sums;
} lloyd;

static void lloyd_free(lloyd *l)
{
    for (size_t b = 0; l->block && b < l->blocks.n_blocks; b++) {
        free(l->block[b].counts);
        free(l->block[b].sums);
    }
    free(l->block);
    free(l->combined);
    free(l->screen_memory);
    gmm_pass_buffers_free(&l->buffers);
    gmm_labels_free(&l->labels);
    gmm_bounds_free(&l->bounds);
}

static gmm_status lloyd_alloc(lloyd *l, const gmm_rows *rows, size_t k,
                              int n_threads, int want_labels, int bounded,
                              gmm_error *err)
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
    l->combined = malloc((k * (d + 1) + 2) * sizeof *l->combined);
    int failed = !l->block || !l->combined;
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
    gmm_status status = gmm_labels_alloc(&l->labels, rows, k, want_labels, err);
    if (status != GMM_OK) {
        lloyd_free(l);
        return status;
    }
    /* Bounds need the labels, and take 4 bytes a row: within a tenth of
     * the rows' bytes from D = 5 on, and small beside the int labels the
     * caller asked for. */
    if (bounded && l->labels.words && (want_labels || d >= 5))
        gmm_bounds_alloc(&l->bounds, rows->n_rows, k, d);
    /* Without the screen's memory the exact kernel does everything, with
     * the same results. */
    if (k >= GMM_SCREEN_MIN_CENTERS)
        l->screen_memory = malloc(gmm_screen_memory(k, d) * sizeof(double));
    l->counts = l->combined;
    l->sums = l->combined + k;
    return GMM_OK;
}

/* A thread's scratch for a chunk's nearest centres (kernels/nearest.h):
 * the kernel's own, then a chunk's labels, their distances and the labels
 * under the previous centres (or, with bounds, the kernel's labels of the
 * gathered rows); with bounds also the indices of the rows the bounds
 * could not keep, their distances and runner-ups. */
typedef struct chunk_nearest {
    double *kernel;
    size_t *label, *previous, *which;
    double *dist, *gathered_dist, *second;
} chunk_nearest;

static size_t chunk_nearest_size(size_t d)
{
    return gmm_nearest_scratch_size(d) + 6 * GMM_CHUNK_ROWS;
}

static chunk_nearest chunk_nearest_in(double *scratch, size_t d)
{
    double *after = scratch + gmm_nearest_scratch_size(d);
    chunk_nearest out = {scratch, (size_t *)after,
                         (size_t *)(after + GMM_CHUNK_ROWS),
                         (size_t *)(after + 2 * GMM_CHUNK_ROWS),
                         after + 3 * GMM_CHUNK_ROWS,
                         after + 4 * GMM_CHUNK_ROWS,
                         after + 5 * GMM_CHUNK_ROWS};
    return out;
}

/* A pass over the rows with the distances to K centres (twice that when
 * the previous labels are recomputed). */
static gmm_pass lloyd_pass(lloyd *l, int recomputes)
{
    double cost = (double)l->n_clusters * (double)l->rows->n_features;
    return (gmm_pass){.rows = l->rows, .blocks = l->blocks,
                      .n_threads = l->n_threads,
                      .row_cost = recomputes ? 2 * cost : cost,
                      .scratch_size = chunk_nearest_size(l->rows->n_features),
                      .context = l};
}

static void assign_begin(void *context, size_t b)
{
    lloyd *l = context;
    size_t k = l->n_clusters, d = l->rows->n_features;
    lloyd_block *blk = &l->block[b];
    memset(blk->counts, 0, k * sizeof(double));
    memset(blk->sums, 0, k * d * sizeof(double));
    blk->inertia = 0.0;
    blk->changed = 0;
    blk->recomputed = 0;
}

/* The chunk's labels and distances, into near.label and near.dist:
 * through the kernel for every row, or, once the bounds hold, only for
 * the rows whose own centre (its one exact distance, the kernel's bits)
 * the bounds cannot prove nearest, gathered so the kernel keeps its
 * blocks. */
static size_t nearest_bounded(lloyd *l, const double *X, size_t first,
                              size_t n_rows, chunk_nearest near)
{
    gmm_bounds *bounds = l->bounds.lower ? &l->bounds : NULL;
    size_t k = l->n_clusters, d = l->rows->n_features;
    if (!bounds || !l->previous) {
        gmm_nearest_chunk(X, n_rows, d, l->centers, k, l->screened,
                          near.kernel, near.label, near.dist,
                          bounds ? near.second : NULL);
        for (size_t r = 0; bounds && r < n_rows; r++)
            gmm_bounds_reset(bounds, first + r, near.second[r]);
        return n_rows;
    }
    gmm_nearest_load(X, n_rows, d, near.kernel);
    for (size_t r = 0; r < n_rows; r++)
        near.label[r] = gmm_labels_get(&l->labels, first + r);
    gmm_nearest_own(near.kernel, n_rows, d, l->centers, near.label, near.dist);
    size_t n_gathered = 0;
    for (size_t r = 0; r < n_rows; r++)
        if (!gmm_bounds_keeps(bounds, first + r, near.label[r], near.dist[r]))
            near.which[n_gathered++] = r;
    if (n_gathered)
        gmm_nearest_rows(near.kernel, near.which, n_gathered, d, l->centers, k,
                         l->screened, near.previous, near.gathered_dist,
                         near.second);
    for (size_t g = 0; g < n_gathered; g++) {
        size_t r = near.which[g];
        near.label[r] = near.previous[g];
        near.dist[r] = near.gathered_dist[g];
        gmm_bounds_reset(bounds, first + r, near.second[g]);
    }
    return n_gathered;
}

/* Assign a chunk's rows to the nearest of the centres, accumulating
 * counts, shifted sums, inertia and changed labels into block b's. */
static void assign_chunk(void *context, size_t b, const double *X,
                         size_t first, size_t n_rows, double *scratch)
{
    lloyd *l = context;
    const gmm_rows *rows = l->rows;
    const double *centers = l->centers;
    size_t k = l->n_clusters, d = rows->n_features;
    int kept = l->labels.words != NULL;
    lloyd_block *blk = &l->block[b];
    double inertia = blk->inertia;
    chunk_nearest near = chunk_nearest_in(scratch, d);
    blk->recomputed += nearest_bounded(l, X, first, n_rows, near);
    if (l->previous && !kept)
        gmm_nearest_chunk(X, n_rows, d, l->previous, k, NULL, near.kernel,
                          near.previous, NULL, NULL);
    for (size_t r = 0; r < n_rows; r++) {
        size_t i = first + r, c = near.label[r];
        double w = rows->weights ? rows->weights[i] : 1.0;
        /* No label before the first pass (k): every row changes. */
        size_t old = !l->previous ? k
                     : kept ? gmm_labels_get(&l->labels, i)
                            : near.previous[r];
        if (old != c) {
            blk->changed++;
            if (kept)
                gmm_labels_set(&l->labels, i, c);
        }
        blk->counts[c] += w;
        inertia += w * near.dist[r];
    }
    gmm_nearest_sums(X, n_rows, d, centers, near.label,
                     rows->weights ? rows->weights + first : NULL, blk->sums);
    blk->inertia = inertia;
}

static void assign_combine(void *context, size_t b)
{
    lloyd *l = context;
    size_t k = l->n_clusters, d = l->rows->n_features;
    const lloyd_block *blk = &l->block[b];
    for (size_t c = 0; c < k; c++)
        l->counts[c] += blk->counts[c];
    for (size_t i = 0; i < k * d; i++)
        l->sums[i] += blk->sums[i];
    l->sums[k * d] += blk->inertia;
    l->sums[k * d + 1] += (double)blk->changed;
    l->recomputed += blk->recomputed;
}

/* One assignment pass over all processes' rows: counts, shifted sums,
 * *inertia and *changed (labels that differ from the last pass). */
static gmm_status lloyd_assign(lloyd *l, const double *centers, double *inertia,
                               size_t *changed, gmm_error *err)
{
    size_t k = l->n_clusters, d = l->rows->n_features;
    gmm_pass pass = lloyd_pass(l, l->previous && !l->labels.words);
    pass.begin = assign_begin;
    pass.chunk = assign_chunk;
    pass.combine = assign_combine;
    l->centers = centers;
    if (l->screen_memory) {
        l->screen = gmm_screen_prepare(centers, k, d, l->screen_memory);
        l->screened = &l->screen;
    }
    if (l->bounds.lower && l->previous)
        gmm_bounds_move(&l->bounds, l->previous, centers);
    l->assigned += l->rows->n_rows;
    memset(l->combined, 0, (k * (d + 1) + 2) * sizeof(double));
    gmm_status status = gmm_run_pass(&pass, &l->buffers, err);
    status = gmm_rows_sum(l->rows, l->combined, k * (d + 1) + 2, status, err);
    *inertia = l->sums[k * d];
    *changed = (size_t)l->sums[k * d + 1];
    return status;
}

/* The relocation's order of rows: farther from their own centre first,
 * the lower global index first among equals. Whether (dist, index) comes
 * before the pair p. */
static int farther(double dist, double index, const double *p)
{
    return dist > p[0] || (dist == p[0] && index < p[1]);
}

/* (dist, index) into list, *n pairs in the relocation's order, keeping
 * the first m. */
static void far_insert(double *list, size_t *n, size_t m, double dist,
                       double index)
{
    if (*n == m && (m == 0 || !farther(dist, index, list + 2 * (m - 1))))
        return;
    size_t at = *n < m ? (*n)++ : m - 1;
    for (; at > 0 && farther(dist, index, list + 2 * (at - 1)); at--) {
        list[2 * at] = list[2 * (at - 1)];
        list[2 * at + 1] = list[2 * (at - 1) + 1];
    }
    list[2 * at] = dist;
    list[2 * at + 1] = index;
}

/* farthest_rows' pass: each block's first rows in the relocation's order
 * after the previous pick. */
static void farthest_begin(void *context, size_t b)
{
    lloyd *l = context;
    l->block[b].n_far = 0;
}

static void farthest_chunk(void *context, size_t b, const double *X,
                           size_t first, size_t n_rows, double *scratch)
{
    lloyd *l = context;
    size_t k = l->n_clusters, d = l->rows->n_features;
    lloyd_block *blk = &l->block[b];
    chunk_nearest near = chunk_nearest_in(scratch, d);
    /* Kept labels are those of the pass just made with these centres: the
     * distance to a row's own centre is one distance, the kernel's bits. */
    if (l->labels.words) {
        for (size_t r = 0; r < n_rows; r++)
            near.label[r] = gmm_labels_get(&l->labels, first + r);
        gmm_nearest_load(X, n_rows, d, near.kernel);
        gmm_nearest_own(near.kernel, n_rows, d, l->centers, near.label,
                        near.dist);
    } else
        gmm_nearest_chunk(X, n_rows, d, l->centers, k, NULL, near.kernel,
                          near.label, near.dist, NULL);
    for (size_t r = 0; r < n_rows; r++) {
        double i = (double)(l->rows->first_row + first + r);
        double pair[2] = {near.dist[r], i};
        if (farther(l->eligible[0], l->eligible[1], pair))
            far_insert(blk->far, &blk->n_far, l->n_far, near.dist[r], i);
    }
}

/* The first m rows of all processes in the relocation's order after the
 * pair previous, into picks (*n_picks <= m pairs of distance and global
 * index): one pass for all of them. The order is total, so neither the
 * blocks' nor the processes' order changes the picks. */
static gmm_status farthest_rows(lloyd *l, const double *centers,
                                const double previous[2], size_t m,
                                double *picks, size_t *n_picks, gmm_error *err)
{
    const gmm_rows *rows = l->rows;
    size_t n_blocks = l->blocks.n_blocks;
    size_t size = rows->reducer ? (size_t)rows->reducer->size : 1;
    double *lists = malloc(2 * m * (n_blocks + size + 1) * sizeof *lists);
    if (!lists)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory relocating clusters");
    double *mine = lists + 2 * m * n_blocks, *all = mine + 2 * m;
    for (size_t b = 0; b < n_blocks; b++)
        l->block[b].far = lists + 2 * m * b;
    gmm_pass pass = lloyd_pass(l, 0);
    if (l->labels.words)
        pass.row_cost = (double)rows->n_features;
    pass.begin = farthest_begin;
    pass.chunk = farthest_chunk;
    l->centers = centers;
    l->eligible[0] = previous[0];
    l->eligible[1] = previous[1];
    l->n_far = m;
    gmm_status status = gmm_run_pass(&pass, &l->buffers, err);
    size_t n_mine = 0;
    for (size_t b = 0; status == GMM_OK && b < n_blocks; b++)
        for (size_t p = 0; p < l->block[b].n_far; p++)
            far_insert(mine, &n_mine, m, l->block[b].far[2 * p],
                       l->block[b].far[2 * p + 1]);
    for (size_t p = n_mine; p < m; p++)
        mine[2 * p] = -1.0, mine[2 * p + 1] = 0.0;  /* none: distances >= 0 */
    status = gmm_rows_gather(rows, mine, 2 * m, all, status, err);
    *n_picks = 0;
    for (size_t p = 0; status == GMM_OK && p < size * m; p++)
        if (all[2 * p] >= 0.0)
            far_insert(picks, n_picks, m, all[2 * p], all[2 * p + 1]);
    free(lists);
    return status;
}

/* Empty clusters take the rows farthest from their own centres (as
 * scikit-learn's _relocate_empty_clusters), and those rows' weight leaves
 * the clusters they were in, cluster by cluster in index order. A cluster
 * that loses its last row that way is empty in turn, and served if its
 * index is still ahead: then the picks run out and one more pass finds
 * the next ones. */
static gmm_status relocate_empty(lloyd *l, const double *centers,
                                 double *new_centers, gmm_error *err)
{
    const gmm_rows *rows = l->rows;
    size_t k = l->n_clusters, d = rows->n_features, n_empty = 0;
    for (size_t c = 0; c < k; c++)
        n_empty += !(l->counts[c] > 0.0);
    if (!n_empty)
        return GMM_OK;
    double previous[2] = {INFINITY, -1.0};
    double *all = malloc((2 * n_empty + 2 * d) * sizeof *all);
    if (!all)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory relocating clusters");
    double *picks = all, *x = all + 2 * n_empty, *weight = x + d;
    size_t n_picks = 0, next = 0;
    gmm_status status = GMM_OK;
    for (size_t c = 0; status == GMM_OK && c < k; c++) {
        if (l->counts[c] > 0.0)
            continue;
        if (next == n_picks) {
            /* Each row taken serves one empty cluster and empties at most
             * one: never more than n_empty are waiting. */
            size_t waiting = 0;
            for (size_t e = c; e < k; e++)
                waiting += !(l->counts[e] > 0.0);
            status = farthest_rows(l, centers, previous, waiting, picks,
                                   &n_picks, err);
            next = 0;
            if (status != GMM_OK || n_picks == 0)
                break;
        }
        const double *far = picks + 2 * next++;
        previous[0] = far[0];
        previous[1] = far[1];
        size_t index = (size_t)far[1];
        status = gmm_rows_fetch(rows, &index, 1, x, weight, err);
        if (status != GMM_OK)
            break;
        size_t own = gmm_nearest_center(x, centers, k, d, NULL);
        double w = rows->weights ? *weight : 1.0;
        l->counts[own] -= w;
        for (size_t j = 0; j < d; j++) {
            l->sums[own * d + j] -= w * (x[j] - centers[own * d + j]);
            new_centers[c * d + j] = x[j];
        }
    }
    free(all);
    return status;
}

/* New centres from the sums; the total squared shift into *shift. */
static gmm_status lloyd_update(lloyd *l, const double *centers,
                               double *new_centers, double *shift,
                               gmm_error *err)
{
    size_t k = l->n_clusters, d = l->rows->n_features;
    gmm_status status = relocate_empty(l, centers, new_centers, err);
    *shift = 0.0;
    for (size_t c = 0; c < k; c++) {
        if (l->counts[c] > 0.0)
            for (size_t j = 0; j < d; j++)
                new_centers[c * d + j] = centers[c * d + j] +
                                         l->sums[c * d + j] / l->counts[c];
        for (size_t j = 0; j < d; j++) {
            double y = new_centers[c * d + j] - centers[c * d + j];
            *shift += y * y;
        }
    }
    return status;
}

/* One restart from the given seeds (in centers); results in place. spare
 * holds 2 x K x D doubles. stop is polled before each iteration's pass. */
static gmm_status lloyd_run(lloyd *l, int max_iter, double tol,
                            const gmm_stop *stop, double *centers,
                            double *spare, gmm_kmeans_result *result,
                            gmm_error *err)
{
    size_t size = l->n_clusters * l->rows->n_features;
    double inertia = 0.0, *previous = spare + size;
    int strict = 0, n_iter = 0, converged = 0;
    size_t changed;
    gmm_status status = GMM_OK;
    l->previous = NULL;
    for (int it = 0; status == GMM_OK && it < max_iter; it++) {
        status = gmm_stop_poll(stop, "k-means", err);
        if (status != GMM_OK)
            break;
        status = lloyd_assign(l, centers, &inertia, &changed, err);
        n_iter = it + 1;
        /* First pass: every label "changed" from -1; not convergence. */
        if (status != GMM_OK || (it > 0 && changed == 0)) {
            strict = converged = status == GMM_OK;
            break;
        }
        double shift;
        status = lloyd_update(l, centers, spare, &shift, err);
        memcpy(previous, centers, size * sizeof *centers);
        memcpy(centers, spare, size * sizeof *centers);
        l->previous = previous;
        if (shift <= tol) {
            converged = 1;
            break;
        }
    }
    if (status == GMM_OK && !strict)
        status = lloyd_assign(l, centers, &inertia, &changed, err);
    result->inertia = inertia;
    result->n_iter = n_iter;
    result->converged = converged;
    return status;
}

gmm_status gmm_kmeans_rows(const gmm_kmeans_options *options,
                           const gmm_rows *rows, double *centers, int *labels,
                           gmm_kmeans_result *result, gmm_error *err)
{
    /* With few centres a row's own distance and the bounds' bookkeeping
     * cost about what the screened kernel does (bench/RESULTS.md note
     * 46). */
    int bounded = options->n_clusters >= GMM_BOUNDS_MIN_CENTERS;
    return gmm_kmeans_rows_work(options, rows, bounded, centers, labels,
                                result, NULL, err);
}

gmm_status gmm_kmeans_rows_work(const gmm_kmeans_options *options,
                                const gmm_rows *rows, int bounded,
                                double *centers, int *labels,
                                gmm_kmeans_result *result, size_t work[2],
                                gmm_error *err)
{
    size_t k = options->n_clusters, n = rows->n_rows, d = rows->n_features;
    const gmm_stop stop = {options->progress, options->progress_user_data};
    double variance;
    gmm_status status = gmm_feature_moments(rows, options->n_threads, NULL,
                                             &variance, err);
    if (status != GMM_OK)
        return status;
    double tol = options->tol * variance;

    lloyd l;
    status = lloyd_alloc(&l, rows, k, options->n_threads, labels != NULL,
                         bounded, err);
    if (status != GMM_OK)
        return status;
    size_t *seeds = malloc(k * sizeof *seeds);
    double *trial = malloc(k * d * sizeof *trial);
    double *spare = malloc(2 * k * d * sizeof *spare);
    if (!seeds || !trial || !spare) {
        status = gmm_fail(err, GMM_ERR_NOMEM, "out of memory for k-means "
                          "(%zu rows, %zu clusters)", n, k);
        goto done;
    }
    gmm_rng rng;
    gmm_rng_seed(&rng, options->seed);
    gmm_kmeans_result best = {INFINITY, 0, 0};
    /* Explicit centres start the one run there is. */
    int n_runs = options->init_centers ? 1 : options->n_init;
    for (int run = 0; run < n_runs; run++) {
        if (options->init_centers)
            memcpy(trial, options->init_centers, k * d * sizeof *trial);
        else if (options->init == GMM_KMEANS_INIT_RANDOM)
            status = gmm_seed_random(rows, k, &rng, seeds, err);
        else
            status = gmm_seed_kmeans_plusplus(rows, k, &rng, &l.labels,
                                              options->n_threads, &stop,
                                              seeds, err);
        if (status == GMM_OK && !options->init_centers)
            status = gmm_rows_fetch(rows, seeds, k, trial, NULL, err);
        gmm_kmeans_result outcome;
        if (status == GMM_OK)
            status = lloyd_run(&l, options->max_iter, tol, &stop, trial, spare,
                               &outcome, err);
        if (status != GMM_OK)
            goto done;
        if (run == 0 || outcome.inertia < best.inertia) {
            best = outcome;
            memcpy(centers, trial, k * d * sizeof *centers);
            for (size_t i = 0; labels && i < n; i++)
                labels[i] = (int)gmm_labels_get(&l.labels, i);
        }
    }
    if (result)
        *result = best;
    if (work) {
        work[0] = l.assigned;
        work[1] = l.recomputed;
    }
done:
    lloyd_free(&l);
    free(seeds);
    free(trial);
    free(spare);
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
        options->n_threads > GMM_MAX_THREADS ||
        (options->init != GMM_KMEANS_INIT_KMEANS_PLUSPLUS &&
         options->init != GMM_KMEANS_INIT_RANDOM))
        return gmm_fail(err, GMM_ERR_INVALID,
                        "invalid k-means options: need n_init >= 1 (got %d), "
                        "max_iter >= 1 (got %d), finite tol >= 0 (got %g), "
                        "n_threads from 0 to %d (got %d)", options->n_init,
                        options->max_iter, options->tol, GMM_MAX_THREADS,
                        options->n_threads);
    gmm_status status = GMM_OK;
    if (options->init_centers)
        status = gmm_validate_finite(options->init_centers,
                                     options->n_clusters * n_features,
                                     "init_centers", err);
    if (status != GMM_OK)
        return status;
    gmm_rows rows;
    double *owned_weights;
    gmm_kmeans_result outcome = {0};
    status = gmm_rows_init(&rows, X, n_rows, n_features, sample_weight,
                           options->n_clusters, options->n_threads,
                           &owned_weights, err);
    if (status == GMM_OK)
        status = gmm_kmeans_rows(options, &rows, centers, labels, &outcome, err);
    /* Squared distances past DBL_MAX made every assignment a tie of
     * infinities: the clustering means nothing, say why. */
    if (status == GMM_OK && !isfinite(outcome.inertia))
        status = gmm_fail(err, GMM_ERR_NUMERIC, "the inertia (the sum of squared "
                          "distances to the centers) is beyond the range of a "
                          "double: the rows are too far apart (deviations of "
                          "about 1e154 or more). Rescale the data, e.g. divide "
                          "each feature by its standard deviation.");
    /* Inertia in the caller's units, not in the rescaled weights'. */
    if (status == GMM_OK && result) {
        *result = outcome;
        result->inertia /= rows.weight_scale;
    }
    free(owned_weights);
    if (status == GMM_OK)
        gmm_error_clear(err);
    return status;
}

/* gmm_kmeans_predict's pass: each row's nearest centre. */
typedef struct nearest_labels {
    const double *centers;
    size_t n_clusters, n_features;
    int *labels;
    double *distances;  /* or NULL */
} nearest_labels;

static void label_chunk(void *context, size_t b, const double *X,
                        size_t first, size_t n_rows, double *scratch)
{
    (void)b;
    const nearest_labels *out = context;
    size_t d = out->n_features;
    chunk_nearest near = chunk_nearest_in(scratch, d);
    gmm_nearest_chunk(X, n_rows, d, out->centers, out->n_clusters, NULL,
                      near.kernel, near.label, near.dist, NULL);
    for (size_t r = 0; r < n_rows; r++) {
        out->labels[first + r] = (int)near.label[r];
        if (out->distances)
            out->distances[first + r] = near.dist[r];
    }
}

gmm_status gmm_kmeans_predict(const double *centers, size_t n_clusters,
                              const double *X, size_t n_rows,
                              size_t n_features, int n_threads, int *labels,
                              double *distances, gmm_error *err)
{
    if (n_clusters < 1 || n_features < 1 || n_threads < 0 ||
        n_threads > GMM_MAX_THREADS)
        return gmm_fail(err, GMM_ERR_INVALID, "k-means prediction needs "
                        "n_clusters >= 1 (got %zu), n_features >= 1 (got %zu) "
                        "and n_threads from 0 to %d (got %d)", n_clusters,
                        n_features, GMM_MAX_THREADS, n_threads);
    gmm_status status = gmm_validate_finite(centers, n_clusters * n_features,
                                            "centers", err);
    gmm_rows rows = gmm_rows_of_memory(X, n_rows, n_features);
    if (status == GMM_OK)
        status = gmm_rows_check_finite(&rows, n_threads, GMM_OK, err);
    /* Each row on its own: the same arithmetic as Lloyd's assignment, so
     * a fit's rows get back the labels the fit gave them. */
    nearest_labels out = {centers, n_clusters, n_features, labels, distances};
    gmm_pass pass = {.rows = &rows,
                     .blocks = gmm_blocks_plan(n_rows, GMM_MAX_BLOCKS),
                     .n_threads = n_threads,
                     .row_cost = (double)n_clusters * (double)n_features,
                     .scratch_size = chunk_nearest_size(n_features),
                     .context = &out,
                     .chunk = label_chunk};
    if (status == GMM_OK)
        status = gmm_run_pass(&pass, NULL, err);
    if (status == GMM_OK)
        gmm_error_clear(err);
    return status;
}
