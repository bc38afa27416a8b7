/*
 * seeding.c — k-means++ and random seeding (seeding.h).
 *
 * k-means++ weighs 2 + ln K candidates per centre. They are drawn first
 * (the draws depend only on the seeds so far), then measured together in
 * one pass: each chunk's distances to all candidates at once, through the
 * blocked kernel (kernels/nearest.h, the bits of a one-row loop), each
 * candidate's potential summed in row order as if measured alone. The
 * chosen one's sums are then the kept sums, so no pass is needed to add
 * it: its distances are folded into the rows' closest distances by the
 * next seed's pass, which measures it beside the next candidates (and by
 * a draw, for the rows of the block it reads). One pass per seed, where
 * one pass per candidate and one per seed read the rows 2 + (2 + ln K)
 * times. Every sum over rows goes through fixed blocks so the choice of
 * seeds does not depend on the thread count.
 *
 * The closest squared distance of each row to the seeds so far is kept
 * per row (8 bytes) where that fits the memory budget (em/labels.h); else
 * it is the distance to the row's nearest seed, whose index the caller's
 * labels keep when they fit (4 bits a row for K = 16), one distance more
 * per row and pass; else (streamed rows, or too many clusters for too few
 * features) it is recomputed from all seeds so far, c distances at the
 * c-th seed. A minimum is exact, so all three give the same seeds.
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

#include "kernels/nearest.h"
#include "rows/runner.h"
#include "util/blocks.h"
#include "util/error.h"

typedef struct plusplus {
    const gmm_rows *rows;
    gmm_blocks blocks;
    int n_threads;
    gmm_labels *nearest;  /* per row: the nearest seed, or not kept      */
    double *closest;      /* per row: the closest distance, or not kept  */
    double *seeds;        /* K x D: the rows chosen so far, then room for
                             the candidates of the next                  */
    size_t n_seeds;
    size_t n_known;       /* seeds folded into closest or nearest: all
                             but the last one (pending) or all           */
    size_t n_trials;      /* candidates per seed                         */
    size_t n_measured;    /* candidates of the pass under way            */
    double *kept_sums;    /* per block: sum of w * closest               */
    double *kept_totals;  /* per process: sum of its kept_sums           */
    double *trial_sums;   /* the same per block and candidate            */
    double *trial_totals; /* per process and candidate                   */
    double *mine;         /* per candidate: this process's total         */
    gmm_pass_buffers buffers;  /* the passes' thread buffers, kept       */
} plusplus;

static double row_weight(const gmm_rows *rows, size_t i)
{
    return rows->weights ? rows->weights[i] : 1.0;
}

/* The one-row loop of kernels/nearest.h's bits. */
static double dist_sq(const double *a, const double *b, size_t d)
{
    double sum = 0.0;
    for (size_t j = 0; j < d; j++) {
        double y = a[j] - b[j];
        sum += y * y;
    }
    return sum;
}

/* Squared distance from local row i (values x) to the nearest of the
 * seeds folded in so far (inf before the first): kept, or to the seed its
 * label names, or the least over those seeds. */
static double known_closest(const plusplus *pp, const double *x, size_t i)
{
    if (pp->n_known == 0)
        return INFINITY;
    if (pp->closest)
        return pp->closest[i];
    double closest = INFINITY;
    size_t d = pp->rows->n_features, first = 0, end = pp->n_known;
    if (pp->nearest->words) {
        first = gmm_labels_get(pp->nearest, i);
        end = first + 1;
    }
    for (size_t c = first; c < end; c++) {
        double dist = dist_sq(x, pp->seeds + c * d, d);
        closest = dist < closest ? dist : closest;
    }
    return closest;
}

/* The m sums of block_sums (per block, m each) over the blocks, then over
 * the processes (totals: per process, m each) in rank order, into sum:
 * the same on every process. */
static gmm_status process_totals(const plusplus *pp, const double *block_sums,
                                 size_t m, double *totals, double *sum,
                                 gmm_status local, gmm_error *err)
{
    for (size_t t = 0; t < m; t++) {
        pp->mine[t] = 0.0;
        for (size_t b = 0; b < pp->blocks.n_blocks; b++)
            pp->mine[t] += block_sums[b * m + t];
    }
    gmm_status status = gmm_rows_gather(pp->rows, pp->mine, m, totals, local,
                                        err);
    size_t size = pp->rows->reducer ? (size_t)pp->rows->reducer->size : 1;
    for (size_t t = 0; t < m; t++) {
        sum[t] = 0.0;
        for (size_t r = 0; r < size; r++)
            sum[t] += totals[r * m + t];
    }
    return status;
}

