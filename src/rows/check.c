/*
 * check.c — caller data checked before any pass: finite values, usable
 * weights (check.h).
 */
#include "rows/check.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rows/runner.h"
#include "util/error.h"

gmm_status gmm_validate_sample_weights(const double *weights, size_t n,
                                       double *largest, gmm_error *err)
{
    *largest = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(weights[i]) || weights[i] < 0.0)
            return gmm_fail(err, GMM_ERR_DATA,
                            "sample weight %zu (counted from 0) is %.17g; "
                            "weights must be finite and non-negative", i,
                            weights[i]);
        if (weights[i] > *largest)
            *largest = weights[i];
    }
    if (!(*largest > 0.0))
        return gmm_fail(err, GMM_ERR_DATA,
                        "the sample weights are all zero; at least one must "
                        "be positive");
    return GMM_OK;
}

gmm_status gmm_rows_init(gmm_rows *rows, const double *X, size_t n_rows,
                         size_t n_features, const double *weights,
                         size_t min_rows, int n_threads,
                         double **owned_weights, gmm_error *err)
{
    *owned_weights = NULL;
    if (!X)
        return gmm_fail(err, GMM_ERR_INVALID, "no data given (X is NULL)");
    if (n_features < 1)
        return gmm_fail(err, GMM_ERR_DATA, "the data have no features (columns)");
    if (n_rows < min_rows)
        return gmm_fail(err, GMM_ERR_DATA,
                        "expected at least %zu rows of data, got %zu", min_rows,
                        n_rows);
    *rows = gmm_rows_of_memory(X, n_rows, n_features);
    gmm_status status = gmm_rows_check_finite(rows, n_threads, GMM_OK, err);
    if (status != GMM_OK)
        return status;
    return gmm_rows_weigh(rows, weights, owned_weights, err);
}

gmm_status gmm_rows_weigh(gmm_rows *rows, const double *weights,
                          double **owned_weights, gmm_error *err)
{
    size_t n_rows = rows->n_rows;
    *owned_weights = NULL;
    if (!weights)
        return GMM_OK;
    /* The weights are rescaled to sum to n_rows (every statistic is
     * invariant to a common factor). Summing weight / largest keeps the
     * sum finite for weights near DBL_MAX, which are valid input. */
    double largest;
    gmm_status status = gmm_validate_sample_weights(weights, n_rows, &largest, err);
    if (status != GMM_OK)
        return status;
    double sum = 0.0;
    for (size_t i = 0; i < n_rows; i++)
        sum += weights[i] / largest;
    double *scaled = malloc(n_rows * sizeof *scaled);
    if (!scaled)
        return gmm_fail(err, GMM_ERR_NOMEM,
                        "out of memory copying %zu sample weights", n_rows);
    /* sum is in [1, n_rows], so neither factor overflows. */
    double scale = (double)n_rows / sum;
    for (size_t i = 0; i < n_rows; i++)
        scaled[i] = weights[i] / largest * scale;
    rows->weights = scaled;
    rows->weight_scale = scale / largest;
    *owned_weights = scaled;
    return GMM_OK;
}

/* The finite check as a pass: each block's first non-finite value, its
 * global row, column and value in bad[3 b ..], or bad[3 b] = -1 where
 * the block has none. The first of the blocks' is the first of all. */
typedef struct finite_run {
    const gmm_rows *rows;
    double *bad;
} finite_run;

static void finite_begin(void *context, size_t b)
{
    finite_run *run = context;
    run->bad[3 * b] = -1.0;
}

/* Whether any of the n values is not finite: x - x is +0 for a finite x
 * and NaN otherwise, and an OR of those bits vectorises, where a loop that
 * stops at the first bad value cannot. */
static int any_non_finite(const double *x, size_t n)
{
    uint64_t found = 0;
    for (size_t i = 0; i < n; i++) {
        double zero = x[i] - x[i];
        uint64_t bits;
        memcpy(&bits, &zero, sizeof bits);
        found |= bits;
    }
    return found != 0;
}

static void finite_chunk(void *context, size_t b, const double *X,
                         size_t first, size_t n_rows, double *scratch)
{
    (void)scratch;
    finite_run *run = context;
    size_t d = run->rows->n_features, n = n_rows * d;
    double *bad = run->bad + 3 * b;
    if (bad[0] >= 0.0 || !any_non_finite(X, n))
        return;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(X[i])) {
            bad[0] = (double)(run->rows->first_row + first + i / d);
            bad[1] = (double)(i % d);
            bad[2] = X[i];
            return;
        }
}

/* The first non-finite value of the local rows into bad[0..2], or
 * bad[0] = -1 when all are finite. */
static gmm_status find_non_finite(const gmm_rows *rows, int n_threads,
                                  double bad[3], gmm_error *err)
{
    gmm_blocks blocks = gmm_blocks_plan(rows->n_rows, GMM_MAX_BLOCKS);
    finite_run run = {rows, malloc(3 * blocks.n_blocks * sizeof *run.bad)};
    if (!run.bad)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory checking the data");
    gmm_pass pass = {.rows = rows, .blocks = blocks, .n_threads = n_threads,
                     .row_cost = (double)rows->n_features, .context = &run,
                     .begin = finite_begin, .chunk = finite_chunk};
    gmm_status status = gmm_run_pass(&pass, NULL, err);
    bad[0] = -1.0;
    for (size_t b = 0; status == GMM_OK && b < blocks.n_blocks; b++)
        if (run.bad[3 * b] >= 0.0) {
            memcpy(bad, run.bad + 3 * b, 3 * sizeof *bad);
            break;
        }
    free(run.bad);
    return status;
}

gmm_status gmm_rows_check_finite(const gmm_rows *rows, int n_threads,
                                 gmm_status local, gmm_error *err)
{
    size_t size = rows->reducer ? (size_t)rows->reducer->size : 1;
    double *all = malloc(size * 3 * sizeof *all);
    gmm_status status = local != GMM_OK ? local
                        : all ? GMM_OK
                              : gmm_fail(err, GMM_ERR_NOMEM,
                                         "out of memory checking the data");
    double bad[3] = {-1.0, 0.0, 0.0};
    if (status == GMM_OK)
        status = find_non_finite(rows, n_threads, bad, err);
    status = gmm_rows_gather(rows, bad, 3, all, status, err);
    /* Every process reports the lowest rank's (so the first row's) fault. */
    for (size_t r = 0; status == GMM_OK && r < size; r++)
        if (all[r * 3] >= 0.0)
            status = gmm_fail(err, GMM_ERR_DATA,
                              "data row %.0f, column %.0f is %g; expected a "
                              "finite number", all[r * 3], all[r * 3 + 1],
                              all[r * 3 + 2]);
    free(all);
    return status;
}
