/*
 * test_model.c — models from explicit parameters, their validation, the
 * errors a fit reports, sampling, parameter counts, and the covariance
 * types' layouts.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "gmm.h"

static int contains(const char *haystack, const char *needle)
{
    return strstr(haystack, needle) != NULL;
}

static void test_from_params_validation(void)
{
    gmm_error err;
    const double w[2] = {0.3, 0.7}, means[4] = {0, 0, 5, 5};
    const double cov[8] = {1, 0.5, 0.5, 2, 1, 0, 0, 1};
    gmm_model *m = gmm_model_from_params(2, 2, GMM_COVARIANCE_FULL, w, means, cov, &err);
    CHECK(m && gmm_model_is_fitted(m), "valid params rejected: %s", err.message);
    CHECK(m && gmm_n_parameters(m) == 2 * 3 + 4 + 1, "full n_parameters %zu",
          gmm_n_parameters(m));
    gmm_model_free(m);

    const double bad_w[2] = {0.3, 0.6};
    CHECK(!gmm_model_from_params(2, 2, GMM_COVARIANCE_FULL, bad_w, means, cov, &err) &&
              err.status == GMM_ERR_INVALID && contains(err.message, "sum to 1"),
          "weights summing to 0.9: %s", err.message);
    const double neg_w[2] = {-0.1, 1.1};
    CHECK(!gmm_model_from_params(2, 2, GMM_COVARIANCE_FULL, neg_w, means, cov, &err) &&
              contains(err.message, "[0, 1]"), "negative weight: %s", err.message);
    /* scikit-learn's initial weight of one component on 5 rows,
     * (5 + 10 eps) / 5, is an ulp above 1: a model saved before any M-step
     * holds it and must load. 1.001 is no rounding. */
    const double one_up[1] = {1.0000000000000004}, one_cov[4] = {1, 0, 0, 1};
    m = gmm_model_from_params(1, 2, GMM_COVARIANCE_FULL, one_up, means, one_cov,
                              &err);
    CHECK(m != NULL, "weight 1 + ulp rejected: %s", err.message);
    gmm_model_free(m);
    const double too_big[1] = {1.001};
    CHECK(!gmm_model_from_params(1, 2, GMM_COVARIANCE_FULL, too_big, means,
                                 one_cov, &err) && contains(err.message, "[0, 1]"),
          "weight 1.001: %s", err.message);
    const double asym[8] = {1, 0.5, 0.4, 2, 1, 0, 0, 1};
    CHECK(!gmm_model_from_params(2, 2, GMM_COVARIANCE_FULL, w, means, asym, &err) &&
              contains(err.message, "not symmetric") && contains(err.message, "component 0"),
          "asymmetric: %s", err.message);
    const double not_pd[8] = {1, 0, 0, 1, 1, 2, 2, 1};
    CHECK(!gmm_model_from_params(2, 2, GMM_COVARIANCE_FULL, w, means, not_pd, &err) &&
              contains(err.message, "positive definite") && contains(err.message, "component 1"),
          "not PD: %s", err.message);
    const double nan_means[4] = {0, NAN, 5, 5};
    CHECK(!gmm_model_from_params(2, 2, GMM_COVARIANCE_FULL, w, nan_means, cov, &err) &&
              contains(err.message, "means"), "NaN mean: %s", err.message);
    const double diag[4] = {1, 2, 0, 1};
    CHECK(!gmm_model_from_params(2, 2, GMM_COVARIANCE_DIAG, w, means, diag, &err) &&
              contains(err.message, "positive"), "zero variance: %s", err.message);

    /* Counts as scikit-learn's _n_parameters. */
    const double tied[4] = {1, 0, 0, 1}, sph[2] = {1, 2};
    m = gmm_model_from_params(2, 2, GMM_COVARIANCE_TIED, w, means, tied, &err);
    CHECK(m && gmm_n_parameters(m) == 3 + 4 + 1, "tied n_parameters");
    gmm_model_free(m);
    m = gmm_model_from_params(2, 2, GMM_COVARIANCE_DIAG, w, means, cov, &err);
    CHECK(m && gmm_n_parameters(m) == 4 + 4 + 1, "diag n_parameters");
    gmm_model_free(m);
    m = gmm_model_from_params(2, 2, GMM_COVARIANCE_SPHERICAL, w, means, sph, &err);
    CHECK(m && gmm_n_parameters(m) == 2 + 4 + 1, "spherical n_parameters");
    gmm_model_free(m);
}