/* Whether the last seed is still to be folded in. */
static size_t pending(const plusplus *pp)
{
    return pp->n_known < pp->n_seeds;
}

/* measure's pass: each block's sums of w_i min(closest_i, |x_i - c|^2),
 * one per candidate c, the pending seed folded in first. */
static void measure_begin(void *context, size_t b)
{
    plusplus *pp = context;
    for (size_t t = 0; t < pp->n_measured; t++)
        pp->trial_sums[b * pp->n_measured + t] = 0.0;
}

static void measure_chunk(void *context, size_t b, const double *X,
                          size_t first, size_t n_rows, double *scratch)
{
    plusplus *pp = context;
    const gmm_rows *rows = pp->rows;
    size_t d = rows->n_features, m = pp->n_measured, lead = pending(pp);
    size_t n_centers = lead + m;
    double *dist = scratch + gmm_nearest_scratch_size(d);
    double *sums = pp->trial_sums + b * m;
    gmm_distances_chunk(X, n_rows, d, pp->seeds + (pp->n_seeds - lead) * d,
                        n_centers, scratch, dist);
    for (size_t r = 0; r < n_rows; r++) {
        size_t i = first + r;
        const double *to = dist + r * n_centers;
        double closest = known_closest(pp, X + r * d, i);
        /* Every row takes the first seed, even one whose distance
         * overflows to infinity, which is then its closest. */
        if (lead && (to[0] < closest || pp->n_known == 0)) {
            closest = to[0];
            if (pp->closest)
                pp->closest[i] = closest;
            else if (pp->nearest->words)
                gmm_labels_set(pp->nearest, i, pp->n_seeds - 1);
        }
        double w = row_weight(rows, i);
        for (size_t t = 0; t < m; t++) {
            double dt = to[lead + t];
            sums[t] += w * (dt < closest ? dt : closest);
        }
    }
}

/* Potentials of adding each of the m candidates (after the seeds, in
 * seeds) into pot: sum_i w_i min(closest_i, |x_i - candidate|^2) over all
 * processes' rows. Folds the pending seed in. */
static gmm_status measure(plusplus *pp, size_t m, double *pot, gmm_error *err)
{
    const gmm_rows *rows = pp->rows;
    size_t d = rows->n_features;
    /* A row's closest distance: kept, one distance with its label, all
     * the seeds' without. */
    double closest_cost = pp->closest         ? 0.0
                          : pp->nearest->words ? 1.0
                                               : (double)pp->n_known;
    pp->n_measured = m;
    gmm_pass pass = {.rows = rows, .blocks = pp->blocks,
                     .n_threads = pp->n_threads,
                     .row_cost = ((double)(m + pending(pp)) + closest_cost) *
                                 (double)d,
                     .scratch_size = gmm_nearest_scratch_size(d) +
                                     (pp->n_trials + 1) * GMM_CHUNK_ROWS,
                     .context = pp,
                     .begin = measure_begin,
                     .chunk = measure_chunk};
    gmm_status status = gmm_run_pass(&pass, &pp->buffers, err);
    if (status == GMM_OK)
        pp->n_known = pp->n_seeds;
    return process_totals(pp, pp->trial_sums, m, pp->trial_totals, pot, status,
                          err);
}

/* Candidate t of the m measured becomes the next seed: its sums are the
 * kept ones, exactly those a pass adding it would sum. */
static void choose(plusplus *pp, size_t t, size_t m)
{
    size_t d = pp->rows->n_features;
    size_t size = pp->rows->reducer ? (size_t)pp->rows->reducer->size : 1;
    double *slot = pp->seeds + pp->n_seeds * d;
    if (t)
        memcpy(slot, slot + t * d, d * sizeof *slot);
    for (size_t b = 0; b < pp->blocks.n_blocks; b++)
        pp->kept_sums[b] = pp->trial_sums[b * m + t];
    for (size_t r = 0; r < size; r++)
        pp->kept_totals[r] = pp->trial_totals[r * m + t];
    pp->n_seeds++;
}

/* The local row of block b, from first, where the cumulative value
 * w_i * closest_i (or w_i before any seed) reaches target. */
