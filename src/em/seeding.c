/*
 * seeding.c — k-means++ and random seeding (seeding.h).
 *
 * k-means++ costs (2 + ln K) candidate distance passes per centre, each
 * 3ND flops; every sum over rows goes through fixed blocks so the choice
 * of seeds does not depend on the thread count.
 *
 * The closest squared distance of each row to the seeds so far is the
 * distance to its nearest seed, whose index the caller's labels keep when
 * they fit the memory budget (em/labels.h: 4 bits a row for K = 16); a
 * pass then costs 2 distances per row. Otherwise (streamed rows, or too
 * many clusters for too few features) it is recomputed from all seeds so
 * far, c + 1 distances at the c-th seed. A minimum is exact, so both give
 * the same seeds.
 *
 * Drawing a row "in proportion to w_i * closest_i" (numpy.searchsorted on
 * the cumulative sum, in scikit-learn) walks the processes' totals, then
 * the blocks' sums of the last pass, then the rows of one block: one block
 * is read per draw, not all rows.
 */
#include "em/seeding.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rows/runner.h"
#include "util/blocks.h"
#include "util/error.h"

typedef struct plusplus {
    const gmm_rows *rows;
    gmm_blocks blocks;
    int n_threads;
    gmm_labels *nearest;  /* per row: the nearest seed, or not kept      */
    double *seeds;        /* K x D: the rows chosen so far               */
    size_t n_seeds;
    double *kept_sums;    /* per block: sum of w * closest               */
    double *kept_totals;  /* per process: sum of its kept_sums           */
    double *trial_sums;   /* the same for a candidate's potential        */
    double *trial_totals;
    gmm_pass_buffers buffers;  /* the passes' thread buffers, kept       */
} plusplus;

static double row_weight(const gmm_rows *rows, size_t i)
{
    return rows->weights ? rows->weights[i] : 1.0;
}

static double dist_sq(const double *a, const double *b, size_t d)
{
    double sum = 0.0;
    for (size_t j = 0; j < d; j++) {
        double y = a[j] - b[j];
        sum += y * y;
    }
    return sum;
}

/* Squared distance from local row i (values x) to the nearest seed: to
 * the seed its label names, or the least over all seeds. */
static double row_closest(const plusplus *pp, const double *x, size_t i)
{
    double closest = INFINITY;
    size_t d = pp->rows->n_features, first = 0, end = pp->n_seeds;
    if (pp->nearest->words && end > 0) {
        first = gmm_labels_get(pp->nearest, i);
        end = first + 1;
    }
    for (size_t c = first; c < end; c++) {
        double dist = dist_sq(x, pp->seeds + c * d, d);
        closest = dist < closest ? dist : closest;
    }
    return closest;
}

/* Sum per-process totals in rank order, the same on every process. */
static gmm_status process_totals(const plusplus *pp, const double *block_sums,
                                 double *totals, double *sum, gmm_status local,
                                 gmm_error *err)
{
    double mine = 0.0;
    for (size_t b = 0; b < pp->blocks.n_blocks; b++)
        mine += block_sums[b];
    gmm_status status = gmm_rows_gather(pp->rows, &mine, 1, totals, local, err);
    size_t size = pp->rows->reducer ? (size_t)pp->rows->reducer->size : 1;
    *sum = 0.0;
    for (size_t r = 0; r < size; r++)
        *sum += totals[r];
    return status;
}

/* potential's pass: each block's sum of w_i min(closest_i, |x_i - c|^2). */
typedef struct potential_run {
    plusplus *pp;
    const double *center;
    int update;
    double *sums;  /* per block */
} potential_run;

static void potential_begin(void *context, size_t b)
{
    potential_run *run = context;
    run->sums[b] = 0.0;
}

static void potential_chunk(void *context, size_t b, const double *X,
                            size_t first, size_t n_rows, double *scratch)
{
    (void)scratch;
    const potential_run *run = context;
    plusplus *pp = run->pp;
    const gmm_rows *rows = pp->rows;
    size_t d = rows->n_features;
    double sum = run->sums[b];
    for (size_t r = 0; r < n_rows; r++) {
        const double *x = X + r * d;
        size_t i = first + r;
        double closest = row_closest(pp, x, i);
        double dist = dist_sq(x, run->center, d);
        double best = dist < closest ? dist : closest;
        if (run->update && pp->nearest->words &&
            (dist < closest || pp->n_seeds == 0))
            gmm_labels_set(pp->nearest, i, pp->n_seeds);
        sum += row_weight(rows, i) * best;
    }
    run->sums[b] = sum;
}

