/*
 * test_select.c — gmm_select's table and chosen model are, bit for bit,
 * those of gmm_fit run on each (covariance type, K) pair alone with the
 * same options: for every init method (the kmeans initializer's k-means
 * runs are shared across types inside gmm_select, which must not show),
 * with n_init > 1, float32, AIC, a subset of types in another order, and
 * pairs that fail (more components than rows); and a progress callback
 * that stops the call during the k-means runs shared before the fits.
 *
 * Usage: test_select FAITHFUL.csv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "gmm.h"

#define MAX_PAIRS 64

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static int same_model(const gmm_model *a, const gmm_model *b)
{
    size_t k = gmm_model_n_components(a), d = gmm_model_n_features(a);
    return gmm_model_covariance_type(a) == gmm_model_covariance_type(b) &&
           k == gmm_model_n_components(b) && d == gmm_model_n_features(b) &&
           memcmp(gmm_model_weights(a), gmm_model_weights(b),
                  k * sizeof(double)) == 0 &&
           memcmp(gmm_model_means(a), gmm_model_means(b),
                  k * d * sizeof(double)) == 0 &&
           memcmp(gmm_model_covariances(a), gmm_model_covariances(b),
                  gmm_model_covariance_size(a) * sizeof(double)) == 0 &&
           same_bits(gmm_model_lower_bound(a), gmm_model_lower_bound(b)) &&
           gmm_model_n_iter(a) == gmm_model_n_iter(b) &&
           gmm_model_converged(a) == gmm_model_converged(b);
}

typedef struct request {
    const char *name;
    gmm_options options;
    const gmm_covariance_type *types;
    size_t n_types;
    size_t k_max;  /* K = 1 .. k_max */
    gmm_criterion criterion;
} request;

static void check_select_is_fit(const request *r, const double *X, size_t n,
                                size_t d)
{
    size_t ks[MAX_PAIRS] = {0}, n_pairs = r->n_types * r->k_max;
    for (size_t k = 0; k < r->k_max; k++)
        ks[k] = k + 1;
    gmm_select_entry entries[MAX_PAIRS];
    gmm_model *best = NULL;
    gmm_error err;
    gmm_status status = gmm_select(&r->options, r->types, r->n_types, ks,
                                   r->k_max, r->criterion, X, n, d, entries, NULL,
                                   &best, &err);
    CHECK(status == GMM_OK, "%s: gmm_select: %s", r->name, err.message);
    if (status != GMM_OK)
        return;
    gmm_model *chosen = NULL;
    double chosen_score = 0.0;
    for (size_t p = 0; p < n_pairs; p++) {
        gmm_options pair = r->options;
        pair.covariance_type = r->types[p / r->k_max];
        pair.n_components = ks[p % r->k_max];
        const char *type = gmm_covariance_type_name(pair.covariance_type);
        CHECK(entries[p].covariance_type == pair.covariance_type &&
                  entries[p].n_components == pair.n_components,
              "%s: entry %zu is not %s K = %zu", r->name, p, type,
              pair.n_components);
        gmm_model *model = gmm_model_new(&pair, &err);
        status = gmm_fit(model, X, n, d, NULL, &err);
        CHECK(entries[p].status == status, "%s, %s K = %zu: select %s, fit %s",
              r->name, type, pair.n_components,
              gmm_strerror(entries[p].status), gmm_strerror(status));
        double score = 0.0;
        if (status == GMM_OK)
            CHECK_OK(r->criterion == GMM_CRITERION_AIC
                         ? gmm_aic(model, X, n, d, &score, &check_err_)
                         : gmm_bic(model, X, n, d, &score, &check_err_));
        if (status != GMM_OK || entries[p].status != GMM_OK) {
            gmm_model_free(model);
            continue;
        }
        CHECK(same_bits(entries[p].score, score) &&
                  entries[p].converged == gmm_model_converged(model) &&
                  entries[p].n_iter == gmm_model_n_iter(model),
              "%s, %s K = %zu: select %.17g (%d iterations), fit %.17g (%d)",
              r->name, type, pair.n_components, entries[p].score,
              entries[p].n_iter, score, gmm_model_n_iter(model));
        if (!chosen || score < chosen_score) {
            gmm_model_free(chosen);
            chosen = model;
            chosen_score = score;
        } else {
            gmm_model_free(model);
        }
    }
    CHECK(chosen && best && same_model(best, chosen),
          "%s: the chosen model is not gmm_fit's of the best pair", r->name);
    gmm_model_free(chosen);
    gmm_model_free(best);
}

