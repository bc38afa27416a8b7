/*
 * rows.c — reading windows of rows, and combining results across
 * processes (rows.h).
 */
#include "rows/rows.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"

gmm_rows gmm_rows_of_memory(const double *X, size_t n_rows, size_t n_features)
{
    return (gmm_rows){.X = X, .n_rows = n_rows, .n_features = n_features,
                      .weight_sum = (double)n_rows, .weight_scale = 1.0,
                      .total_rows = n_rows};
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
