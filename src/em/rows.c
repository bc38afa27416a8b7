/*
 * rows.c — checking caller data, reading windows of rows, and combining
 * results across processes (rows.h).
 */
#include "em/rows.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "util/error.h"

gmm_status gmm_rows_init(gmm_rows *rows, const double *X, size_t n_rows,
                         size_t n_features, const double *weights,
                         size_t min_rows, double **owned_weights,
                         gmm_error *err)
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
    *rows = (gmm_rows){.X = X, .n_rows = n_rows, .n_features = n_features,
                       .weight_sum = (double)n_rows, .weight_scale = 1.0,
                       .total_rows = n_rows};
    gmm_status status = gmm_rows_check_finite(rows, GMM_OK, err);
    if (status != GMM_OK || !weights)
        return status;

    /* The weights are rescaled to sum to n_rows (every statistic is
     * invariant to a common factor). Summing weight / largest keeps the
     * sum finite for weights near DBL_MAX, which are valid input. */
    double largest;
    status = gmm_validate_sample_weights(weights, n_rows, &largest, err);
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

size_t gmm_rows_window_size(const gmm_rows *rows)
{
    return rows->X ? 0 : rows->reader.window_rows * rows->n_features;
}

const double *gmm_rows_window(const gmm_rows *rows, size_t at, size_t end,
                              double *buffer, size_t *count, gmm_error *err)
{
    if (rows->X) {
        *count = end - at;
        return rows->X + at * rows->n_features;
    }
    size_t window = rows->reader.window_rows;
    *count = end - at < window ? end - at : window;
    if (rows->reader.read(rows->reader.context, at, *count, buffer, err) != GMM_OK)
        return NULL;
    return buffer;
}

void gmm_rows_note_failure(gmm_status *status, gmm_error *shared,
                           const gmm_error *local)
{
    /* Unnamed: a named critical section is a global symbol, which the
     * shared library would export. Failures are rare; sharing the one
     * lock of unnamed sections costs nothing. */
#pragma omp critical
    {
        if (*status == GMM_OK) {
            *status = local->status;
            if (shared)
                *shared = *local;
        }
    }
}

/* From now on this process communicates no more, and fails so. */
static void stop(gmm_reducer *reducer, gmm_status status, const gmm_error *err)
{
    reducer->stopped.status = status;
    snprintf(reducer->stopped.message, sizeof reducer->stopped.message, "%s",
             err ? err->message : gmm_strerror(status));
}

gmm_status gmm_reducer_agree(gmm_reducer *reducer, gmm_status local,
                             gmm_error *err)
{
    if (!reducer || reducer->size == 1)
        return local;
    if (reducer->stopped.status != GMM_OK) {
        if (local != GMM_OK)
            return local;
        if (err)
            *err = reducer->stopped;
        return reducer->stopped.status;
    }
    gmm_status status = reducer->agree(reducer->context, local, err);
    if (status != GMM_OK)
        stop(reducer, status, err);
    return status;
}

gmm_status gmm_reducer_sum(gmm_reducer *reducer, double *values, size_t count,
                           gmm_status local, gmm_error *err)
{
    gmm_status status = gmm_reducer_agree(reducer, local, err);
    if (status != GMM_OK || !reducer || reducer->size == 1)
        return status;
    status = reducer->sum(reducer->context, values, count, err);
    /* A failed sum may have left the processes at different points: no
     * exchange can be trusted after it. */
    if (status != GMM_OK)
        stop(reducer, status, err);
    return status;
}

gmm_status gmm_rows_sum(const gmm_rows *rows, double *values, size_t count,
                        gmm_status local, gmm_error *err)
{
    return gmm_reducer_sum(rows->reducer, values, count, local, err);
}