/* A progress callback that counts its calls, the polls during the shared
 * k-means runs (n_iter 0) apart from those after EM iterations, and asks
 * to stop at call number stop_at (0: never). gmm_select calls it from
 * several threads at once. */
typedef struct stop_counter {
    int stop_at;
    int calls;
    int kmeans_calls;
    int iteration_calls;
    int kmeans_calls_with_parameters;
} stop_counter;

static int count_and_stop(const gmm_progress *progress, void *user_data)
{
    stop_counter *c = user_data;
    int call = __atomic_add_fetch(&c->calls, 1, __ATOMIC_SEQ_CST);
    if (progress->n_iter == 0) {
        __atomic_add_fetch(&c->kmeans_calls, 1, __ATOMIC_SEQ_CST);
        if (progress->weights || progress->means || progress->covariances)
            __atomic_add_fetch(&c->kmeans_calls_with_parameters, 1, __ATOMIC_SEQ_CST);
    } else {
        __atomic_add_fetch(&c->iteration_calls, 1, __ATOMIC_SEQ_CST);
    }
    return c->stop_at > 0 && call >= c->stop_at;
}

/* The k-means runs gmm_select shares among covariance types come before
 * any fit, and can take most of its time on large data: a stop asked
 * there ends the call before any fit starts (the CLI's Ctrl-C,
 * tests/cli/test_interrupt.py), and a callback that never stops is polled
 * within each run and changes nothing. */
static void check_stop_before_fits(const double *X, size_t n, size_t d)
{
    static const gmm_covariance_type all[] = {
        GMM_COVARIANCE_FULL, GMM_COVARIANCE_TIED, GMM_COVARIANCE_DIAG,
        GMM_COVARIANCE_SPHERICAL};
    static const size_t ks[] = {1, 2, 3, 4, 5};
    const size_t n_k = sizeof ks / sizeof ks[0], n_pairs = 4 * n_k;
    gmm_options options;
    gmm_options_init(&options);
    options.n_init = 2;
    options.n_threads = 2;
    gmm_select_entry entries[MAX_PAIRS], plain[MAX_PAIRS];
    gmm_error err;
    CHECK_OK(gmm_select(&options, all, 4, ks, n_k, GMM_CRITERION_BIC, X, n, d,
                        plain, NULL, NULL, &check_err_));

    stop_counter never = {0, 0, 0, 0, 0};
    options.progress = count_and_stop;
    options.progress_user_data = &never;
    CHECK_OK(gmm_select(&options, all, 4, ks, n_k, GMM_CRITERION_BIC, X, n, d,
                        entries, NULL, NULL, &check_err_));
    /* Polls within each k-means run: K x n_init x the 3 candidates runs,
     * each polled before its K seeds and each Lloyd iteration. */
    CHECK(never.kmeans_calls >= (int)(n_k * 2 * 3 * 2),
          "%d polls during the shared k-means runs, expected at least %zu",
          never.kmeans_calls, n_k * 2 * 3 * 2);
    CHECK(never.kmeans_calls_with_parameters == 0 && never.iteration_calls > 0,
          "%d calls before k-means runs with parameters, %d after iterations",
          never.kmeans_calls_with_parameters, never.iteration_calls);
    for (size_t p = 0; p < n_pairs; p++)
        CHECK(entries[p].status == plain[p].status &&
                  same_bits(entries[p].score, plain[p].score) &&
                  entries[p].n_iter == plain[p].n_iter,
              "pair %zu differs with a progress callback", p);

    stop_counter first = {1, 0, 0, 0, 0};
    options.progress_user_data = &first;
    gmm_model *best = NULL;
    gmm_status status = gmm_select(&options, all, 4, ks, n_k, GMM_CRITERION_BIC,
                                   X, n, d, entries, NULL, &best, &err);
    CHECK(status == GMM_ERR_INTERRUPTED && best == NULL,
          "a stop before the k-means runs: %s", gmm_strerror(status));
    CHECK(first.iteration_calls == 0 && first.kmeans_calls >= 1,
          "a stop asked before the shared k-means runs was heeded only "
          "after %d EM iterations", first.iteration_calls);
    /* Once one run was told to stop, none asks again: at most one poll
     * per thread (2) was under way when it was asked. */
    CHECK(first.kmeans_calls <= 2, "%d polls after a stop",
          first.kmeans_calls - 1);
}

