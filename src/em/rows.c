/*
 * rows.c — checking caller data and weights before a fit (rows.h).
 */
#include "em/rows.h"

#include <math.h>
#include <stdlib.h>

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
    gmm_status status = gmm_validate_data(X, n_rows, n_features, err);
    if (status != GMM_OK)
        return status;
    rows->X = X;
    rows->n_rows = n_rows;
    rows->n_features = n_features;
    rows->weights = NULL;
    rows->weight_sum = (double)n_rows;
    rows->weight_scale = 1.0;
    if (!weights)
        return GMM_OK;

    double sum = 0.0;
    for (size_t i = 0; i < n_rows; i++) {
        if (!isfinite(weights[i]) || weights[i] < 0.0)
            return gmm_fail(err, GMM_ERR_DATA,
                            "sample weight %zu is %g; weights must be finite "
                            "and non-negative", i, weights[i]);
        sum += weights[i];
    }
    if (!(sum > 0.0) || !isfinite(sum))
        return gmm_fail(err, GMM_ERR_DATA,
                        "the sample weights sum to %g; at least one must be "
                        "positive and their sum finite", sum);
    double *scaled = malloc(n_rows * sizeof *scaled);
    if (!scaled)
        return gmm_fail(err, GMM_ERR_NOMEM,
                        "out of memory copying %zu sample weights", n_rows);
    double scale = (double)n_rows / sum;
    for (size_t i = 0; i < n_rows; i++)
        scaled[i] = weights[i] * scale;
    rows->weights = scaled;
    rows->weight_scale = scale;
    *owned_weights = scaled;
    return GMM_OK;
}
