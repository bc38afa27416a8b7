/*
 * test_bayes.c — variational fits (weight_prior) beyond the reference
 * cases: a fit from the library's own initialization, the lower bound
 * non-decreasing over iterations, results independent of the thread
 * count, relative sample weights, the posterior
 * getter, and the errors for bad priors and unsupported combinations.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "gmm.h"

static gmm_options bayes_options(gmm_covariance_type type, gmm_weight_prior prior)
{
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = 6;
    o.covariance_type = type;
    o.weight_prior = prior;
    o.max_iter = 200;
    return o;
}

typedef struct bound_trace {
    double previous;
    int decreases;
} bound_trace;

static int watch_bound(const gmm_progress *p, void *user)
{
    bound_trace *t = user;
    if (p->n_iter > 1 && p->lower_bound < t->previous - 1e-9 * fabs(t->previous))
        t->decreases++;
    if (p->n_iter > 0)
        t->previous = p->lower_bound;
    return 0;
}

static gmm_model *fit(const gmm_options *o, const double *X, size_t n, size_t d,
                      const double *w, gmm_status *status, gmm_error *err)
{
    gmm_model *m = gmm_model_new(o, err);
    *status = m ? gmm_fit(m, X, n, d, w, err) : err->status;
    return m;
}

static int same(const double *a, const double *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

static void test_fits(void)
{
    size_t n = 1200, d = 3;
    double *X = blobs(n, d, 3, 6.0, 10.0, 7);
    for (int t = 0; t < 4; t++)
        for (int prior = 1; prior <= 2; prior++) {
            gmm_options o = bayes_options((gmm_covariance_type)t, (gmm_weight_prior)prior);
            bound_trace trace = {0, 0};
            o.progress = watch_bound;
            o.progress_user_data = &trace;
            o.n_threads = 1;
            gmm_error err;
            gmm_status st;
            gmm_model *a = fit(&o, X, n, d, NULL, &st, &err);
            CHECK(st == GMM_OK, "type %d prior %d: %s", t, prior, err.message);
            CHECK(trace.decreases == 0, "type %d prior %d: lower bound fell %d times",
                  t, prior, trace.decreases);
            o.progress = NULL;
            o.n_threads = 3;
            gmm_model *b = fit(&o, X, n, d, NULL, &st, &err);
            CHECK(st == GMM_OK, "threads: %s", err.message);
            if (a && b && gmm_model_is_fitted(a) && gmm_model_is_fitted(b)) {
                size_t k = o.n_components;
                CHECK(gmm_model_lower_bound(a) == gmm_model_lower_bound(b) &&
                          same(gmm_model_means(a), gmm_model_means(b), k * d) &&
                          same(gmm_model_covariances(a), gmm_model_covariances(b),
                               gmm_model_covariance_size(a)),
                      "type %d prior %d: 1 and 3 threads differ", t, prior);
                double total = 0.0;
                for (size_t c = 0; c < k; c++)
                    total += gmm_model_weights(a)[c];
                CHECK(fabs(total - 1.0) < 1e-12, "weights sum to %.17g", total);
                gmm_posterior post;
                gmm_model_posterior(a, &post);
                CHECK(post.weight_prior == (gmm_weight_prior)prior && post.mean_precision &&
                          post.mean_precision_prior == 1.0 &&
                          post.degrees_of_freedom_prior == (double)d &&
                          fabs(post.weight_concentration_prior - 1.0 / 6) < 1e-17,
                      "type %d prior %d: posterior", t, prior);
            }
            gmm_model_free(a);
            gmm_model_free(b);
        }
    free(X);
}

/* Sample weights are relative (rescaled to sum to the number of rows, as
 * gmm.h says): equal weights are the unweighted fit, bit for bit, and
 * weights that leave rows out change it. */
static void test_weights(void)
{
    size_t n = 300, d = 2;
    double *X = blobs(n, d, 3, 5.0, 0.0, 3);
    double *weights = malloc(n * sizeof *weights);
    for (size_t i = 0; i < n; i++)
        weights[i] = 3.7;
    gmm_options o = bayes_options(GMM_COVARIANCE_FULL, GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS);
    o.tol = 0.0;
    o.max_iter = 30;
    gmm_error err;
    gmm_status s1, s2, s3;
    gmm_model *a = fit(&o, X, n, d, weights, &s1, &err);
    gmm_model *b = fit(&o, X, n, d, NULL, &s2, &err);
    for (size_t i = 0; i < n; i++)
        weights[i] = (double)(i % 2);
    gmm_model *c = fit(&o, X, n, d, weights, &s3, &err);
    CHECK(s1 == GMM_OK && s2 == GMM_OK && s3 == GMM_OK, "weights: %s", err.message);
    if (s1 == GMM_OK && s2 == GMM_OK && s3 == GMM_OK) {
        CHECK(gmm_model_lower_bound(a) == gmm_model_lower_bound(b) &&
                  same(gmm_model_means(a), gmm_model_means(b), o.n_components * d),
              "equal weights: %.17g, unweighted %.17g", gmm_model_lower_bound(a),
              gmm_model_lower_bound(b));
        CHECK(gmm_model_lower_bound(c) != gmm_model_lower_bound(b),
              "zero weights changed nothing");
    }
    gmm_model_free(a);
    gmm_model_free(b);
    gmm_model_free(c);
    free(X), free(weights);
}

