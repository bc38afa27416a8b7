/*
 * fit_missing.c — gmm_fit on data with missing entries (fit.h): the rows
 * checked, arranged by pattern (rows/missing.h), then the one fit loop,
 * whose E-step reads the incomplete rows through em/missing_pass.h.
 */
#include <stdlib.h>

#include "em/fit.h"
#include "model/model.h"
#include "model/validate.h"
#include "rows/check.h"
#include "rows/missing.h"
#include "util/error.h"

/* The caller's init_resp in the arranged rows' order (the initializers
 * read rows by their index there), after checking it in the caller's. */
static gmm_status arrange_resp(const gmm_options *o, const gmm_missing_rows *m,
                               size_t n_rows, double **arranged, gmm_error *err)
{
    size_t k = o->n_components;
    *arranged = NULL;
    if (!o->init_resp)
        return GMM_OK;
    gmm_status status = gmm_validate_resp(o->init_resp, n_rows, k, err);
    if (status != GMM_OK)
        return status;
    double *resp = malloc(n_rows * k * sizeof *resp);
    if (!resp)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for %zu x %zu "
                        "initial responsibilities", n_rows, k);
    for (size_t i = 0; i < n_rows; i++)
        for (size_t c = 0; c < k; c++)
            resp[i * k + c] = o->init_resp[m->order[i] * k + c];
    *arranged = resp;
    return GMM_OK;
}

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
    double *weights = NULL, *resp = NULL;
    gmm_missing_rows m = {0};
    gmm_status status = gmm_rows_weigh(&plain, sample_weight, &weights, err);
    if (status == GMM_OK)
        status = gmm_missing_rows_init(&m, &rows, X, n_rows, n_features,
                                       plain.weights, err);
    if (status == GMM_OK)
        status = arrange_resp(&model->options, &m, n_rows, &resp, err);
    if (status == GMM_OK) {
        rows.weight_scale = m.all.weight_scale = plain.weight_scale;
        /* The options are the caller's but for the responsibilities'
         * order, for this call only. */
        const double *given = model->options.init_resp;
        if (resp)
            model->options.init_resp = resp;
        status = gmm_fit_rows(model, &rows, NULL, err);
        model->options.init_resp = given;
    }
    free(resp);
    free(weights);
    gmm_missing_rows_free(&m);
    return status;
}
