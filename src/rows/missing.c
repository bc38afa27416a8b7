/*
 * missing.c — the rows of a fit with missing entries, checked and
 * grouped by pattern (missing.h).
 */
#include "rows/missing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/blocks.h"
#include "util/error.h"

/* Row x (d values, row `row` counted from 0) checked as gmm_missing_scan
 * says; *incomplete: whether it has a NaN. */
static gmm_status check_row(const double *x, size_t d, size_t row,
                            int *incomplete, gmm_error *err)
{
    size_t n_nan = 0;
    for (size_t j = 0; j < d; j++) {
        if (isinf(x[j]))
            return gmm_fail(err, GMM_ERR_DATA,
                            "data row %zu, column %zu is %g; expected a "
                            "finite number or NaN (missing)", row, j, x[j]);
        n_nan += isnan(x[j]) != 0;
    }
    if (n_nan == d)
        return gmm_fail(err, GMM_ERR_DATA,
                        "data row %zu (counted from 0) has every feature "
                        "missing; drop it, nothing can be inferred from it",
                        row);
    *incomplete = n_nan > 0;
    return GMM_OK;
}

gmm_status gmm_missing_scan(const double *X, size_t n_rows, size_t n_features,
                            size_t *n_missing_rows, gmm_error *err)
{
    *n_missing_rows = 0;
    for (size_t i = 0; i < n_rows; i++) {
        int incomplete = 0;
        gmm_status status = check_row(X + i * n_features, n_features, i,
                                      &incomplete, err);
        if (status != GMM_OK)
            return status;
        *n_missing_rows += (size_t)incomplete;
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
    free(m->means);
    memset(m, 0, sizeof *m);
}

/* Each column's sum (sums[j]) and count (sums[d + j]) of observed
 * entries, rows X (n x d) added in order: a streamed scan adds its
 * windows in turn, in the in-memory sum's order. */
static void add_column_sums(const double *X, size_t n, size_t d, double *sums)
{
    double *count = sums + d;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            if (!isnan(X[i * d + j])) {
                sums[j] += X[i * d + j];
                count[j] += 1.0;
            }
}

/* The means from add_column_sums' sums, in place (every row has an
 * observed entry, but a column may have none: then 0). */
static void finish_means(double *sums, size_t d)
{
    for (size_t j = 0; j < d; j++)
        sums[j] = sums[d + j] > 0.0 ? sums[j] / sums[d + j] : 0.0;
}

static void column_means(const double *X, size_t n, size_t d, double *means)
{
    memset(means, 0, 2 * d * sizeof *means);
    add_column_sums(X, n, d, means);
    finish_means(means, d);
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

/* Each missing entry of the n rows at out replaced by its column's mean,
 * as the in-memory copy holds it. */
static void fill(const gmm_missing_rows *m, double *out, size_t n)
{
    size_t d = m->source.n_features;
    for (size_t v = 0; v < n * d; v++)
        if (isnan(out[v]))
            out[v] = m->means[v % d];
}

/* The arranged rows [first, first + n) of a view (rows/missing.h), read
 * from the source a run of consecutive source rows at a time and filled
 * as place_row fills the in-memory copy. */
static gmm_status read_arranged(void *context, size_t first, size_t n,
                                double *out, gmm_error *err)
{
    const gmm_missing_view *view = context;
    const gmm_missing_rows *m = view->m;
    const gmm_rows *src = &m->source;
    const size_t *index = m->order + view->offset + first;
    size_t d = src->n_features;
    for (size_t i = 0, end; i < n; i = end) {
        for (end = i + 1; end < n && index[end] == index[end - 1] + 1; end++)
            ;
        if (src->X)
            memcpy(out + i * d, src->X + index[i] * d,
                   (end - i) * d * sizeof *out);
        else {
            gmm_status status = src->reader.read(src->reader.context, index[i],
                                                 end - i, out + i * d, err);
            if (status != GMM_OK)
                return status;
        }
    }
    fill(m, out, n);
    return GMM_OK;
}

/* The source's rows [first, first + n), in its order, filled. */
static gmm_status read_filled(void *context, size_t first, size_t n,
                              double *out, gmm_error *err)
{
    const gmm_missing_rows *m = context;
    const gmm_rows *src = &m->source;
    size_t d = src->n_features;
    if (src->X)
        memcpy(out, src->X + first * d, n * d * sizeof *out);
    else {
        gmm_status status = src->reader.read(src->reader.context, first, n,
                                             out, err);
        if (status != GMM_OK)
            return status;
    }
    fill(m, out, n);
    return GMM_OK;
}

/* Rows read by read, with context, as the source's rows are, on the same
 * processes; weights and first_row are the caller's to set. */
static gmm_rows reader_rows(const gmm_missing_rows *m, gmm_row_read_fn read,
                            void *context, size_t n)
{
    const gmm_rows *src = &m->source;
    /* A source in memory is read in windows of the chunks' size. */
    size_t window = src->X ? GMM_CHUNK_ROWS : src->reader.window_rows;
    return (gmm_rows){.reader = {read, context, window},
                      .n_rows = n, .n_features = src->n_features,
                      .weight_sum = src->weight_sum,
                      .weight_scale = src->weight_scale,
                      .first_row = src->first_row,
                      .total_rows = src->total_rows, .reducer = src->reducer};
}

/* The arranged rows of a view from its offset on (n of them). */
static gmm_rows view_rows(gmm_missing_rows *m, int view, size_t n)
{
    size_t from = m->views[view].offset;
    gmm_rows rows = reader_rows(m, read_arranged, &m->views[view], n);
    rows.weights = m->weights ? m->weights + from : NULL;
    rows.first_row += from;
    return rows;
}

/* The initializers' rows: every row of the source, in its order, filled,
 * so that a start drawn from them does not depend on where the rows are
 * held or how they are arranged. */
static gmm_rows filled_rows(gmm_missing_rows *m)
{
    gmm_rows rows = reader_rows(m, read_filled, m, m->source.n_rows);
    rows.weights = m->source.weights;
    return rows;
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
    m->means = means;
    free(masks);
    free(keys);
    if (!m->masks) {
        gmm_missing_rows_free(m);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the missingness "
                        "patterns of %zu rows", n_inc);
    }
    double weight_sum = (double)n_rows;
    m->source = gmm_rows_of_memory(X, n_rows, d);
    m->source.weights = weights;
    m->all = filled_rows(m);
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

/* What a scan gathers of the incomplete rows: their patterns and sort
 * keys (the masks pointed at once the scan ends), grown as it goes. */
typedef struct scan_state {
    uint64_t *masks;
    sort_key *keys;
    size_t capacity;
} scan_state;

static gmm_status grow(scan_state *s, size_t words, gmm_error *err)
{
    size_t grown = s->capacity ? 2 * s->capacity : 64;
    uint64_t *masks = realloc(s->masks, grown * words * sizeof *masks);
    if (masks)
        s->masks = masks;
    sort_key *keys = masks ? realloc(s->keys, grown * sizeof *keys) : NULL;
    if (!keys)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the "
                        "missingness patterns of %zu rows", grown);
    s->keys = keys;
    s->capacity = grown;
    return GMM_OK;
}

/* One window of the source (count rows from local row at): checked, its
 * column sums added, its complete rows' indices appended to m->order and
 * its incomplete rows' to s. */
static gmm_status scan_window(gmm_missing_rows *m, scan_state *s,
                              const double *X, size_t at, size_t count,
                              double *sums, gmm_error *err)
{
    const gmm_rows *src = &m->source;
    size_t d = src->n_features, words = m->mask_words;
    add_column_sums(X, count, d, sums);
    for (size_t i = 0; i < count; i++) {
        int incomplete = 0;
        gmm_status status = check_row(X + i * d, d, src->first_row + at + i,
                                      &incomplete, err);
        if (status == GMM_OK && incomplete && m->n_incomplete == s->capacity)
            status = grow(s, words, err);
        if (status != GMM_OK)
            return status;
        if (!incomplete) {
            m->order[m->n_complete++] = at + i;
            continue;
        }
        gmm_missing_pattern(X + i * d, d, s->masks + m->n_incomplete * words);
        s->keys[m->n_incomplete++] = (sort_key){NULL, words, at + i};
    }
    return GMM_OK;
}

/* Every window of the source through scan_window, then the incomplete
 * rows sorted by pattern into m->order and m->masks. */
static gmm_status scan_source(gmm_missing_rows *m, double *sums,
                              gmm_error *err)
{
    const gmm_rows *src = &m->source;
    size_t n = src->n_rows, words = m->mask_words;
    scan_state s = {0};
    double *buffer = src->X ? NULL
                            : malloc(gmm_rows_window_size(src) * sizeof *buffer);
    gmm_status status = src->X || buffer
                            ? GMM_OK
                            : gmm_fail(err, GMM_ERR_NOMEM, "out of memory for "
                                       "a window of %zu rows",
                                       src->reader.window_rows);
    for (size_t at = 0, count; status == GMM_OK && at < n; at += count) {
        count = src->X ? n : (n - at < src->reader.window_rows
                                  ? n - at : src->reader.window_rows);
        const double *X = src->X ? src->X : buffer;
        if (!src->X)
            status = src->reader.read(src->reader.context, at, count, buffer, err);
        if (status == GMM_OK)
            status = scan_window(m, &s, X, at, count, sums, err);
    }
    free(buffer);
    size_t n_inc = m->n_incomplete;
    m->masks = status == GMM_OK ? malloc((n_inc ? n_inc : 1) * words *
                                         sizeof *m->masks)
                                : NULL;
    if (status == GMM_OK && !m->masks)
        status = gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the "
                          "missingness patterns of %zu rows", n_inc);
    if (status == GMM_OK) {
        for (size_t r = 0; r < n_inc; r++)
            s.keys[r].mask = s.masks + r * words;
        if (n_inc > 1) /* s.keys is NULL for complete data */
            qsort(s.keys, n_inc, sizeof *s.keys, compare_keys);
        for (size_t r = 0; r < n_inc; r++) {
            m->order[m->n_complete + r] = s.keys[r].row;
            memcpy(m->masks + r * words, s.keys[r].mask, words * sizeof *m->masks);
        }
    }
    free(s.masks);
    free(s.keys);
    return status;
}