static void expect_error(const gmm_options *o, const double *X, size_t n, size_t d,
                         gmm_status want, const char *needle)
{
    gmm_error err;
    gmm_status st;
    gmm_model *m = fit(o, X, n, d, NULL, &st, &err);
    CHECK(st == want && strstr(err.message, needle),
          "want %s with '%s', got %s: %s", gmm_strerror(want), needle,
          gmm_strerror(st), err.message);
    gmm_model_free(m);
}

static void test_errors(void)
{
    size_t n = 200, d = 2;
    double *X = blobs(n, d, 2, 5.0, 0.0, 5);
    gmm_options base = bayes_options(GMM_COVARIANCE_FULL, GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS), o;
    o = base, o.weight_concentration_prior = -1.0;
    expect_error(&o, X, n, d, GMM_ERR_INVALID, "weight_concentration_prior");
    o = base, o.mean_precision_prior = 0.0;
    expect_error(&o, X, n, d, GMM_ERR_INVALID, "mean_precision_prior");
    o = base, o.degrees_of_freedom_prior = 0.5;
    expect_error(&o, X, n, d, GMM_ERR_INVALID,
                 "The parameter 'degrees_of_freedom_prior' should be greater than 1, but got 0.500.");
    double bad_cov[4] = {1.0, 2.0, 2.0, 1.0}, nan_mean[2] = {0.0, NAN};
    o = base, o.covariance_prior = bad_cov;
    expect_error(&o, X, n, d, GMM_ERR_INVALID, "covariance_prior");
    double neg_var = -1.0;
    o = base, o.covariance_type = GMM_COVARIANCE_SPHERICAL, o.covariance_prior = &neg_var;
    expect_error(&o, X, n, d, GMM_ERR_INVALID, "covariance_prior");
    o = base, o.mean_prior = nan_mean;
    expect_error(&o, X, n, d, GMM_ERR_INVALID, "mean_prior");
    o = base, o.dtype = GMM_DTYPE_FLOAT32;
    expect_error(&o, X, n, d, GMM_ERR_INVALID, "float64 only");
    double w0[6] = {1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6};
    o = base, o.weights_init = w0;
    expect_error(&o, X, n, d, GMM_ERR_INVALID, "weights_init");
    o = base, o.weight_prior = (gmm_weight_prior)7;
    expect_error(&o, X, n, d, GMM_ERR_INVALID, "weight_prior");

    /* A warm start keeps the weight prior it was fitted with. */
    gmm_options em;
    gmm_options_init(&em);
    em.n_components = 2;
    gmm_error err;
    gmm_status st;
    gmm_model *m = fit(&em, X, n, d, NULL, &st, &err);
    gmm_posterior post;
    gmm_model_posterior(m, &post);
    CHECK(post.weight_prior == GMM_WEIGHT_PRIOR_NONE && !post.weight_concentration &&
              isnan(post.mean_precision_prior), "an EM model has no posterior");
    em.warm_start = 1;
    em.weight_prior = GMM_WEIGHT_PRIOR_DIRICHLET_DISTRIBUTION;
    CHECK_OK(gmm_set_options(m, &em, &err));
    st = gmm_fit(m, X, n, d, NULL, &err);
    CHECK(st == GMM_ERR_INVALID && strstr(err.message, "weight prior none"),
          "warm start across priors: %s", err.message);
    gmm_model_free(m);

    /* The statistics API's M-step is EM's: refused on a variational model. */
    gmm_options vb = base;
    gmm_model *v = fit(&vb, X, n, d, NULL, &st, &err);
    gmm_stats *stats = v ? gmm_stats_new(vb.n_components, d, vb.covariance_type, &err) : NULL;
    CHECK(stats && gmm_stats_accumulate(stats, v, X, n, d, NULL, &err) == GMM_OK,
          "accumulate under a variational model: %s", err.message);
    CHECK(stats && gmm_stats_mstep(v, stats, &err) == GMM_ERR_INVALID,
          "gmm_stats_mstep on a variational model: %s", err.message);
    gmm_stats_free(stats);
    gmm_model_free(v);

    gmm_weight_prior p;
    CHECK(gmm_weight_prior_parse("dirichlet_distribution", &p) == GMM_OK &&
              p == GMM_WEIGHT_PRIOR_DIRICHLET_DISTRIBUTION, "parse");
    CHECK(gmm_weight_prior_parse("dirichlet", &p) == GMM_ERR_INVALID, "parse unknown");
    CHECK(strcmp(gmm_weight_prior_name(GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS),
                 "dirichlet_process") == 0, "name");
    free(X);
}

