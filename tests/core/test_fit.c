/*
 * test_fit.c — properties of gmm_fit that scikit-learn cannot check for
 * us: bit-identical results for any thread count, accuracy far from the
 * origin, sample weights, warm start, max_iter 0, n_init, init methods,
 * reproducibility, interruption (after an iteration and during the
 * k-means initialization).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "gmm.h"

static const gmm_covariance_type TYPES[] = {
    GMM_COVARIANCE_FULL, GMM_COVARIANCE_TIED, GMM_COVARIANCE_DIAG,
    GMM_COVARIANCE_SPHERICAL};

static gmm_model *fit(const gmm_options *o, const double *X, size_t n, size_t d,
                      const double *w)
{
    gmm_error err;
    gmm_model *m = gmm_model_new(o, &err);
    if (m && gmm_fit(m, X, n, d, w, &err) != GMM_OK) {
        CHECK(0, "fit failed: %s", err.message);
        gmm_model_free(m);
        return NULL;
    }
    return m;
}

static int same_params(const gmm_model *a, const gmm_model *b)
{
    size_t k = gmm_model_n_components(a), d = gmm_model_n_features(a);
    return memcmp(gmm_model_weights(a), gmm_model_weights(b), k * sizeof(double)) == 0 &&
           memcmp(gmm_model_means(a), gmm_model_means(b), k * d * sizeof(double)) == 0 &&
           memcmp(gmm_model_covariances(a), gmm_model_covariances(b),
                  gmm_model_covariance_size(a) * sizeof(double)) == 0 &&
           gmm_model_lower_bound(a) == gmm_model_lower_bound(b) &&
           gmm_model_n_iter(a) == gmm_model_n_iter(b);
}

static double max_rel_diff(const double *a, const double *b, size_t n)
{
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double scale = fabs(b[i]) > 1e-300 ? fabs(b[i]) : 1e-300;
        double rel = fabs(a[i] - b[i]) / scale;
        if (rel > worst)
            worst = rel;
    }
    return worst;
}

static void test_thread_count_invariance(void)
{
    size_t n = 30000, d = 4;
    double *X = blobs(n, d, 5, 8.0, 0.0, 11);
    for (size_t t = 0; t < 4; t++) {
        gmm_options o;
        gmm_options_init(&o);
        o.n_components = 5;
        o.covariance_type = TYPES[t];
        o.tol = 0;
        o.max_iter = 8;
        o.n_threads = 1;
        gmm_model *one = fit(&o, X, n, d, NULL);
        o.n_threads = 2;
        gmm_model *two = fit(&o, X, n, d, NULL);
        o.n_threads = 3;
        gmm_model *three = fit(&o, X, n, d, NULL);
        CHECK(one && two && three && same_params(one, two) && same_params(one, three),
              "%s: results depend on the thread count", gmm_covariance_type_name(TYPES[t]));
        gmm_model_free(one), gmm_model_free(two), gmm_model_free(three);
    }
    free(X);
}

/* Data near 1e9 with unit spread: the fit must match the fit of the same
 * points shifted to the origin (the shift is exact: Sterbenz). */
