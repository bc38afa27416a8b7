/*
 * test_stats_api.c — the public statistics API (gmm.h, "Sufficient
 * statistics"): EM rebuilt from it (the initial model from gmm_fit with
 * max_iter 0, then zero, accumulate, M-step, scikit-learn's stopping
 * rule) gives gmm_fit's model bit for bit, for every covariance type,
 * float64 and float32, 1 and 2 threads, with and without weights;
 * statistics of parts add up to the whole's; statistics gathered under
 * other shifts combine exactly (gmm_stats_combine's re-shift); the
 * packed form round-trips; bad calls fail clearly.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gmm.h"

#define N_ROWS 20001
#define N_FEATURES 5
#define K 3

static double *blobs(void)
{
    double *X = malloc(N_ROWS * N_FEATURES * sizeof *X);
    uint64_t state = 7;
    for (size_t i = 0; i < N_ROWS * N_FEATURES; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(state >> 11) / 9007199254740992.0;
        X[i] = u + (double)((i / N_FEATURES) % K) * 0.6 + 1e3;
    }
    return X;
}

static gmm_options options_of(gmm_covariance_type type, gmm_dtype dtype,
                              int threads, int max_iter)
{
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = K;
    o.covariance_type = type;
    o.max_iter = max_iter;
    o.n_threads = threads;
    o.dtype = dtype;
    o.seed = 3;
    o.tol = 1e-6;
    return o;
}

/* gmm_rows_init's scaling of weights, so that the rebuilt fit sees the
 * weights gmm_fit does. */
static double *scaled_weights(const double *w)
{
    double largest = 0.0, sum = 0.0;
    for (size_t i = 0; i < N_ROWS; i++)
        largest = w[i] > largest ? w[i] : largest;
    for (size_t i = 0; i < N_ROWS; i++)
        sum += w[i] / largest;
    double scale = (double)N_ROWS / sum, *out = malloc(N_ROWS * sizeof *out);
    for (size_t i = 0; i < N_ROWS; i++)
        out[i] = w[i] / largest * scale;
    return out;
}

/* EM driven through the statistics API from gmm_fit's initial model. */
static gmm_model *rebuilt_fit(const double *X, const double *w,
                              const gmm_options *o, int *n_iter,
                              double *lower_bound)
{
    gmm_options init = *o;
    init.max_iter = 0;
    gmm_model *model = gmm_model_new(&init, NULL);
    CHECK_OK(gmm_fit(model, X, N_ROWS, N_FEATURES, w, &check_err_));
    gmm_stats *stats = gmm_stats_new(K, N_FEATURES, o->covariance_type, NULL);
    double *scaled = w ? scaled_weights(w) : NULL, previous = -INFINITY;
    *lower_bound = -INFINITY;
    for (*n_iter = 1; *n_iter <= o->max_iter; ++*n_iter) {
        previous = *lower_bound;
        gmm_stats_zero(stats);
        CHECK_OK(gmm_stats_accumulate(stats, model, X, N_ROWS, N_FEATURES,
                                      scaled, &check_err_));
        /* gmm_fit divides by N: scaled weights sum to N up to rounding. */
        *lower_bound = gmm_stats_log_likelihood(stats) /
                       (w ? (double)N_ROWS : gmm_stats_weight(stats));
        CHECK_OK(gmm_stats_mstep(model, stats, &check_err_));
        if (fabs(*lower_bound - previous) < o->tol)
            break;
    }
    free(scaled);
    gmm_stats_free(stats);
    return model;
}

