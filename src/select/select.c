/*
 * select.c — gmm_select: fit every (covariance type, K) pair and score it
 * by BIC or AIC, the Mclust workflow.
 *
 * Parallelism is across pairs, one pair per thread with single-threaded
 * fits: pairs are independent and many, a small fit (Old Faithful) is too
 * short to share among threads, and since a fit is bit-identical for any
 * thread count, every pair's model is exactly what gmm_fit gives with the
 * same options, whatever the scheduling.
 *
 * The kmeans initializer's k-means runs depend on K and the seed, not on
 * the covariance type, so they are made once per K before the fits
 * (em/init.h) and each type's fit starts from them: with four types that
 * is a quarter of the k-means work. The rest of each initialization (the
 * assignment statistics, the choice among candidates by likelihood) stays
 * per type, so every pair is still bit-identical to gmm_fit.
 */
#include <math.h>
#include <stdlib.h>

#include "em/fit.h"
#include "em/init.h"
#include "model/covariance.h"
#include "model/model.h"
#include "rows/check.h"
#include "util/blocks.h"
#include "util/error.h"

/* A pair's own failures (the table reports them) versus failures of the
 * whole call (out of memory, interrupted, bad options). */
static int pair_may_fail(gmm_status status)
{
    return status == GMM_ERR_NUMERIC || status == GMM_ERR_DATA;
}

static gmm_status fit_pair(const gmm_options *options, const gmm_rows *rows,
                           const gmm_kmeans_starts *starts,
                           gmm_criterion criterion, gmm_select_entry *entry,
                           gmm_model **model, gmm_error *err)
{
    const double *X = rows->X;
    size_t n_rows = rows->n_rows, n_features = rows->n_features;
    gmm_options pair = *options;
    pair.n_components = entry->n_components;
    pair.covariance_type = entry->covariance_type;
    pair.n_threads = 1;
    entry->score = NAN;
    *model = gmm_model_new(&pair, err);
    if (!*model)
        return err->status;
    gmm_status status = gmm_fit_rows(*model, rows, starts, err);
    if (status == GMM_OK)
        status = criterion == GMM_CRITERION_AIC
                     ? gmm_aic(*model, X, n_rows, n_features, &entry->score, err)
                     : gmm_bic(*model, X, n_rows, n_features, &entry->score, err);
    if (status == GMM_OK) {
        entry->converged = gmm_model_converged(*model);
        entry->n_iter = gmm_model_n_iter(*model);
    } else {
        entry->score = NAN;
        gmm_model_free(*model);
        *model = NULL;
    }
    return status;
}

/* The request's lists and shape; the data themselves are checked once,
 * as the rows every fit shares (gmm_rows_init). */
static gmm_status check_request(const gmm_covariance_type *types,
                                size_t n_types, const size_t *n_components,
                                size_t n_k, gmm_criterion criterion,
                                size_t n_rows, size_t n_features,
                                gmm_error *err)
{
    if (n_types < 1 || n_k < 1)
        return gmm_fail(err, GMM_ERR_INVALID, "gmm_select needs at least one "
                        "covariance type and one number of components");
    for (size_t t = 0; t < n_types; t++)
        if (!gmm_covariance_model_of(types[t]))
            return gmm_fail(err, GMM_ERR_INVALID, "unknown covariance type %d",
                            (int)types[t]);
    for (size_t i = 0; i < n_k; i++)
        if (n_components[i] < 1)
            return gmm_fail(err, GMM_ERR_INVALID,
                            "n_components must be at least 1");
    if ((unsigned)criterion > GMM_CRITERION_AIC)
        return gmm_fail(err, GMM_ERR_INVALID, "unknown criterion %d",
                        (int)criterion);
    if (n_features < 1 || n_rows < 2)
        return gmm_fail(err, GMM_ERR_DATA, "model selection needs at least 2 "
                        "rows and 1 feature; got %zu x %zu", n_rows,
                        n_features);
    return GMM_OK;
}

/* The entry with the lowest score, the earlier on ties; -1 if none. */
static long best_entry(const gmm_select_entry *entries, size_t n_pairs)
{
    long best = -1;
    for (size_t p = 0; p < n_pairs; p++)
        if (entries[p].status == GMM_OK &&
            (best < 0 || entries[p].score < entries[best].score))
            best = (long)p;
    return best;
}