static void test_far_from_origin(void)
{
    size_t n = 3000, d = 3, k = 3;
    double offset = 1e9;
    double *far = blobs(n, d, k, 6.0, offset, 5);
    double *near = malloc(n * d * sizeof *near);
    for (size_t i = 0; i < n * d; i++)
        near[i] = far[i] - offset;
    for (size_t t = 0; t < 4; t++) {
        gmm_options o;
        gmm_options_init(&o);
        o.n_components = k;
        o.covariance_type = TYPES[t];
        o.tol = 0;
        o.max_iter = 20;
        o.seed = 3;
        gmm_model *ref = fit(&o, near, n, d, NULL);
        if (!ref)
            continue;
        /* Start the far fit from the near fit's initial point, shifted. */
        gmm_model *start_model = NULL;
        o.max_iter = 0;
        start_model = fit(&o, near, n, d, NULL);
        double *means = malloc(k * d * sizeof *means);
        for (size_t i = 0; i < k * d; i++)
            means[i] = gmm_model_means(start_model)[i] + offset;
        o.max_iter = 20;
        o.weights_init = gmm_model_weights(start_model);
        o.means_init = means;
        o.covariances_init = gmm_model_covariances(start_model);
        gmm_model *got = fit(&o, far, n, d, NULL);
        if (got) {
            double cov_err = max_rel_diff(gmm_model_covariances(got),
                                          gmm_model_covariances(ref),
                                          gmm_model_covariance_size(ref));
            CHECK(cov_err < 1e-6, "%s: covariances near 1e9 off by %.3g relative",
                  gmm_covariance_type_name(TYPES[t]), cov_err);
            double w_err = max_rel_diff(gmm_model_weights(got), gmm_model_weights(ref), k);
            CHECK(w_err < 1e-6, "%s: weights near 1e9 off by %.3g",
                  gmm_covariance_type_name(TYPES[t]), w_err);
        }
        free(means);
        gmm_model_free(ref), gmm_model_free(got), gmm_model_free(start_model);
    }
    free(far), free(near);
}

static void test_sample_weights(void)
{
    size_t n = 600, d = 2, k = 3;
    double *X = blobs(n, d, k, 6.0, 0.0, 7);
    double *ones = malloc(n * sizeof *ones), *w = malloc(n * sizeof *w);
    size_t n_dup = 0;
    for (size_t i = 0; i < n; i++) {
        ones[i] = 1.0;
        w[i] = (double)(i % 3);  /* 0, 1, 2 */
        n_dup += i % 3;
    }
    double *dup = malloc(n_dup * d * sizeof *dup);
    size_t at = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < i % 3; r++, at++)
            memcpy(dup + at * d, X + i * d, d * sizeof *dup);

    for (size_t t = 0; t < 4; t++) {
        gmm_options o;
        gmm_options_init(&o);
        o.n_components = k;
        o.covariance_type = TYPES[t];
        gmm_model *plain = fit(&o, X, n, d, NULL);
        gmm_model *unit = fit(&o, X, n, d, ones);
        CHECK(plain && unit && same_params(plain, unit),
              "%s: unit weights differ from no weights", gmm_covariance_type_name(TYPES[t]));

        /* Integer weights == duplicated rows, from the same start. */
        o.max_iter = 0;
        gmm_model *start = fit(&o, dup, n_dup, d, NULL);
        o.max_iter = 50;
        o.tol = 0;
        o.weights_init = gmm_model_weights(start);
        o.means_init = gmm_model_means(start);
        o.covariances_init = gmm_model_covariances(start);
        gmm_model *weighted = fit(&o, X, n, d, w);
        gmm_model *duplicated = fit(&o, dup, n_dup, d, NULL);
        if (weighted && duplicated) {
            double err = max_rel_diff(gmm_model_covariances(weighted),
                                      gmm_model_covariances(duplicated),
                                      gmm_model_covariance_size(weighted));
            err = fmax(err, max_rel_diff(gmm_model_means(weighted),
                                         gmm_model_means(duplicated), k * d));
            CHECK(err < 1e-9, "%s: weighted fit differs from duplicated rows by %.3g",
                  gmm_covariance_type_name(TYPES[t]), err);
            CHECK(close_to(gmm_model_lower_bound(weighted),
                           gmm_model_lower_bound(duplicated), 1e-12, 1),
                  "weighted lower bound");
        }
        gmm_model_free(plain), gmm_model_free(unit), gmm_model_free(start);
        gmm_model_free(weighted), gmm_model_free(duplicated);
    }
    free(X), free(ones), free(w), free(dup);
}

