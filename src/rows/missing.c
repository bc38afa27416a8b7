/*
 * missing.c — the rows of a fit with missing entries, checked and
 * grouped by pattern (missing.h).
 */
#include "rows/missing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

gmm_status gmm_missing_scan(const double *X, size_t n_rows, size_t n_features,
                            size_t *n_missing_rows, gmm_error *err)
{
    *n_missing_rows = 0;
    for (size_t i = 0; i < n_rows; i++) {
        const double *x = X + i * n_features;
        size_t n_nan = 0;
        for (size_t j = 0; j < n_features; j++) {
            if (isinf(x[j]))
                return gmm_fail(err, GMM_ERR_DATA,
                                "data row %zu, column %zu is %g; expected a "
                                "finite number or NaN (missing)", i, j, x[j]);
            n_nan += isnan(x[j]) != 0;
        }
        if (n_nan == n_features)
            return gmm_fail(err, GMM_ERR_DATA,
                            "data row %zu (counted from 0) has every feature "
                            "missing; drop it, nothing can be inferred from it",
                            i);
        *n_missing_rows += n_nan > 0;
    }
    return GMM_OK;
}

void gmm_missing_pattern(const double *x, size_t d, uint64_t *mask)
{
    memset(mask, 0, gmm_missing_words(d) * sizeof *mask);
    for (size_t j = 0; j < d; j++)
        if (isnan(x[j]))
            mask[j / 64] |= (uint64_t)1 << (j % 64);
}

/* An incomplete row as the sort sees it: by pattern, then by index (so
 * the order, and every sum over it, is fixed by the data alone). */
typedef struct sort_key {
    const uint64_t *mask;
    size_t words;
    size_t row;
} sort_key;

static int compare_keys(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    for (size_t w = 0; w < x->words; w++)
        if (x->mask[w] != y->mask[w])
            return x->mask[w] < y->mask[w] ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

void gmm_missing_rows_free(gmm_missing_rows *m)
{
    free(m->filled);
    free(m->weights);
    free(m->order);
    free(m->masks);
    memset(m, 0, sizeof *m);
}

/* Each column's mean over its observed entries (every column has one:
 * the caller checked that no row is all missing, but a column may be:
 * then 0). */
static void column_means(const double *X, size_t n, size_t d, double *means)
{
    double *count = means + d;
    memset(means, 0, 2 * d * sizeof *means);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            if (!isnan(X[i * d + j])) {
                means[j] += X[i * d + j];
                count[j] += 1.0;
            }
    for (size_t j = 0; j < d; j++)
        means[j] = count[j] > 0.0 ? means[j] / count[j] : 0.0;
}

/* Row `from` of X as row `to` of m, missing entries filled. */
static void place_row(gmm_missing_rows *m, const double *X, const double *weights,
                      size_t d, const double *means, size_t from, size_t to)
{
    const double *x = X + from * d;
    double *y = m->filled + to * d;
    for (size_t j = 0; j < d; j++)
        y[j] = isnan(x[j]) ? means[j] : x[j];
    m->order[to] = from;
    if (weights)
        m->weights[to] = weights[from];
}

gmm_status gmm_missing_rows_init(gmm_missing_rows *m, gmm_rows *rows,
                                 const double *X, size_t n_rows,
                                 size_t n_features, const double *weights,
                                 gmm_error *err)
{
    size_t d = n_features, words = gmm_missing_words(d);
    memset(m, 0, sizeof *m);
    m->mask_words = words;
    double *means = malloc(2 * d * sizeof *means);
    uint64_t *masks = malloc(n_rows * words * sizeof *masks);
    sort_key *keys = malloc(n_rows * sizeof *keys);
    m->filled = malloc(n_rows * d * sizeof *m->filled);
    m->order = malloc(n_rows * sizeof *m->order);
    if (weights)
        m->weights = malloc(n_rows * sizeof *m->weights);
    if (!means || !masks || !keys || !m->filled || !m->order ||
        (weights && !m->weights)) {
        free(means);
        free(masks);
        free(keys);
        gmm_missing_rows_free(m);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory arranging %zu rows "
                        "with missing entries", n_rows);
    }
    column_means(X, n_rows, d, means);
    size_t n_inc = 0;
    for (size_t i = 0; i < n_rows; i++) {
        uint64_t *mask = masks + n_inc * words;
        gmm_missing_pattern(X + i * d, d, mask);
        int any = 0;
        for (size_t w = 0; w < words; w++)
            any |= mask[w] != 0;
        if (any)
            keys[n_inc++] = (sort_key){mask, words, i};
        else
            place_row(m, X, weights, d, means, i, m->n_complete++);
    }
    qsort(keys, n_inc, sizeof *keys, compare_keys);
    m->n_incomplete = n_inc;
    m->masks = malloc((n_inc ? n_inc : 1) * words * sizeof *m->masks);
    if (m->masks)
        for (size_t r = 0; r < n_inc; r++) {
            place_row(m, X, weights, d, means, keys[r].row, m->n_complete + r);
            memcpy(m->masks + r * words, keys[r].mask, words * sizeof *masks);
        }
    free(means);
    free(masks);
    free(keys);
    if (!m->masks) {
        gmm_missing_rows_free(m);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the missingness "
                        "patterns of %zu rows", n_inc);
    }
    double weight_sum = (double)n_rows;
    m->all = gmm_rows_of_memory(m->filled, n_rows, d);
    m->all.weights = m->weights;
    m->incomplete = gmm_rows_of_memory(m->filled + m->n_complete * d, n_inc, d);
    m->incomplete.weights = m->weights ? m->weights + m->n_complete : NULL;
    m->incomplete.weight_sum = weight_sum;
    *rows = gmm_rows_of_memory(m->filled, m->n_complete, d);
    rows->weights = m->weights;
    rows->weight_sum = weight_sum;
    rows->total_rows = n_rows;
    rows->missing = m;
    return GMM_OK;
}