static void test_fit_errors(void)
{
    gmm_error err;
    gmm_options o;
    gmm_options_init(&o);
    o.tol = -1;
    CHECK(!gmm_model_new(&o, &err) && err.status == GMM_ERR_INVALID &&
              contains(err.message, "tol"), "negative tol: %s", err.message);
    gmm_options_init(&o);
    o.n_init = 0;
    CHECK(!gmm_model_new(&o, &err) && contains(err.message, "n_init"), "n_init 0");
    gmm_options_init(&o);
    o.n_components = 0;
    CHECK(!gmm_model_new(&o, &err) && contains(err.message, "n_components"), "K 0");

    double X[12] = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    gmm_options_init(&o);
    o.n_components = 7;
    gmm_model *m = gmm_model_new(&o, &err);
    CHECK(gmm_fit(m, X, 6, 2, NULL, &err) == GMM_ERR_DATA &&
              contains(err.message, "n_components = 7, n_samples = 6"),
          "K > N: %s", err.message);
    gmm_model_free(m);

    gmm_options_init(&o);
    m = gmm_model_new(&o, &err);
    CHECK(gmm_fit(m, X, 1, 2, NULL, &err) == GMM_ERR_DATA, "one row accepted");
    X[7] = NAN;
    CHECK(gmm_fit(m, X, 6, 2, NULL, &err) == GMM_ERR_DATA &&
              contains(err.message, "row 3, column 1"), "NaN: %s", err.message);
    X[7] = 3;
    double w[6] = {1, 1, -1, 1, 1, 1};
    CHECK(gmm_fit(m, X, 6, 2, w, &err) == GMM_ERR_DATA &&
              contains(err.message, "sample weight 2"), "negative weight: %s", err.message);
    double zero_w[6] = {0};
    CHECK(gmm_fit(m, X, 6, 2, zero_w, &err) == GMM_ERR_DATA, "all-zero weights");
    int labels[6];
    CHECK(gmm_predict(m, X, 6, 2, labels, &err) == GMM_ERR_NOT_FITTED, "predict unfitted");
    gmm_model_free(m);

    /* A component collapsing onto repeated points with reg_covar 0: a
     * numerical error naming a component and the remedy, never NaN. */
    double Y[40];
    for (int i = 0; i < 10; i++) {
        Y[2 * i] = 1.0, Y[2 * i + 1] = 2.0;
        Y[20 + 2 * i] = 10.0 + i, Y[21 + 2 * i] = (double)(i * i % 7);
    }
    gmm_options_init(&o);
    o.n_components = 2;
    o.reg_covar = 0;
    m = gmm_model_new(&o, &err);
    CHECK(gmm_fit(m, Y, 20, 2, NULL, &err) == GMM_ERR_NUMERIC &&
              contains(err.message, "component") && contains(err.message, "reg_covar"),
          "collapse: %s", err.message);
    CHECK(!gmm_model_is_fitted(m), "failed fit left parameters");
    gmm_model_free(m);
    o.reg_covar = 1e-6;
    m = gmm_model_new(&o, &err);
    CHECK(gmm_fit(m, Y, 20, 2, NULL, &err) == GMM_OK, "reg_covar should rescue: %s",
          err.message);
    gmm_model_free(m);

    /* Explicit initial parameters are checked against the data's shape. */
    gmm_options_init(&o);
    o.n_components = 2;
    const double bad_cov[8] = {1, 0, 0, -1, 1, 0, 0, 1};
    o.covariances_init = bad_cov;
    m = gmm_model_new(&o, &err);
    CHECK(gmm_fit(m, Y, 20, 2, NULL, &err) == GMM_ERR_INVALID &&
              contains(err.message, "covariances_init"), "bad init: %s", err.message);
    gmm_model_free(m);
}