static gmm_status scan_block(const plusplus *pp, size_t b, double cumulative,
                             double target, size_t *found, gmm_error *err)
{
    const gmm_rows *rows = pp->rows;
    size_t d = rows->n_features, begin, end, count;
    const double *last = pp->seeds + (pp->n_seeds - pending(pp)) * d;
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
            double closest = 1.0;
            if (pp->n_seeds) {
                closest = known_closest(pp, X + i * d, at + i);
                if (pending(pp)) {
                    double dist = dist_sq(X + i * d, last, d);
                    closest = dist < closest ? dist : closest;
                }
            }
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
        size_t found = 0;
        status = scan_block(pp, b, prefix, target, &found, err);
        drawn = (double)(rows->first_row + found);
    }
    status = gmm_rows_sum(rows, &drawn, 1, status, err);
    *index = (size_t)drawn;
    return status;
}

static void plusplus_free(plusplus *pp)
{
    free(pp->closest);
    free(pp->seeds);
    free(pp->kept_sums);
    free(pp->kept_totals);
    free(pp->trial_sums);
    free(pp->trial_totals);
    free(pp->mine);
    gmm_pass_buffers_free(&pp->buffers);
}

static gmm_status plusplus_alloc(plusplus *pp, const gmm_rows *rows,
                                 size_t n_clusters, gmm_labels *nearest,
                                 int n_threads, gmm_error *err)
{
    size_t size = rows->reducer ? (size_t)rows->reducer->size : 1;
    *pp = (plusplus){.rows = rows, .n_threads = n_threads, .nearest = nearest,
                     .n_trials = 2 + (size_t)log((double)n_clusters),
                     .blocks = gmm_blocks_plan(rows->n_rows, GMM_MAX_BLOCKS)};
    size_t n_blocks = pp->blocks.n_blocks, m = pp->n_trials;
    /* Closest distances only save work: kept where they fit the budget
     * beside the labels and Lloyd's bounds (32 bits a row, em/bounds.h),
     * which coexist with them when k-means seeds itself. */
    if (gmm_labels_room(nearest, rows, 64 + 32))
        pp->closest = malloc((rows->n_rows ? rows->n_rows : 1) *
                             sizeof *pp->closest);
    pp->seeds = malloc((n_clusters + m) * rows->n_features * sizeof *pp->seeds);
    pp->kept_sums = malloc(n_blocks * sizeof *pp->kept_sums);
    pp->trial_sums = malloc(n_blocks * m * sizeof *pp->trial_sums);
    pp->kept_totals = malloc(size * sizeof *pp->kept_totals);
    pp->trial_totals = malloc(size * m * sizeof *pp->trial_totals);
    pp->mine = malloc(m * sizeof *pp->mine);
    if (!pp->seeds || !pp->kept_sums || !pp->trial_sums || !pp->kept_totals ||
        !pp->trial_totals || !pp->mine) {
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
    return process_totals(pp, pp->kept_sums, 1, pp->kept_totals, &ignored,
                          GMM_OK, err);
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
    plusplus pp;
    gmm_status status = plusplus_alloc(&pp, rows, n_clusters, nearest,
                                       n_threads, err);
    if (status != GMM_OK)
        return status;
    size_t m = pp.n_trials;
    double *trial = malloc(m * (sizeof(double) + sizeof(size_t)));
    if (!trial) {
        plusplus_free(&pp);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for k-means++");
    }
    size_t *drawn = (size_t *)(trial + m);
    /* The first seed: a row drawn in proportion to its weight, the only
     * candidate. Each seed costs a pass over the rows (seconds, on
     * millions of rows), so the caller is asked before each whether to
     * stop. */
    double pot = rows->weight_sum;
    for (size_t c = 0; status == GMM_OK && c < n_clusters; c++) {
        size_t n = c ? m : 1;
        double *candidates = pp.seeds + c * d;
        status = gmm_stop_poll(stop, "k-means++ seeding", err);
        for (size_t t = 0; status == GMM_OK && t < n; t++)
            status = draw_center(&pp, gmm_rng_uniform(rng) * pot, &drawn[t],
                                 candidates + t * d, err);
        if (status == GMM_OK)
            status = measure(&pp, n, trial, err);
        if (status != GMM_OK)
            break;
        /* The first candidate unless another is strictly better
         * (scikit-learn's argmin): with potentials that overflow to inf,
         * none is smaller, and the seed must still be set. */
        size_t best = 0;
        for (size_t t = 1; t < n; t++)
            if (trial[t] < trial[best])
                best = t;
        indices[c] = drawn[best];
        pot = trial[best];
        choose(&pp, best, n);
    }
    free(trial);
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