static void test_warm_start_and_max_iter_zero(void)
{
    size_t n = 800, d = 3;
    double *X = blobs(n, d, 4, 3.0, 0.0, 9);
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = 4;
    o.tol = 0;
    o.max_iter = 10;
    gmm_model *straight = fit(&o, X, n, d, NULL);

    gmm_error err;
    o.max_iter = 4;
    gmm_model *warm = fit(&o, X, n, d, NULL);
    o.warm_start = 1;
    o.max_iter = 6;
    CHECK_OK(gmm_set_options(warm, &o, &err));
    CHECK_OK(gmm_fit(warm, X, n, d, NULL, &err));
    CHECK(gmm_model_n_iter(warm) == 6, "warm n_iter %d", gmm_model_n_iter(warm));
    size_t k = 4;
    CHECK(memcmp(gmm_model_means(warm), gmm_model_means(straight), k * d * sizeof(double)) == 0 &&
              gmm_model_lower_bound(warm) == gmm_model_lower_bound(straight),
          "4 + 6 warm-started iterations differ from 10");

    /* max_iter 0 keeps the initial parameters, as scikit-learn. */
    gmm_options z;
    gmm_options_init(&z);
    z.n_components = 4;
    z.max_iter = 0;
    gmm_model *zero = fit(&z, X, n, d, NULL);
    CHECK(zero && gmm_model_n_iter(zero) == 0 && !gmm_model_converged(zero) &&
              isinf(gmm_model_lower_bound(zero)) && gmm_model_lower_bound(zero) < 0,
          "max_iter 0: n_iter/converged/lower_bound");
    double *w = malloc(4 * sizeof *w);
    for (int i = 0; i < 4; i++)
        w[i] = 0.25;
    z.weights_init = w;
    gmm_model *explicit_w = fit(&z, X, n, d, NULL);
    CHECK(explicit_w && memcmp(gmm_model_weights(explicit_w), w, 4 * sizeof *w) == 0,
          "weights_init not used as given");
    gmm_model_free(straight), gmm_model_free(warm), gmm_model_free(zero);
    gmm_model_free(explicit_w);
    free(w), free(X);
}

static void test_init_methods_and_seeds(void)
{
    size_t n = 1000, d = 2;
    double *X = blobs(n, d, 3, 10.0, 0.0, 21);
    const gmm_init_method methods[] = {GMM_INIT_KMEANS, GMM_INIT_KMEANS_PLUSPLUS,
                                       GMM_INIT_RANDOM, GMM_INIT_RANDOM_FROM_DATA};
    for (size_t t = 0; t < 4; t++)
        for (size_t m = 0; m < 4; m++) {
            gmm_options o;
            gmm_options_init(&o);
            o.n_components = 3;
            o.covariance_type = TYPES[t];
            o.init_params = methods[m];
            o.seed = 42;
            gmm_model *a = fit(&o, X, n, d, NULL);
            gmm_model *b = fit(&o, X, n, d, NULL);
            CHECK(a && b && same_params(a, b), "%s/%s: same seed, different fit",
                  gmm_covariance_type_name(TYPES[t]), gmm_init_method_name(methods[m]));
            CHECK(a && isfinite(gmm_model_lower_bound(a)) && gmm_model_converged(a),
                  "%s/%s: did not converge", gmm_covariance_type_name(TYPES[t]),
                  gmm_init_method_name(methods[m]));
            gmm_model_free(a), gmm_model_free(b);
        }
    /* More restarts never end lower. */
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = 6;
    o.init_params = GMM_INIT_RANDOM_FROM_DATA;
    gmm_model *one = fit(&o, X, n, d, NULL);
    o.n_init = 6;
    gmm_model *six = fit(&o, X, n, d, NULL);
    CHECK(one && six && gmm_model_lower_bound(six) >= gmm_model_lower_bound(one),
          "n_init 6 lower bound %.17g < n_init 1 %.17g", gmm_model_lower_bound(six),
          gmm_model_lower_bound(one));
    gmm_model_free(one), gmm_model_free(six);
    free(X);
}

/* Counts the calls after EM iterations (the k-means initialization's
 * polls, n_iter 0, are not counted) and stops after the third. */
static int stop_at_three(const gmm_progress *p, void *user)
{
    if (p->n_iter > 0)
        ++*(int *)user;
    return p->n_iter == 3;
}

