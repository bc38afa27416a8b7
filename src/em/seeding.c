/*
 * seeding.c — k-means++ and random seeding (seeding.h).
 *
 * k-means++ costs (2 + ln K) candidate distance passes per centre, each
 * 3ND flops; every sum over rows goes through fixed blocks so the choice
 * of seeds does not depend on the thread count.
 */
#include "em/seeding.h"

#include <math.h>
#include <stdlib.h>

#include "util/blocks.h"
#include "util/error.h"

void gmm_gather_rows(const gmm_rows *rows, const size_t *indices, size_t count,
                     double *out)
{
    size_t d = rows->n_features;
    for (size_t k = 0; k < count; k++)
        for (size_t j = 0; j < d; j++)
            out[k * d + j] = rows->X[indices[k] * d + j];
}

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

/* Potential of adding `center`: sum_i w_i min(closest_i, |x_i - center|^2);
 * with update, closest is lowered in place. Summed in fixed blocks. */
static double potential(const gmm_rows *rows, double *closest,
                        const double *center, int update, int n_threads,
                        double *block_sums)
{
    gmm_blocks blocks = gmm_blocks_plan(rows->n_rows, GMM_MAX_BLOCKS);
    size_t d = rows->n_features;
#pragma omp parallel for schedule(dynamic, 1) num_threads(gmm_threads(n_threads))
    for (size_t b = 0; b < blocks.n_blocks; b++) {
        size_t begin, end;
        gmm_blocks_range(&blocks, b, &begin, &end);
        double sum = 0.0;
        for (size_t i = begin; i < end; i++) {
            double dist = dist_sq(rows->X + i * d, center, d);
            double best = dist < closest[i] ? dist : closest[i];
            if (update)
                closest[i] = best;
            sum += row_weight(rows, i) * best;
        }
        block_sums[b] = sum;
    }
    double total = 0.0;
    for (size_t b = 0; b < blocks.n_blocks; b++)
        total += block_sums[b];
    return total;
}

/* The first row whose cumulative weighted distance reaches target, as
 * numpy.searchsorted on the cumulative sum; clipped to the last row. */
static size_t draw_row(const gmm_rows *rows, const double *closest,
                       double target)
{
    double cumulative = 0.0;
    for (size_t i = 0; i < rows->n_rows; i++) {
        cumulative += row_weight(rows, i) * (closest ? closest[i] : 1.0);
        if (cumulative >= target)
            return i;
    }
    return rows->n_rows - 1;
}

gmm_status gmm_seed_kmeans_plusplus(const gmm_rows *rows, size_t n_clusters,
                                    gmm_rng *rng, int n_threads,
                                    size_t *indices, gmm_error *err)
{
    size_t n = rows->n_rows, d = rows->n_features;
    size_t n_trials = 2 + (size_t)log((double)n_clusters);
    double *closest = malloc(n * sizeof *closest);
    double *block_sums = malloc(GMM_MAX_BLOCKS * sizeof *block_sums);
    if (!closest || !block_sums) {
        free(closest), free(block_sums);
        return gmm_fail(err, GMM_ERR_NOMEM,
                        "out of memory for k-means++ distances (%zu rows)", n);
    }
    /* The first seed: a row drawn in proportion to its weight. */
    indices[0] = draw_row(rows, NULL, gmm_rng_uniform(rng) * rows->weight_sum);
    for (size_t i = 0; i < n; i++)
        closest[i] = INFINITY;
    double pot = potential(rows, closest, rows->X + indices[0] * d, 1,
                           n_threads, block_sums);

    for (size_t c = 1; c < n_clusters; c++) {
        size_t best = 0;
        double best_pot = INFINITY;
        for (size_t t = 0; t < n_trials; t++) {
            size_t candidate = draw_row(rows, closest, gmm_rng_uniform(rng) * pot);
            double trial = potential(rows, closest, rows->X + candidate * d, 0,
                                     n_threads, block_sums);
            if (trial < best_pot) {
                best_pot = trial;
                best = candidate;
            }
        }
        indices[c] = best;
        pot = potential(rows, closest, rows->X + best * d, 1, n_threads,
                        block_sums);
    }
    free(closest);
    free(block_sums);
    return GMM_OK;
}

gmm_status gmm_seed_random(const gmm_rows *rows, size_t n_clusters,
                           gmm_rng *rng, size_t *indices, gmm_error *err)
{
    (void)err;
    /* Floyd: for j = n-K .. n-1 pick t in [0, j]; take t unless already
     * taken, else j. Each K-subset is equally likely. */
    size_t n = rows->n_rows, count = 0;
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