/* Potential of adding `center`: sum_i w_i min(closest_i, |x_i - center|^2)
 * into *pot; with update, the kept sums are refreshed, center becomes a
 * seed, and the rows nearer to it than to the seeds before are labelled
 * with it (every row, for the first seed: even one whose distance
 * overflows to infinity, which is then its closest). */
static gmm_status potential(plusplus *pp, const double *center, int update,
                            double *pot, gmm_error *err)
{
    const gmm_rows *rows = pp->rows;
    size_t d = rows->n_features;
    /* A row's closest distance: one distance with its label, all the seeds'
     * without. */
    double closest_cost = pp->nearest->words ? 1.0 : (double)pp->n_seeds;
    potential_run run = {pp, center, update,
                         update ? pp->kept_sums : pp->trial_sums};
    gmm_pass pass = {.rows = rows, .blocks = pp->blocks,
                     .n_threads = pp->n_threads,
                     .row_cost = (1.0 + closest_cost) * (double)d,
                     .context = &run,
                     .begin = potential_begin,
                     .chunk = potential_chunk};
    gmm_status status = gmm_run_pass(&pass, &pp->buffers, err);
    if (update && status == GMM_OK)
        memcpy(pp->seeds + pp->n_seeds++ * d, center, d * sizeof *center);
    return process_totals(pp, run.sums,
                          update ? pp->kept_totals : pp->trial_totals, pot,
                          status, err);
}

/* The local row of block b, from first, where the cumulative value
 * w_i * closest_i (or w_i before any seed) reaches target. */
static gmm_status scan_block(const plusplus *pp, size_t b, double cumulative,
                             double target, size_t *found, gmm_error *err)
{
    const gmm_rows *rows = pp->rows;
    size_t d = rows->n_features, begin, end, count;
    gmm_blocks_range(&pp->blocks, b, &begin, &end);
    double *window = malloc((gmm_rows_window_size(rows) + 1) * sizeof *window);
    if (!window)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for k-means++");
    gmm_status status = GMM_OK;
    *found = end - 1;
    for (size_t at = begin; at < end; at += count) {
        const double *X = gmm_rows_window(rows, at, end, window, &count, err);
        if (!X) {
            status = GMM_ERR_IO;
            break;
        }
        size_t i = 0;
        for (; i < count; i++) {
            double closest = pp->n_seeds ? row_closest(pp, X + i * d, at + i) : 1.0;
            cumulative += row_weight(rows, at + i) * closest;
            if (cumulative >= target)
                break;
        }
        if (i < count) {
            *found = at + i;
            break;
        }
    }
    free(window);
    return status;
}

/* The global index of the row drawn at target in [0, total of kept). As
 * numpy.searchsorted on the cumulative sum; clipped to the last row. */
static gmm_status draw_row(const plusplus *pp, double target, size_t *index,
                           gmm_error *err)
{
    const gmm_rows *rows = pp->rows;
    size_t size = rows->reducer ? (size_t)rows->reducer->size : 1;
    size_t rank = rows->reducer ? (size_t)rows->reducer->rank : 0;
    double prefix = 0.0;
    size_t owner = 0;
    for (; owner + 1 < size && prefix + pp->kept_totals[owner] < target; owner++)
        prefix += pp->kept_totals[owner];
    gmm_status status = GMM_OK;
    double drawn = 0.0;
    if (owner == rank) {
        size_t b = 0;
        for (; b + 1 < pp->blocks.n_blocks && prefix + pp->kept_sums[b] < target; b++)
            prefix += pp->kept_sums[b];
        size_t found;
        status = scan_block(pp, b, prefix, target, &found, err);
        drawn = (double)(rows->first_row + found);
    }
    status = gmm_rows_sum(rows, &drawn, 1, status, err);
    *index = (size_t)drawn;
    return status;
}

static void plusplus_free(plusplus *pp)
{
    free(pp->seeds);
    free(pp->kept_sums);
    free(pp->kept_totals);
    free(pp->trial_sums);
    free(pp->trial_totals);
    gmm_pass_buffers_free(&pp->buffers);
}