static void test_interrupt(void)
{
    size_t n = 500, d = 2;
    double *X = blobs(n, d, 2, 2.0, 0.0, 4);
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = 2;
    o.tol = 0;
    int calls = 0;
    o.progress = stop_at_three;
    o.progress_user_data = &calls;
    gmm_error err;
    gmm_model *m = gmm_model_new(&o, &err);
    CHECK(gmm_fit(m, X, n, d, NULL, &err) == GMM_ERR_INTERRUPTED, "not interrupted");
    CHECK(calls == 3 && !gmm_model_is_fitted(m), "interrupted fit changed the model");
    gmm_model_free(m);
    free(X);
}

/* Counts a fit's calls: polls (n_iter 0) and after EM iterations; asks
 * to stop at call number stop_at (0: never). */
typedef struct call_counter {
    int stop_at;
    int polls;
    int iterations;
} call_counter;

static int count_calls(const gmm_progress *p, void *user_data)
{
    call_counter *c = user_data;
    if (p->n_iter == 0)
        c->polls++;
    else
        c->iterations++;
    return c->stop_at > 0 && c->polls + c->iterations >= c->stop_at;
}

/* The kmeans and k-means++ initializations poll the progress callback
 * (gmm.h): a stop asked at the first poll ends the fit there, before any
 * EM iteration and without finishing k-means (on 4M rows the init alone
 * took minutes, and Ctrl-C waited for it). A callback that never stops
 * changes nothing; the random inits have no k-means to poll. */
static void test_interrupt_during_init(void)
{
    size_t n = 2000, d = 3, k = 5;
    double *X = blobs(n, d, k, 3.0, 0.0, 21);
    static const gmm_init_method inits[] = {
        GMM_INIT_KMEANS, GMM_INIT_KMEANS_PLUSPLUS, GMM_INIT_RANDOM,
        GMM_INIT_RANDOM_FROM_DATA};
    static const char *const names[] = {"kmeans", "k-means++", "random",
                                        "random_from_data"};
    for (int i = 0; i < 4; i++) {
        gmm_options o;
        gmm_options_init(&o);
        o.n_components = k;
        o.n_init = 2;
        o.n_threads = 2;
        o.init_params = inits[i];
        gmm_model *plain = fit(&o, X, n, d, NULL);
        call_counter never = {0, 0, 0};
        o.progress = count_calls;
        o.progress_user_data = &never;
        gmm_model *polled = fit(&o, X, n, d, NULL);
        CHECK(plain && polled && same_params(plain, polled),
              "%s: a progress callback changed the fit", names[i]);
        /* kmeans: n_init x 3 candidate runs, each K seeds and at least one
         * Lloyd iteration; k-means++: K seeds per initialization. */
        int least = i == 0 ? 2 * 3 * (int)(k + 1) : i == 1 ? 2 * (int)k : 0;
        CHECK(i < 2 ? never.polls >= least : never.polls == 0,
              "%s: %d polls during initialization, expected %s %d", names[i],
              never.polls, i < 2 ? "at least" : "", least);
        if (i < 2) {
            call_counter first = {1, 0, 0};
            o.progress_user_data = &first;
            gmm_error err;
            gmm_model *m = gmm_model_new(&o, &err);
            gmm_status status = gmm_fit(m, X, n, d, NULL, &err);
            CHECK(status == GMM_ERR_INTERRUPTED && first.polls == 1 &&
                      first.iterations == 0 && !gmm_model_is_fitted(m),
                  "%s: a stop at the first poll: %s after %d polls and %d "
                  "iterations", names[i], gmm_strerror(status), first.polls,
                  first.iterations);
            gmm_model_free(m);
        }
        gmm_model_free(plain);
        gmm_model_free(polled);
    }
    free(X);
}

int main(void)
{
    test_thread_count_invariance();
    test_far_from_origin();
    test_sample_weights();
    test_warm_start_and_max_iter_zero();
    test_init_methods_and_seeds();
    test_interrupt();
    test_interrupt_during_init();
    printf("test_fit: %d failures\n", check_failures());
    return check_failures() != 0;
}
