/*
 * columns.c — gmm_fit_columns: one independent fit per column, the fits
 * shared out over threads (gmm.h). Each thread copies its column into a
 * buffer of its own (n_rows doubles) and runs gmm_fit on it with one
 * thread, so a column's model is exactly gmm_fit's on that column and
 * does not depend on the scheduling; parallelism is across fits, where
 * small fits have it to give (a 1-D fit's pass is too short to share).
 */
#include <stdlib.h>

#include "gmm.h"
#include "util/blocks.h"
#include "util/error.h"

/* A column's own failure, reported in its status; anything else stops
 * the call. */
static int column_may_fail(gmm_status status)
{
    return status == GMM_ERR_NUMERIC || status == GMM_ERR_DATA;
}

static gmm_status fit_column(const double *X, size_t n_rows, size_t n_columns,
                             size_t c, const double *sample_weight,
                             double *column, gmm_model *model, gmm_error *err)
{
    if (!column)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for a column of "
                        "%zu rows", n_rows);
    for (size_t i = 0; i < n_rows; i++)
        column[i] = X[i * n_columns + c];
    return gmm_fit(model, column, n_rows, 1, sample_weight, err);
}

/* Every column's fit into its status and error; the call's status: the
 * first failure in column order that is not a column's own (so that the
 * message does not depend on scheduling: a skipped column is never the
 * first). */
static gmm_status fit_all(const double *X, size_t n_rows, size_t n_columns,
                          const double *sample_weight, int n_threads,
                          gmm_model **models, gmm_status *status_of,
                          gmm_error *errors, gmm_error *err)
{
    /* Once a fit fails for good (interrupted, out of memory), the others
     * are skipped rather than fitted for nothing. */
    int stop = 0;
#pragma omp parallel num_threads(gmm_threads(n_threads))
    {
        double *column = malloc((n_rows ? n_rows : 1) * sizeof *column);
#pragma omp for schedule(dynamic, 1)
        for (size_t c = 0; c < n_columns; c++) {
            int stopped;
#pragma omp atomic read
            stopped = stop;
            if (stopped) {
                status_of[c] = gmm_fail(&errors[c], GMM_ERR_INTERRUPTED, "skipped");
                continue;
            }
            status_of[c] = fit_column(X, n_rows, n_columns, c, sample_weight,
                                      column, models[c], &errors[c]);
            if (status_of[c] != GMM_OK && !column_may_fail(status_of[c])) {
#pragma omp atomic write
                stop = 1;
            }
        }
        free(column);
    }
    for (size_t c = 0; c < n_columns; c++)
        if (status_of[c] != GMM_OK && !column_may_fail(status_of[c]))
            return gmm_fail(err, status_of[c], "column %zu: %s", c,
                            errors[c].message);
    return GMM_OK;
}

gmm_status gmm_fit_columns(const gmm_options *options, const double *X,
                           size_t n_rows, size_t n_columns,
                           const double *sample_weight, gmm_model **models,
                           gmm_status *statuses, gmm_error *err)
{
    if (!options || !X || !models || n_columns < 1)
        return gmm_fail(err, GMM_ERR_INVALID, "gmm_fit_columns needs options, "
                        "data, a models array and at least one column");
    gmm_error own_err;
    err = err ? err : &own_err;
    gmm_options one = *options;
    one.n_threads = 1;
    gmm_error *errors = calloc(n_columns, sizeof *errors);
    gmm_status *status_of = calloc(n_columns, sizeof *status_of);
    gmm_status status = errors && status_of ? GMM_OK
                        : gmm_fail(err, GMM_ERR_NOMEM, "out of memory for "
                                   "%zu fits", n_columns);
    for (size_t c = 0; c < n_columns; c++)
        models[c] = NULL;
    for (size_t c = 0; status == GMM_OK && c < n_columns; c++)
        if (!(models[c] = gmm_model_new(&one, err)))
            status = err->status;

    if (status == GMM_OK)
        status = fit_all(X, n_rows, n_columns, sample_weight, options->n_threads,
                         models, status_of, errors, err);
    for (size_t c = 0; c < n_columns; c++) {
        gmm_status own = status == GMM_OK ? status_of[c] : status;
        if (statuses)
            statuses[c] = own;
        if (own != GMM_OK) {
            gmm_model_free(models[c]);
            models[c] = NULL;
        }
    }
    if (status == GMM_OK)
        gmm_error_clear(err);
    free(errors), free(status_of);
    return status;
}
