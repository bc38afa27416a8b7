/*
 * fit_missing.c — gmm_fit on data with missing entries (fit.h): the rows
 * checked, arranged by pattern (rows/missing.h), then the one fit loop,
 * whose E-step reads the incomplete rows through em/missing_pass.h. The
 * initializers read the caller's rows in the caller's order (filled), so
 * init_resp applies as given.
 */
#include <stdlib.h>

#include "em/fit.h"
#include "model/model.h"
#include "rows/check.h"
#include "rows/missing.h"
#include "util/error.h"

gmm_status gmm_fit_missing(gmm_model *model, const double *X, size_t n_rows,
                           size_t n_features, const double *sample_weight,
                           gmm_error *err)
{
    size_t n_missing = 0;
    if (X && n_features >= 1 && n_rows >= 2) {
        gmm_status scanned = gmm_missing_scan(X, n_rows, n_features,
                                              &n_missing, err);
        if (scanned != GMM_OK)
            return scanned;
    }
    if (n_missing == 0)
        /* Complete data, or what gmm_fit's checks reject. */
        return gmm_fit_memory(model, X, n_rows, n_features, sample_weight, err);
    gmm_rows plain = gmm_rows_of_memory(X, n_rows, n_features), rows;
    double *weights = NULL;
    gmm_missing_rows m = {0};
    gmm_status status = gmm_rows_weigh(&plain, sample_weight, &weights, err);
    if (status == GMM_OK)
        status = gmm_missing_rows_init(&m, &rows, X, n_rows, n_features,
                                       plain.weights, err);
    if (status == GMM_OK) {
        rows.weight_scale = m.all.weight_scale = plain.weight_scale;
        status = gmm_fit_rows(model, &rows, NULL, err);
    }
    free(weights);
    gmm_missing_rows_free(&m);
    return status;
}