static gmm_status plusplus_alloc(plusplus *pp, const gmm_rows *rows,
                                 size_t n_clusters, gmm_labels *nearest,
                                 int n_threads, gmm_error *err)
{
    size_t size = rows->reducer ? (size_t)rows->reducer->size : 1;
    *pp = (plusplus){.rows = rows, .n_threads = n_threads, .nearest = nearest,
                     .blocks = gmm_blocks_plan(rows->n_rows, GMM_MAX_BLOCKS)};
    size_t n_blocks = pp->blocks.n_blocks;
    pp->seeds = malloc(n_clusters * rows->n_features * sizeof *pp->seeds);
    pp->kept_sums = malloc(n_blocks * sizeof *pp->kept_sums);
    pp->trial_sums = malloc(n_blocks * sizeof *pp->trial_sums);
    pp->kept_totals = malloc(size * sizeof *pp->kept_totals);
    pp->trial_totals = malloc(size * sizeof *pp->trial_totals);
    if (!pp->seeds || !pp->kept_sums || !pp->trial_sums || !pp->kept_totals ||
        !pp->trial_totals) {
        plusplus_free(pp);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for k-means++ (%zu "
                        "clusters)", n_clusters);
    }
    /* Before the first seed every row weighs its weight alone. */
    for (size_t b = 0; b < n_blocks; b++) {
        size_t begin, end;
        gmm_blocks_range(&pp->blocks, b, &begin, &end);
        pp->kept_sums[b] = 0.0;
        for (size_t i = begin; i < end; i++)
            pp->kept_sums[b] += row_weight(rows, i);
    }
    double ignored;
    return process_totals(pp, pp->kept_sums, pp->kept_totals, &ignored, GMM_OK,
                          err);
}

/* Draw a row at u * total and fetch its values into center. */
static gmm_status draw_center(const plusplus *pp, double target, size_t *index,
                              double *center, gmm_error *err)
{
    gmm_status status = draw_row(pp, target, index, err);
    return status == GMM_OK ? gmm_rows_fetch(pp->rows, index, 1, center, NULL, err)
                            : status;
}

gmm_status gmm_seed_kmeans_plusplus(const gmm_rows *rows, size_t n_clusters,
                                    gmm_rng *rng, gmm_labels *nearest,
                                    int n_threads, const gmm_stop *stop,
                                    size_t *indices, gmm_error *err)
{
    size_t d = rows->n_features;
    size_t n_trials = 2 + (size_t)log((double)n_clusters);
    plusplus pp;
    gmm_status status = plusplus_alloc(&pp, rows, n_clusters, nearest,
                                       n_threads, err);
    if (status != GMM_OK)
        return status;
    double *candidate = malloc(2 * d * sizeof *candidate);
    if (!candidate) {
        plusplus_free(&pp);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for k-means++");
    }
    double *best_row = candidate + d;
    /* The first seed: a row drawn in proportion to its weight. Each seed
     * costs 1 + n_trials passes over the rows (seconds, on millions of
     * rows), so the caller is asked before each whether to stop. */
    double pot;
    status = gmm_stop_poll(stop, "k-means++ seeding", err);
    if (status == GMM_OK)
        status = draw_center(&pp, gmm_rng_uniform(rng) * rows->weight_sum,
                             &indices[0], best_row, err);
    if (status == GMM_OK)
        status = potential(&pp, best_row, 1, &pot, err);

    for (size_t c = 1; status == GMM_OK && c < n_clusters; c++) {
        status = gmm_stop_poll(stop, "k-means++ seeding", err);
        if (status != GMM_OK)
            break;
        double best_pot = INFINITY;
        for (size_t t = 0; status == GMM_OK && t < n_trials; t++) {
            size_t drawn;
            double trial;
            status = draw_center(&pp, gmm_rng_uniform(rng) * pot, &drawn,
                                 candidate, err);
            if (status == GMM_OK)
                status = potential(&pp, candidate, 0, &trial, err);
            /* The first trial is always kept (scikit-learn's argmin): with
             * potentials that overflow to inf, none is smaller, and the
             * seed must still be set. */
            if (status == GMM_OK && (t == 0 || trial < best_pot)) {
                best_pot = trial;
                indices[c] = drawn;
                memcpy(best_row, candidate, d * sizeof *candidate);
            }
        }
        if (status == GMM_OK)
            status = potential(&pp, best_row, 1, &pot, err);
    }
    free(candidate);
    plusplus_free(&pp);
    return status;
}

gmm_status gmm_seed_random(const gmm_rows *rows, size_t n_clusters,
                           gmm_rng *rng, size_t *indices, gmm_error *err)
{
    (void)err;
    /* Floyd: for j = n-K .. n-1 pick t in [0, j]; take t unless already
     * taken, else j. Each K-subset is equally likely. Indices are global:
     * every process draws the same ones. */
    size_t n = rows->total_rows, count = 0;
    for (size_t j = n - n_clusters; j < n; j++) {
        size_t t = gmm_rng_below(rng, j + 1), pick = t;
        for (size_t i = 0; i < count; i++)
            if (indices[i] == t) {
                pick = j;
                break;
            }
        indices[count++] = pick;
    }
    return GMM_OK;
}