gmm_status gmm_missing_rows_stream(gmm_missing_rows *m, gmm_rows *rows,
                                   const gmm_rows *source,
                                   size_t *n_missing_rows, gmm_error *err)
{
    size_t n = source->n_rows, d = source->n_features;
    memset(m, 0, sizeof *m);
    *n_missing_rows = 0;
    m->mask_words = gmm_missing_words(d);
    m->source = *source;
    /* The sums, the counts and the number of incomplete rows, summed over
     * the processes; what failed here fails them all there. */
    double *sums = calloc(2 * d + 1, sizeof *sums);
    m->order = malloc((n ? n : 1) * sizeof *m->order);
    if (source->weights)
        m->weights = malloc((n ? n : 1) * sizeof *m->weights);
    gmm_status status =
        sums && m->order && (!source->weights || m->weights)
            ? scan_source(m, sums, err)
            : gmm_fail(err, GMM_ERR_NOMEM, "out of memory arranging %zu rows "
                       "with missing entries", n);
    if (sums && status == GMM_OK)
        sums[2 * d] = (double)m->n_incomplete;
    status = gmm_rows_sum(source, sums, 2 * d + 1, status, err);
    if (status != GMM_OK) {
        free(sums);
        gmm_missing_rows_free(m);
        return status;
    }
    finish_means(sums, d);
    m->means = sums;
    *n_missing_rows = (size_t)sums[2 * d];
    for (size_t i = 0; m->weights && i < n; i++)
        m->weights[i] = source->weights[m->order[i]];
    m->views[0] = (gmm_missing_view){m, 0};
    m->views[1] = (gmm_missing_view){m, m->n_complete};
    m->all = filled_rows(m);
    /* The missing E-step sums nothing over processes itself: the fit
     * adds its processes' statistics (em/fit.c). */
    m->incomplete = view_rows(m, 1, m->n_incomplete);
    m->incomplete.reducer = NULL;
    *rows = view_rows(m, 0, m->n_complete);
    rows->missing = m;
    return GMM_OK;
}