/* The model file carries the posterior: written, read and written again
 * it is the same text, and the model read back predicts and scores as
 * the fitted one, bit for bit. */
static void test_model_file(void)
{
    size_t n = 500, d = 2;
    double *X = blobs(n, d, 3, 6.0, 0.0, 11);
    for (int t = 0; t < 4; t++)
        for (int prior = 1; prior <= 2; prior++) {
            gmm_options o = bayes_options((gmm_covariance_type)t, (gmm_weight_prior)prior);
            gmm_error err;
            gmm_status st;
            gmm_model *a = fit(&o, X, n, d, NULL, &st, &err);
            CHECK(st == GMM_OK, "fit: %s", err.message);
            char *text = a ? gmm_model_to_json(a, &err) : NULL;
            gmm_model *b = text ? gmm_model_from_json(text, strlen(text), "m", &err) : NULL;
            CHECK(b != NULL, "type %d prior %d: read back: %s", t, prior, err.message);
            char *again = b ? gmm_model_to_json(b, &err) : NULL;
            CHECK(again && strcmp(text, again) == 0, "type %d prior %d: not the same text",
                  t, prior);
            double *la = malloc(n * sizeof *la), *lb = malloc(n * sizeof *lb);
            if (b) {
                CHECK_OK(gmm_score_samples(a, X, n, d, la, &err));
                CHECK_OK(gmm_score_samples(b, X, n, d, lb, &err));
                CHECK(same(la, lb, n), "type %d prior %d: scores differ", t, prior);
                gmm_posterior post;
                gmm_model_posterior(b, &post);
                CHECK(post.weight_prior == (gmm_weight_prior)prior &&
                          gmm_model_options(b)->weight_prior == (gmm_weight_prior)prior,
                      "type %d prior %d: the prior read back", t, prior);
            }
            free(la), free(lb), free(text), free(again);
            gmm_model_free(a);
            gmm_model_free(b);
        }
    free(X);
}

/* gmm_fit_columns: column c's model is gmm_fit's on column c, bit for
 * bit, for any thread count; a column that cannot be fitted gets its
 * status and no model. */
static void test_fit_columns(void)
{
    size_t n = 700, n_cols = 7;
    double *X = blobs(n, n_cols, 3, 6.0, 2.0, 21);
    X[5 * n_cols + 4] = NAN;  /* column 4 cannot be fitted */
    gmm_options o = bayes_options(GMM_COVARIANCE_FULL, GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS);
    o.n_components = 10;
    o.weight_concentration_prior = 0.001;
    double *column = malloc(n * sizeof *column);
    gmm_model *models[7];
    gmm_status statuses[7];
    gmm_error err;
    for (int threads = 1; threads <= 3; threads += 2) {
        o.n_threads = threads;
        CHECK_OK(gmm_fit_columns(&o, X, n, n_cols, NULL, models, statuses, &err));
        for (size_t c = 0; c < n_cols; c++) {
            if (c == 4) {
                CHECK(statuses[c] == GMM_ERR_DATA && !models[c],
                      "the column with a NaN: status %d", statuses[c]);
                continue;
            }
            for (size_t i = 0; i < n; i++)
                column[i] = X[i * n_cols + c];
            gmm_options single = o;
            single.n_threads = 1;
            gmm_status st;
            gmm_model *alone = fit(&single, column, n, 1, NULL, &st, &err);
            CHECK(statuses[c] == GMM_OK && st == GMM_OK && models[c], "column %zu", c);
            if (models[c] && st == GMM_OK)
                CHECK(gmm_model_lower_bound(models[c]) == gmm_model_lower_bound(alone) &&
                          same(gmm_model_weights(models[c]), gmm_model_weights(alone), 10) &&
                          same(gmm_model_means(models[c]), gmm_model_means(alone), 10) &&
                          gmm_model_n_iter(models[c]) == gmm_model_n_iter(alone),
                      "%d threads: column %zu differs from its own fit", threads, c);
            gmm_model_free(alone);
            gmm_model_free(models[c]);
        }
    }
    o.weight_concentration_prior = -1.0;
    CHECK(gmm_fit_columns(&o, X, n, n_cols, NULL, models, NULL, &err) == GMM_ERR_INVALID &&
              !models[0], "bad options fail the call: %s", err.message);
    free(X), free(column);
}

int main(void)
{
    test_fit_columns();
    test_model_file();
    test_fits();
    test_weights();
    test_errors();
    printf("%d failures\n", check_failures());
    return check_failures() != 0;
}