static int same(const double *a, const double *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

static void check_rebuilt(const double *X, const double *w,
                          gmm_covariance_type type, gmm_dtype dtype,
                          int threads)
{
    gmm_options o = options_of(type, dtype, threads, 100);
    gmm_model *fit = gmm_model_new(&o, NULL);
    CHECK_OK(gmm_fit(fit, X, N_ROWS, N_FEATURES, w, &check_err_));
    int n_iter;
    double lower_bound;
    gmm_model *api = rebuilt_fit(X, w, &o, &n_iter, &lower_bound);
    const char *t = gmm_covariance_type_name(type), *dt = gmm_dtype_name(dtype);
    size_t n_cov = gmm_model_covariance_size(fit);
    CHECK(gmm_model_n_iter(fit) > 2, "%s %s: only %d iterations", t, dt,
          gmm_model_n_iter(fit));
    CHECK(n_iter == gmm_model_n_iter(fit), "%s %s %d threads%s: %d iterations, "
          "gmm_fit %d", t, dt, threads, w ? " weighted" : "", n_iter,
          gmm_model_n_iter(fit));
    CHECK(lower_bound == gmm_model_lower_bound(fit), "%s %s %d threads%s: "
          "lower bound %.17g, gmm_fit %.17g", t, dt, threads, w ? " weighted" : "",
          lower_bound, gmm_model_lower_bound(fit));
    CHECK(same(gmm_model_weights(api), gmm_model_weights(fit), K) &&
          same(gmm_model_means(api), gmm_model_means(fit), K * N_FEATURES) &&
          same(gmm_model_covariances(api), gmm_model_covariances(fit), n_cov) &&
          same(gmm_model_precisions_cholesky(api),
               gmm_model_precisions_cholesky(fit), n_cov),
          "%s %s %d threads%s: parameters differ from gmm_fit's", t, dt, threads,
          w ? " weighted" : "");
    gmm_model_free(api);
    gmm_model_free(fit);
}

/* Packed statistics, for comparisons. */
static double *packed(const gmm_stats *stats, size_t *count)
{
    *count = gmm_stats_size(stats);
    double *values = malloc(*count * sizeof *values);
    gmm_stats_pack(stats, values);
    return values;
}

static int close_all(const double *a, const double *b, size_t n, double rel)
{
    double scale = 0.0;
    for (size_t i = 0; i < n; i++)
        scale = fabs(b[i]) > scale ? fabs(b[i]) : scale;
    for (size_t i = 0; i < n; i++)
        if (fabs(a[i] - b[i]) > rel * scale)
            return 0;
    return 1;
}

/* M-step parameters of two statistics agree to rel. */
static int same_mstep(const gmm_options *o, const gmm_stats *x,
                      const gmm_stats *y, double rel)
{
    gmm_model *mx = gmm_model_new(o, NULL), *my = gmm_model_new(o, NULL);
    CHECK_OK(gmm_stats_mstep(mx, x, &check_err_));
    CHECK_OK(gmm_stats_mstep(my, y, &check_err_));
    size_t n_cov = gmm_model_covariance_size(mx);
    int ok = close_all(gmm_model_weights(mx), gmm_model_weights(my), K, rel) &&
             close_all(gmm_model_means(mx), gmm_model_means(my), K * N_FEATURES,
                       rel) &&
             close_all(gmm_model_covariances(mx), gmm_model_covariances(my),
                       n_cov, rel);
    gmm_model_free(mx);
    gmm_model_free(my);
    return ok;
}

/* Parts add up (weighted too); statistics moved to other shifts give the
 * same M-step; the packed form round-trips. */
static void check_combine(const double *X, const double *w,
                          gmm_covariance_type type)
{
    gmm_options o = options_of(type, GMM_DTYPE_FLOAT64, 1, 3);
    gmm_model *a = gmm_model_new(&o, NULL);
    CHECK_OK(gmm_fit(a, X, N_ROWS, N_FEATURES, NULL, &check_err_));
    gmm_stats *whole = gmm_stats_new(K, N_FEATURES, type, NULL);
    gmm_stats *parts = gmm_stats_new(K, N_FEATURES, type, NULL);
    size_t half = N_ROWS / 2, n;
    CHECK_OK(gmm_stats_accumulate(whole, a, X, N_ROWS, N_FEATURES, w,
                                  &check_err_));
    CHECK_OK(gmm_stats_accumulate(parts, a, X, half, N_FEATURES, w,
                                  &check_err_));
    CHECK_OK(gmm_stats_accumulate(parts, a, X + half * N_FEATURES,
                                  N_ROWS - half, N_FEATURES, w + half,
                                  &check_err_));
    double *pw = packed(whole, &n), *pp = packed(parts, &n);
    const char *t = gmm_covariance_type_name(type);
    CHECK(close_all(pp, pw, n, 1e-12), "%s: two halves do not add up to the "
          "whole", t);

    /* Empty statistics around other shifts (a tiny weight keeps them
     * non-empty): combining the whole into them re-expresses it there. */
    double *moved = calloc(n, sizeof *moved);
    size_t shifts_at = n - K * N_FEATURES;
    moved[shifts_at - 1] = 1e-300;
    for (size_t i = shifts_at; i < n; i++)
        moved[i] = pw[i] + 0.25 + 0.01 * (double)(i - shifts_at);
    gmm_stats *there = gmm_stats_new(K, N_FEATURES, type, NULL);
    CHECK_OK(gmm_stats_unpack(there, moved, n, &check_err_));
    CHECK_OK(gmm_stats_combine(there, whole, &check_err_));
    double *pt = packed(there, &n);
    CHECK(memcmp(pt + shifts_at, moved + shifts_at,
                 K * N_FEATURES * sizeof *pt) == 0,
          "%s: combine did not keep the destination's shifts", t);
    CHECK(!close_all(pt, pw, K * (1 + N_FEATURES) + 1, 1e-6),
          "%s: re-shifted statistics did not move", t);
    CHECK(same_mstep(&o, there, whole, 1e-10), "%s: statistics moved to other "
          "shifts give another M-step", t);

    /* The packed form round-trips bit for bit; a wrong count is refused. */
    gmm_stats *copy = gmm_stats_new(K, N_FEATURES, type, NULL);
    CHECK_OK(gmm_stats_unpack(copy, pw, n, &check_err_));
    double *pc = packed(copy, &n);
    CHECK(memcmp(pc, pw, n * sizeof *pc) == 0, "%s: pack/unpack changed "
          "the statistics", t);
    gmm_error err;
    CHECK(gmm_stats_unpack(copy, pw, n - 1, &err) == GMM_ERR_INVALID,
          "%s: a short packed array was accepted", t);
    free(pc);
    free(pt);
    free(moved);
    free(pp);
    free(pw);
    gmm_stats_free(copy);
    gmm_stats_free(there);
    gmm_stats_free(whole);
    gmm_stats_free(parts);
    gmm_model_free(a);
}

/* Calls that cannot work fail with a status and say why. */
static void check_errors(const double *X)
{
    gmm_options o = options_of(GMM_COVARIANCE_FULL, GMM_DTYPE_FLOAT64, 1, 100);
    gmm_model *unfitted = gmm_model_new(&o, NULL);
    gmm_stats *stats = gmm_stats_new(K, N_FEATURES, GMM_COVARIANCE_FULL, NULL);
    gmm_stats *diag = gmm_stats_new(K, N_FEATURES, GMM_COVARIANCE_DIAG, NULL);
    gmm_error err;
    CHECK(gmm_stats_accumulate(stats, unfitted, X, 10, N_FEATURES, NULL, &err)
              == GMM_ERR_NOT_FITTED, "accumulate under an unfitted model");
    CHECK(gmm_stats_mstep(unfitted, stats, &err) == GMM_ERR_DATA,
          "an M-step from empty statistics: %s", err.message);
    CHECK(gmm_stats_mstep(unfitted, diag, &err) == GMM_ERR_INVALID,
          "an M-step from statistics of another covariance type");
    CHECK(gmm_stats_combine(stats, diag, &err) == GMM_ERR_INVALID,
          "statistics of different shapes combined");
    CHECK(gmm_stats_scale(stats, -1.0, &err) == GMM_ERR_INVALID,
          "a negative scale accepted");
    CHECK(gmm_stats_new(0, N_FEATURES, GMM_COVARIANCE_FULL, &err) == NULL &&
              err.status == GMM_ERR_INVALID, "statistics of 0 components");
    CHECK_OK(gmm_fit(unfitted, X, N_ROWS, N_FEATURES, NULL, &check_err_));
    CHECK(gmm_stats_accumulate(stats, unfitted, X, 10, N_FEATURES - 1, NULL,
                               &err) == GMM_ERR_DATA, "accumulate of rows of "
          "another width");
    double bad[N_FEATURES] = {1, 2, NAN, 4, 5};
    CHECK(gmm_stats_accumulate(stats, unfitted, bad, 1, N_FEATURES, NULL, &err)
              == GMM_ERR_DATA, "accumulate of a NaN");
    CHECK(gmm_stats_weight(stats) == 0.0, "a failed accumulate left a weight");
    /* A variational model's posterior needs its priors: no M-step from
     * statistics, and so no online step either. */
    o.weight_prior = GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS;
    gmm_model *bayes = gmm_model_new(&o, NULL);
    CHECK_OK(gmm_fit(bayes, X, N_ROWS, N_FEATURES, NULL, &check_err_));
    CHECK_OK(gmm_stats_accumulate(stats, bayes, X, N_ROWS, N_FEATURES, NULL,
                                  &check_err_));
    CHECK(gmm_stats_mstep(bayes, stats, &err) == GMM_ERR_INVALID &&
              strstr(err.message, "dirichlet_process"),
          "an EM M-step on a variational model: %s", err.message);
    gmm_model_free(bayes);
    gmm_stats_free(stats);
    gmm_stats_free(diag);
    gmm_model_free(unfitted);
}

int main(void)
{
    double *X = blobs(), *w = malloc(N_ROWS * sizeof *w);
    for (size_t i = 0; i < N_ROWS; i++)
        w[i] = 0.5 + (double)(i % 7) * 0.25;
    for (int t = 0; t < 4; t++)
        for (int dt = 0; dt < 2; dt++)
            for (int threads = 1; threads <= 2; threads++) {
                check_rebuilt(X, NULL, (gmm_covariance_type)t, (gmm_dtype)dt,
                              threads);
                if (threads == 2)
                    check_rebuilt(X, w, (gmm_covariance_type)t, (gmm_dtype)dt,
                                  threads);
            }
    for (int t = 0; t < 4; t++)
        check_combine(X, w, (gmm_covariance_type)t);
    check_errors(X);
    free(w);
    free(X);
    return check_failures() != 0;
}