static void test_sample(void)
{
    gmm_error err;
    const double w[2] = {0.25, 0.75}, means[4] = {-5, 1, 5, 2};
    const double cov[8] = {1, 0.8, 0.8, 1, 2, 0, 0, 0.5};
    gmm_model *m = gmm_model_from_params(2, 2, GMM_COVARIANCE_FULL, w, means, cov, &err);
    size_t n = 40000;
    double *X = malloc(n * 2 * sizeof *X), *Y = malloc(n * 2 * sizeof *Y);
    int *labels = malloc(n * sizeof *labels);
    CHECK_OK(gmm_sample(m, n, 7, X, labels, &err));
    CHECK_OK(gmm_sample(m, n, 7, Y, NULL, &err));
    CHECK(memcmp(X, Y, n * 2 * sizeof *X) == 0, "same seed, different samples");
    size_t count0 = 0;
    double sum[2] = {0}, cross = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK(i == 0 || labels[i] >= labels[i - 1], "labels not grouped");
        if (labels[i] == 0) {
            count0++;
            sum[0] += X[2 * i], sum[1] += X[2 * i + 1];
            cross += (X[2 * i] + 5) * (X[2 * i + 1] - 1);
        }
    }
    CHECK(fabs((double)count0 / n - 0.25) < 0.01, "component 0 share %g", (double)count0 / n);
    CHECK(fabs(sum[0] / count0 + 5) < 0.05 && fabs(sum[1] / count0 - 1) < 0.05,
          "component 0 mean (%g, %g)", sum[0] / count0, sum[1] / count0);
    CHECK(fabs(cross / count0 - 0.8) < 0.05, "component 0 covariance %g", cross / count0);
    CHECK(gmm_sample(m, 0, 1, X, NULL, &err) == GMM_ERR_INVALID, "zero samples");

    /* A fit on the samples finds the model again. */
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = 2;
    gmm_model *fitted = gmm_model_new(&o, &err);
    CHECK_OK(gmm_fit(fitted, X, n, 2, NULL, &err));
    const double *fw = gmm_model_weights(fitted);
    double w0 = gmm_model_means(fitted)[0] < 0 ? fw[0] : fw[1];
    CHECK(fabs(w0 - 0.25) < 0.01, "refit weight %g", w0);
    gmm_model_free(fitted);
    gmm_model_free(m);
    free(X), free(Y), free(labels);
}

static void test_predict_semantics(void)
{
    gmm_error err;
    const double w[2] = {0.5, 0.5}, means[4] = {0, 0, 2, 0};
    const double var[2] = {1, 1};
    gmm_model *m = gmm_model_from_params(2, 2, GMM_COVARIANCE_SPHERICAL, w, means, var, &err);
    /* (1, 0) is equally likely under both: ties go to component 0. */
    double X[4] = {1, 0, 1.5, 0};
    int labels[2];
    double proba[4], log_prob[2], score;
    CHECK_OK(gmm_predict(m, X, 2, 2, labels, &err));
    CHECK(labels[0] == 0 && labels[1] == 1, "labels %d %d", labels[0], labels[1]);
    CHECK_OK(gmm_predict_proba(m, X, 2, 2, proba, &err));
    CHECK(proba[0] == 0.5 && fabs(proba[2] + proba[3] - 1) < 1e-15, "proba");
    CHECK_OK(gmm_score_samples(m, X, 2, 2, log_prob, &err));
    /* log p((1,0)) = log N((1,0) | 0, I) = -log(2 pi) - 1/2. */
    const double log_2pi = 1.8378770664093455;
    CHECK(close_to(log_prob[0], -log_2pi - 0.5, 1e-15, 1), "log p %.17g", log_prob[0]);
    CHECK_OK(gmm_score(m, X, 2, 2, &score, &err));
    CHECK(close_to(score, (log_prob[0] + log_prob[1]) / 2, 1e-15, 1), "score");
    gmm_model_free(m);
}

/* Every call that takes data takes its width: a 4 x 3 array given to a
 * 2-feature model fails with GMM_ERR_DATA naming both widths (it was once
 * read as 6 x 2 and returned labels). */
