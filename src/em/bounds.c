/*
 * bounds.c — Hamerly's bounds, conservative under rounding (bounds.h).
 *
 * Let t be a true distance and s the square root of its rounded square as
 * the exact kernel computes it, sum_j fl(x_j - c_j)^2 in feature order:
 * d squares of once-rounded differences, d - 1 additions, so the rounded
 * square is within a relative (d + 2) u of t^2 (u = DBL_EPSILON / 2), and
 * s (after one more rounding) within (d / 2 + 2) u of t, plus an absolute
 * sqrt(d) 2^-537 from squares that underflow. MARGIN(d) = 2 (d + 8) u is
 * four times that relative error, TINY far above the absolute one for any
 * d below 1e22, and every bound kept here is widened by both: shifts
 * (upper bounds on a centre's true move) up, distances to other centres
 * and half distances between centres (lower bounds) down. A lower bound
 * moved by a shift is moreover deflated by twice the rounding of that
 * subtraction (at most u (|lower| + shift) each for the difference and
 * for the deflation), so bounds never creep up over many passes; a float
 * is rounded down when stored. Squares past DBL_MAX are capped there
 * first, so an overflowed distance never becomes an infinite lower bound.
 *
 * A row with label a keeps it when U = s_a (1 + MARGIN) + TINY, at least
 * its true distance t_a, is below L (1 - MARGIN) - TINY, L the larger of
 * its moved lower bound and half of a's distance to its nearest other
 * centre: then every other centre c has t_c >= L (for the half distance,
 * t_c >= 2 half - t_a > half since t_a <= U < half), so s_c >=
 * t_c (1 - MARGIN / 2) - TINY > U >= s_a, and the kernel's rounded square
 * to c is strictly above the one to a: c cannot win, even as the lower
 * index of a tie. The strict test also sends every NaN (an overflowed
 * shift) to the kernel.
 */
#include "em/bounds.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "em/resp.h"
#include "kernels/nearest.h"
#include "util/blocks.h"

#define TINY 1e-150

static double margin(size_t d) { return (double)(d + 8) * DBL_EPSILON; }

/* Distances from rounded squares: rounded down, or up. */
static double below(double sq, double m)
{
    return sqrt(fmin(sq, DBL_MAX)) * (1.0 - m) - TINY;
}

static double above(double sq, double m) { return sqrt(sq) * (1.0 + m) + TINY; }

static float float_below(double v)
{
    if (isnan(v))
        return -INFINITY;
    float f = (float)v;
    return (double)f > v ? nextafterf(f, -INFINITY) : f;
}

void gmm_bounds_alloc(gmm_bounds *bounds, size_t n_rows, size_t k, size_t d)
{
    bounds->lower = malloc((n_rows ? n_rows : 1) * sizeof *bounds->lower);
    bounds->shift = malloc(2 * k * sizeof *bounds->shift);
    bounds->half = bounds->shift ? bounds->shift + k : NULL;
    bounds->top[0] = bounds->top[1] = 0.0;
    bounds->top_index = 0;
    bounds->n_centers = k;
    bounds->n_features = d;
    bounds->scratch = malloc((gmm_nearest_scratch_size(d) + 2 * GMM_CHUNK_ROWS) *
                             sizeof *bounds->scratch);
    if (!bounds->lower || !bounds->shift || !bounds->scratch)
        gmm_bounds_free(bounds);
}

void gmm_bounds_free(gmm_bounds *bounds)
{
    free(bounds->lower);
    free(bounds->shift);
    free(bounds->scratch);
    bounds->lower = NULL;
    bounds->scratch = NULL;
    bounds->shift = bounds->half = NULL;
}

void gmm_bounds_move(gmm_bounds *bounds, const double *previous,
                     const double *centers)
{
    size_t k = bounds->n_centers, d = bounds->n_features;
    double *scratch = bounds->scratch;
    double m = margin(d);
    bounds->top[0] = bounds->top[1] = 0.0;
    bounds->top_index = 0;
    for (size_t c = 0; c < k; c++) {
        double sq;
        gmm_nearest_center(centers + c * d, previous + c * d, 1, d, &sq);
        double shift = above(sq, m);
        bounds->shift[c] = shift;
        /* NaN (an overflowed move) must reach the lower bounds too. */
        if (shift > bounds->top[0] || isnan(shift)) {
            bounds->top[1] = bounds->top[0];
            bounds->top[0] = shift;
            bounds->top_index = c;
        } else if (shift > bounds->top[1]) {
            bounds->top[1] = shift;
        }
    }
    /* The centres against themselves: a centre's runner-up is its nearest
     * other centre (zero when duplicated, which disables the test). */
    double *kernel = scratch, *second = scratch + gmm_nearest_scratch_size(d);
    size_t *label = (size_t *)(second + GMM_CHUNK_ROWS);
    for (size_t c0 = 0; c0 < k; c0 += GMM_CHUNK_ROWS) {
        size_t n = k - c0 < GMM_CHUNK_ROWS ? k - c0 : GMM_CHUNK_ROWS;
        gmm_nearest_chunk(centers + c0 * d, n, d, centers, k, NULL, kernel, label,
                          NULL, second);
        for (size_t c = 0; c < n; c++)
            bounds->half[c0 + c] = 0.5 * below(second[c], m);
    }
}

int gmm_bounds_keeps(gmm_bounds *bounds, size_t row, size_t label,
                     double own_sq)
{
    if (bounds->n_centers == 1)
        return 1;
    double m = margin(bounds->n_features);
    double other = label == bounds->top_index ? bounds->top[1] : bounds->top[0];
    double lower = bounds->lower[row];
    double moved = lower - other;
    moved -= 2.0 * DBL_EPSILON * (fabs(lower) + other);
    bounds->lower[row] = float_below(moved);
    double bound = fmax(moved, bounds->half[label]);
    return above(own_sq, m) < bound * (1.0 - m) - TINY;
}

void gmm_bounds_reset(gmm_bounds *bounds, size_t row, double second_sq)
{
    bounds->lower[row] = float_below(below(second_sq, margin(bounds->n_features)));
}