static double *read_faithful(const char *path, size_t *n, size_t *d)
{
    gmm_data data;
    gmm_error err;
    if (gmm_data_read(path, &data, &err) != GMM_OK) {
        fprintf(stderr, "%s\n", err.message);
        exit(1);
    }
    *n = data.n_rows;
    *d = data.n_cols;
    double *X = data.values;
    data.values = NULL;
    gmm_data_free(&data);
    return X;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FAITHFUL.csv\n", argv[0]);
        return 2;
    }
    static const gmm_covariance_type all[] = {
        GMM_COVARIANCE_FULL, GMM_COVARIANCE_TIED, GMM_COVARIANCE_DIAG,
        GMM_COVARIANCE_SPHERICAL};
    static const gmm_covariance_type two[] = {GMM_COVARIANCE_SPHERICAL,
                                              GMM_COVARIANCE_FULL};
    gmm_options base;
    gmm_options_init(&base);
    base.tol = 1e-6;  /* gmm select's defaults: fits run to convergence */
    base.max_iter = 1000;
    base.n_threads = 2;

    size_t n, d;
    double *faithful = read_faithful(argv[1], &n, &d);
    request r = {"faithful, kmeans", base, all, 4, 6, GMM_CRITERION_BIC};
    check_select_is_fit(&r, faithful, n, d);
    check_stop_before_fits(faithful, n, d);

    r.name = "faithful, kmeans, n_init 3, seed 7, AIC";
    r.options.n_init = 3;
    r.options.seed = 7;
    r.criterion = GMM_CRITERION_AIC;
    check_select_is_fit(&r, faithful, n, d);

    r = (request){"faithful, kmeans, float32", base, all, 4, 4,
                  GMM_CRITERION_BIC};
    r.options.dtype = GMM_DTYPE_FLOAT32;
    check_select_is_fit(&r, faithful, n, d);

    static const struct {
        const char *name;
        gmm_init_method method;
    } others[] = {{"faithful, k-means++", GMM_INIT_KMEANS_PLUSPLUS},
                  {"faithful, random", GMM_INIT_RANDOM},
                  {"faithful, random_from_data", GMM_INIT_RANDOM_FROM_DATA}};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        r = (request){others[i].name, base, all, 4, 4, GMM_CRITERION_BIC};
        r.options.init_params = others[i].method;
        r.options.n_init = 2;
        r.options.seed = 3;
        check_select_is_fit(&r, faithful, n, d);
    }
    free(faithful);

    /* Far from the origin, two types in non-default order, 3 threads. */
    size_t n_blobs = 1500, d_blobs = 4;
    double *X = blobs(n_blobs, d_blobs, 3, 6.0, 1e3, 5);
    r = (request){"blobs, spherical and full", base, two, 2, 5,
                  GMM_CRITERION_BIC};
    r.options.n_threads = 3;
    r.options.n_init = 2;
    check_select_is_fit(&r, X, n_blobs, d_blobs);
    free(X);

    /* Six rows: K = 7 and 8 fail in select as in gmm_fit. */
    double small[12] = {0, 0, 1, 1, 2, 2, 3, 0, 4, 1, 5, 2};
    r = (request){"six rows, K up to 8", base, all, 4, 8, GMM_CRITERION_BIC};
    r.options.max_iter = 100;
    check_select_is_fit(&r, small, 6, 2);

    return check_failures() != 0;
}