gmm_status gmm_select(const gmm_options *options,
                      const gmm_covariance_type *types, size_t n_types,
                      const size_t *n_components, size_t n_k,
                      gmm_criterion criterion, const double *X, size_t n_rows,
                      size_t n_features, gmm_select_entry *entries,
                      size_t *best_index, gmm_model **best, gmm_error *err)
{
    gmm_status status = check_request(types, n_types, n_components, n_k,
                                      criterion, n_rows, n_features, err);
    /* Fixed values are initial parameters of one K and one type; equal
     * weights mean the same for every pair and are passed on. */
    if (status == GMM_OK && options->fixed)
        status = gmm_fail(err, GMM_ERR_INVALID, "gmm_select fits many numbers "
                          "of components and covariance types, but fixed "
                          "parameters keep initial values of one of each: "
                          "fit them with gmm_fit (equal_weights may be given)");
    if (status != GMM_OK)
        return status;
    /* The rows gmm_fit would make of X (no weights), shared by every fit
     * and by the k-means runs: bad data would fail every pair alike, and
     * are reported once, here. */
    gmm_rows rows;
    double *owned_weights;
    status = gmm_rows_init(&rows, X, n_rows, n_features, NULL, 2,
                           options->n_threads, &owned_weights, err);
    if (status != GMM_OK)
        return status;
    /* With one type there is nothing to share. */
    gmm_kmeans_starts starts = {0};
    if (n_types > 1)
        status = gmm_kmeans_starts_compute(options, &rows, n_components, n_k,
                                           &starts, err);
    size_t n_pairs = n_types * n_k;
    gmm_model **models = calloc(n_pairs, sizeof *models);
    gmm_error *errors = malloc(n_pairs * sizeof *errors);
    if (status != GMM_OK || !models || !errors) {
        free(models), free(errors), free(owned_weights);
        gmm_kmeans_starts_free(&starts);
        return status != GMM_OK ? status
                                : gmm_fail(err, GMM_ERR_NOMEM, "out of memory "
                                           "for %zu models", n_pairs);
    }
    for (size_t p = 0; p < n_pairs; p++)
        entries[p] = (gmm_select_entry){types[p / n_k], n_components[p % n_k],
                                        GMM_OK, NAN, 0, 0};

    /* Once a pair fails for good (interrupted, out of memory), the others
     * are skipped rather than fitted for nothing. */
    int stop = 0;
#pragma omp parallel for schedule(dynamic, 1) \
    num_threads(gmm_threads(options->n_threads))
    for (size_t p = 0; p < n_pairs; p++) {
        int stopped;
#pragma omp atomic read
        stopped = stop;
        if (stopped) {
            entries[p].status = GMM_ERR_INTERRUPTED;
            gmm_fail(&errors[p], GMM_ERR_INTERRUPTED, "skipped");
            continue;
        }
        entries[p].status = fit_pair(options, &rows, &starts, criterion,
                                     &entries[p], &models[p], &errors[p]);
        if (entries[p].status != GMM_OK && !pair_may_fail(entries[p].status)) {
#pragma omp atomic write
            stop = 1;
        }
    }

    /* The first failure in pair order, so that the message does not
     * depend on scheduling (a skipped pair is never the first). */
    status = GMM_OK;
    for (size_t p = 0; p < n_pairs && status == GMM_OK; p++)
        if (entries[p].status != GMM_OK && !pair_may_fail(entries[p].status))
            status = gmm_fail(err, entries[p].status, "%s (%s, K = %zu)",
                              errors[p].message,
                              gmm_covariance_type_name(entries[p].covariance_type),
                              entries[p].n_components);
    long chosen = best_entry(entries, n_pairs);
    if (status == GMM_OK && chosen < 0)
        status = gmm_fail(err, GMM_ERR_NUMERIC, "no pair could be fitted; "
                          "the first: %s", errors[0].message);
    for (size_t p = 0; p < n_pairs; p++)
        if (status != GMM_OK || !best || (long)p != chosen)
            gmm_model_free(models[p]);
    if (status == GMM_OK) {
        if (best_index)
            *best_index = (size_t)chosen;
        if (best)
            *best = models[chosen];
        gmm_error_clear(err);
    }
    free(models), free(errors), free(owned_weights);
    gmm_kmeans_starts_free(&starts);
    return status;
}