gmm_status gmm_rows_gather(const gmm_rows *rows, const double *mine,
                           size_t count, double *all, gmm_status local,
                           gmm_error *err)
{
    /* Each process fills its own slot and zeros elsewhere; the sum then
     * holds every slot exactly (x + 0 = x). One collective, no new verb. */
    size_t size = rows->reducer ? (size_t)rows->reducer->size : 1;
    size_t rank = rows->reducer ? (size_t)rows->reducer->rank : 0;
    if (all)
        memset(all, 0, size * count * sizeof *all);
    if (all && local == GMM_OK)
        memcpy(all + rank * count, mine, count * sizeof *all);
    return gmm_rows_sum(rows, all, count * size, local, err);
}

gmm_status gmm_rows_fetch(const gmm_rows *rows, const size_t *indices,
                          size_t count, double *out, double *weights,
                          gmm_error *err)
{
    /* Packed as count x (weight, row): the owner of each row fills it,
     * the others leave zeros, and one sum hands it to everyone. */
    size_t d = rows->n_features, stride = d + 1;
    double *packed = calloc(count * stride, sizeof *packed);
    if (!packed)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for %zu rows", count);
    gmm_status status = GMM_OK;
    for (size_t k = 0; status == GMM_OK && k < count; k++) {
        if (indices[k] < rows->first_row || indices[k] - rows->first_row >= rows->n_rows)
            continue;
        size_t local = indices[k] - rows->first_row;
        double *slot = packed + k * stride;
        slot[0] = rows->weights ? rows->weights[local] : 1.0;
        if (rows->X)
            memcpy(slot + 1, rows->X + local * d, d * sizeof *slot);
        else
            status = rows->reader.read(rows->reader.context, local, 1, slot + 1, err);
    }
    status = gmm_rows_sum(rows, packed, count * stride, status, err);
    for (size_t k = 0; status == GMM_OK && k < count; k++) {
        memcpy(out + k * d, packed + k * stride + 1, d * sizeof *out);
        if (weights)
            weights[k] = packed[k * stride];
    }
    free(packed);
    return status;
}

/* The first non-finite value of the local rows: its global row, column
 * and value into bad[0..2], or bad[0] = -1 when all are finite. */
static gmm_status find_non_finite(const gmm_rows *rows, double *buffer,
                                  double bad[3], gmm_error *err)
{
    size_t d = rows->n_features;
    bad[0] = -1.0;
    for (size_t at = 0; at < rows->n_rows;) {
        size_t count;
        const double *X = gmm_rows_window(rows, at, rows->n_rows, buffer, &count, err);
        if (!X)
            return GMM_ERR_IO;
        for (size_t i = 0; i < count * d; i++)
            if (!isfinite(X[i])) {
                bad[0] = (double)(rows->first_row + at + i / d);
                bad[1] = (double)(i % d);
                bad[2] = X[i];
                return GMM_OK;
            }
        at += count;
    }
    return GMM_OK;
}

gmm_status gmm_rows_check_finite(const gmm_rows *rows, gmm_status local,
                                 gmm_error *err)
{
    size_t size = rows->reducer ? (size_t)rows->reducer->size : 1;
    double *buffer = malloc((gmm_rows_window_size(rows) + 1) * sizeof *buffer);
    double *all = malloc(size * 3 * sizeof *all);
    gmm_status status = local != GMM_OK ? local
                        : buffer && all ? GMM_OK
                                        : gmm_fail(err, GMM_ERR_NOMEM,
                                                   "out of memory checking the data");
    double bad[3] = {-1.0, 0.0, 0.0};
    if (status == GMM_OK)
        status = find_non_finite(rows, buffer, bad, err);
    status = gmm_rows_gather(rows, bad, 3, all, status, err);
    /* Every process reports the lowest rank's (so the first row's) fault. */
    for (size_t r = 0; status == GMM_OK && r < size; r++)
        if (all[r * 3] >= 0.0)
            status = gmm_fail(err, GMM_ERR_DATA,
                              "data row %.0f, column %.0f is %g; expected a "
                              "finite number", all[r * 3], all[r * 3 + 1],
                              all[r * 3 + 2]);
    free(buffer);
    free(all);
    return status;
}