static int names_widths(const gmm_error *err)
{
    return err->status == GMM_ERR_DATA && strstr(err->message, "3 features") &&
           strstr(err->message, "expecting 2");
}

static void test_width_checked(void)
{
    gmm_error err;
    const double w[2] = {0.5, 0.5}, means[4] = {0, 0, 2, 0};
    const double var[2] = {1, 1};
    gmm_model *m = gmm_model_from_params(2, 2, GMM_COVARIANCE_SPHERICAL, w,
                                         means, var, &err);
    const double X[12] = {1, 0, 1.5, 0, 2, 1, 3, 1, 0, 0, 1, 1};
    int labels[6] = {0};
    double out[12] = {0}, value = 0.0;
    CHECK(gmm_predict(m, X, 4, 3, labels, &err) != GMM_OK && names_widths(&err),
          "predict: %s", err.message);
    CHECK(gmm_predict_proba(m, X, 4, 3, out, &err) != GMM_OK &&
              names_widths(&err), "predict_proba: %s", err.message);
    CHECK(gmm_score_samples(m, X, 4, 3, out, &err) != GMM_OK &&
              names_widths(&err), "score_samples: %s", err.message);
    CHECK(gmm_score(m, X, 4, 3, &value, &err) != GMM_OK && names_widths(&err),
          "score: %s", err.message);
    CHECK(gmm_bic(m, X, 4, 3, &value, &err) != GMM_OK && names_widths(&err),
          "bic: %s", err.message);
    CHECK(gmm_aic(m, X, 4, 3, &value, &err) != GMM_OK && names_widths(&err),
          "aic: %s", err.message);
    /* Nothing was written on the way. */
    for (size_t i = 0; i < 12; i++)
        CHECK(out[i] == 0.0 && (i >= 6 || labels[i] == 0), "output %zu written",
              i);
    /* The right width still works. */
    CHECK_OK(gmm_predict(m, X, 6, 2, labels, &err));
    gmm_model_free(m);
}

/* The finite check runs over blocks of rows on several threads: the
 * message names the first bad value in row order wherever the blocks
 * were done, for fit, predict and k-means prediction alike (one check). */
static void test_first_bad_value(void)
{
    enum { N = 200000, D = 2 }; /* enough rows for threads (rows/runner.h) */
    double *X = malloc(N * D * sizeof *X), *log_prob = malloc(N * sizeof *log_prob);
    int *labels = malloc(N * sizeof *labels);
    if (!X || !log_prob || !labels) {
        CHECK(0, "out of memory");
        free(X), free(log_prob), free(labels);
        return;
    }
    for (size_t i = 0; i < N * D; i++)
        X[i] = (double)(i % 7);
    X[2 * 191234] = INFINITY;
    X[2 * 30001 + 1] = NAN;  /* a block before, second column */
    X[2 * 77] = -INFINITY;   /* the first block: the first of all */
    const double w[2] = {0.5, 0.5}, means[4] = {0, 0, 3, 3}, var[2] = {1, 1};
    gmm_error err;
    gmm_options o;
    gmm_options_init(&o);
    o.n_threads = 2;
    gmm_model *m = gmm_model_new(&o, &err);
    CHECK(gmm_fit(m, X, N, D, NULL, &err) == GMM_ERR_DATA &&
              contains(err.message, "row 77, column 0 is -inf"), "fit: %s",
          err.message);
    gmm_model_free(m);
    m = gmm_model_from_params(2, D, GMM_COVARIANCE_SPHERICAL, w, means, var,
                              &err);
    CHECK(gmm_predict(m, X, N, D, labels, &err) == GMM_ERR_DATA &&
              contains(err.message, "row 77, column 0"), "predict: %s",
          err.message);
    X[2 * 77] = 0;
    CHECK(gmm_score_samples(m, X, N, D, log_prob, &err) == GMM_ERR_DATA &&
              contains(err.message, "row 30001, column 1 is nan"),
          "score_samples: %s", err.message);
    X[2 * 30001 + 1] = 0;
    CHECK(gmm_kmeans_predict(means, 2, X, N, D, 2, labels, NULL, &err) ==
              GMM_ERR_DATA && contains(err.message, "row 191234, column 0 is inf"),
          "kmeans_predict: %s", err.message);
    gmm_model_free(m);
    free(X), free(log_prob), free(labels);
}

/* Each type's layout (gmm_covariance_type_layout) is scikit-learn's
 * storage, and says the size, the parameter count and the shape the model
 * gives. */
static void test_covariance_layouts(void)
{
    static const struct {
        gmm_covariance_type type;
        const char *name;
        gmm_covariance_layout layout;
    } expected[] = {
        {GMM_COVARIANCE_FULL, "full", {GMM_COVARIANCE_BLOCK_MATRIX, 0}},
        {GMM_COVARIANCE_TIED, "tied", {GMM_COVARIANCE_BLOCK_MATRIX, 1}},
        {GMM_COVARIANCE_DIAG, "diag", {GMM_COVARIANCE_BLOCK_DIAGONAL, 0}},
        {GMM_COVARIANCE_SPHERICAL, "spherical", {GMM_COVARIANCE_BLOCK_SCALAR, 0}},
    };
    const size_t k = 3, d = 4;
    const double w[3] = {0.25, 0.25, 0.5}, means[12] = {0};
    double cov[48] = {0};
    for (size_t t = 0; t < sizeof expected / sizeof expected[0]; t++) {
        gmm_covariance_layout layout = {GMM_COVARIANCE_BLOCK_SCALAR, 7};
        gmm_covariance_type parsed;
        CHECK_OK(gmm_covariance_type_layout(expected[t].type, &layout));
        CHECK(layout.block == expected[t].layout.block &&
                  layout.shared == expected[t].layout.shared,
              "%s: layout %d/%d", expected[t].name, (int)layout.block,
              layout.shared);
        CHECK(strcmp(gmm_covariance_type_name(expected[t].type),
                     expected[t].name) == 0 &&
                  gmm_covariance_type_parse(expected[t].name, &parsed) == GMM_OK &&
                  parsed == expected[t].type, "%s: name", expected[t].name);
        /* Identity blocks of the layout make a valid model of the type. */
        size_t per_block = layout.block == GMM_COVARIANCE_BLOCK_MATRIX ? d * d
                           : layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL ? d : 1;
        size_t n_blocks = layout.shared ? 1 : k;
        for (size_t i = 0; i < n_blocks * per_block; i++)
            cov[i] = layout.block != GMM_COVARIANCE_BLOCK_MATRIX ||
                     (i % per_block) % (d + 1) == 0;
        gmm_error err;
        gmm_model *m = gmm_model_from_params(k, d, expected[t].type, w, means,
                                             cov, &err);
        CHECK(m != NULL, "%s: %s", expected[t].name, err.message);
        if (!m)
            continue;
        CHECK(gmm_model_covariance_size(m) == n_blocks * per_block,
              "%s: size %zu", expected[t].name, gmm_model_covariance_size(m));
        size_t free_per_block = layout.block == GMM_COVARIANCE_BLOCK_MATRIX
                                    ? d * (d + 1) / 2 : per_block;
        CHECK(gmm_n_parameters(m) == n_blocks * free_per_block + k * d + k - 1,
              "%s: %zu parameters", expected[t].name, gmm_n_parameters(m));
        gmm_model_free(m);
    }
    gmm_covariance_layout layout;
    CHECK(gmm_covariance_type_layout((gmm_covariance_type)GMM_N_COVARIANCE_TYPES, &layout) ==
              GMM_ERR_INVALID, "an unknown type has a layout");
    CHECK(strcmp(gmm_covariance_type_name((gmm_covariance_type)GMM_N_COVARIANCE_TYPES), "unknown") == 0,
          "an unknown type has a name");
}

int main(void)
{
    test_from_params_validation();
    test_fit_errors();
    test_sample();
    test_predict_semantics();
    test_width_checked();
    test_covariance_layouts();
    test_first_bad_value();
    printf("test_model: %d failures\n", check_failures());
    return check_failures() != 0;
}
