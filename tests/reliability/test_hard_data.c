/*
 * test_hard_data.c — data that is legal but hard: duplicate rows, a
 * constant feature, D = 1, K = 1, N = K, values near 1e300 and 1e-300,
 * features whose scales are 1e9 apart. Each either fits (every parameter
 * finite, predict_proba rows summing to 1, scores finite) or fails with
 * GMM_ERR_NUMERIC and a message naming the component, never a NaN model,
 * a crash or a silently wrong answer. Every case runs for every
 * covariance type.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/check.h"
#include "../core/data.h"
#include "gmm.h"

/* What a case allows: fit, fit or fail with GMM_ERR_NUMERIC naming the
 * covariance at fault, or fail saying the data's spread overflows. */
enum outcome { MUST_FIT, FIT_OR_NUMERIC, OVERFLOWS };

static int all_finite(const double *values, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!isfinite(values[i]))
            return 0;
    return 1;
}

/* Everything a fitted model hands out is finite, probabilities sum to 1,
 * and the model file round-trips without a NaN (JSON has none). */
static void check_fitted(const char *name, gmm_model *model, const double *X,
                         size_t n, size_t d)
{
    size_t k = gmm_model_n_components(model);
    CHECK(all_finite(gmm_model_weights(model), k), "%s: weights", name);
    CHECK(all_finite(gmm_model_means(model), k * d), "%s: means", name);
    CHECK(all_finite(gmm_model_covariances(model),
                     gmm_model_covariance_size(model)),
          "%s: covariances", name);
    CHECK(all_finite(gmm_model_precisions_cholesky(model),
                     gmm_model_covariance_size(model)),
          "%s: precisions", name);
    CHECK(isfinite(gmm_model_lower_bound(model)), "%s: lower bound %g", name,
          gmm_model_lower_bound(model));

    double *proba = malloc(n * k * sizeof *proba);
    double *log_prob = malloc(n * sizeof *log_prob);
    gmm_error err;
    CHECK(gmm_predict_proba(model, X, n, d, proba, &err) == GMM_OK, "%s: %s",
          name, err.message);
    CHECK(gmm_score_samples(model, X, n, d, log_prob, &err) == GMM_OK, "%s: %s",
          name, err.message);
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (size_t c = 0; c < k; c++)
            sum += proba[i * k + c];
        CHECK(fabs(sum - 1.0) <= 1e-12, "%s: row %zu sums to %.17g", name, i,
              sum);
        CHECK(isfinite(log_prob[i]), "%s: log p(row %zu) = %g", name, i,
              log_prob[i]);
    }
    char *json = gmm_model_to_json(model, &err);
    CHECK(json != NULL && strstr(json, "nan") == NULL &&
              strstr(json, "inf") == NULL,
          "%s: model JSON %s", name, json ? json : err.message);
    free(json);
    free(log_prob);
    free(proba);
}

static void fit_case(const char *name, const double *X, size_t n, size_t d,
                     size_t k, enum outcome allowed)
{
    for (int type = GMM_COVARIANCE_FULL; type <= GMM_COVARIANCE_SPHERICAL;
         type++) {
        char label[160];
        snprintf(label, sizeof label, "%s, k=%zu, %s", name, k,
                 gmm_covariance_type_name((gmm_covariance_type)type));
        gmm_options options;
        gmm_options_init(&options);
        options.n_components = k;
        options.covariance_type = (gmm_covariance_type)type;
        gmm_error err;
        gmm_model *model = gmm_model_new(&options, &err);
        gmm_status status = gmm_fit(model, X, n, d, NULL, &err);
        if (status == GMM_OK)
            CHECK(allowed != OVERFLOWS, "%s: fitted", label);
        if (status == GMM_OK)
            check_fitted(label, model, X, n, d);
        else if (allowed == OVERFLOWS)
            CHECK(status == GMM_ERR_NUMERIC &&
                      strstr(err.message, "beyond the range of a double"),
                  "%s: %s: %s", label, gmm_strerror(status), err.message);
        else
            CHECK(allowed == FIT_OR_NUMERIC && status == GMM_ERR_NUMERIC &&
                      strstr(err.message, "covariance") != NULL,
                  "%s: %s: %s", label, gmm_strerror(status), err.message);
        gmm_model_free(model);
    }
}

/* n x d from blobs, each column multiplied by scale[j] and shifted by
 * offset[j]. */
static double *scaled_blobs(size_t n, size_t d, size_t k,
                            const double *scale, const double *offset)
{
    double *X = blobs(n, d, k, 8.0, 0.0, 42);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            X[i * d + j] = X[i * d + j] * scale[j] + offset[j];
    return X;
}

static void test_duplicate_rows(void)
{
    /* 100 copies of 3 distinct rows: K = 3 fits (reg_covar keeps the
     * collapsed covariances positive), K = 4 must not produce NaN. */
    size_t n = 300, d = 2;
    double *X = malloc(n * d * sizeof *X);
    static const double rows[3][2] = {{0, 0}, {5, 1}, {-3, 7}};
    for (size_t i = 0; i < n; i++)
        memcpy(X + i * d, rows[i % 3], sizeof rows[0]);
    fit_case("duplicate rows", X, n, d, 1, MUST_FIT);
    fit_case("duplicate rows", X, n, d, 3, MUST_FIT);
    fit_case("duplicate rows", X, n, d, 4, FIT_OR_NUMERIC);
    /* Every row the same. */
    for (size_t i = 0; i < n; i++)
        memcpy(X + i * d, rows[1], sizeof rows[0]);
    fit_case("identical rows", X, n, d, 1, MUST_FIT);
    fit_case("identical rows", X, n, d, 2, FIT_OR_NUMERIC);
    free(X);
}

static void test_constant_feature(void)
{
    static const double scale[3] = {1, 0, 1}, offset[3] = {0, 7.5, 0};
    double *X = scaled_blobs(200, 3, 2, scale, offset);
    fit_case("constant feature", X, 200, 3, 1, MUST_FIT);
    fit_case("constant feature", X, 200, 3, 2, MUST_FIT);
    free(X);
}

static void test_small_shapes(void)
{
    static const double one[1] = {1}, zero[1] = {0};
    double *X = scaled_blobs(100, 1, 3, one, zero);
    fit_case("D = 1", X, 100, 1, 1, MUST_FIT);
    fit_case("D = 1", X, 100, 1, 3, MUST_FIT);
    /* N = K: every component gets one row; reg_covar is its variance. */
    fit_case("N = K", X, 5, 1, 5, MUST_FIT);
    free(X);
    static const double ones[4] = {1, 1, 1, 1}, zeros[4] = {0, 0, 0, 0};
    X = scaled_blobs(6, 4, 2, ones, zeros);
    fit_case("N = K", X, 6, 4, 6, FIT_OR_NUMERIC);
    fit_case("N = 2, K = 1", X, 2, 4, 1, MUST_FIT);
    free(X);
}

static void test_extreme_magnitudes(void)
{
    static const double huge_scale[2] = {1e299, 1e299}, no_offset[2] = {0, 0};
    /* Spread near 1e300: variances overflow, which no fit survives. */
    double *X = scaled_blobs(200, 2, 2, huge_scale, no_offset);
    fit_case("values near 1e300", X, 200, 2, 1, OVERFLOWS);
    fit_case("values near 1e300", X, 200, 2, 2, OVERFLOWS);
    free(X);
    /* Near 1e300 but spread 1: centred statistics keep it exact. */
    static const double unit[2] = {1, 1}, far[2] = {1e300, -1e300};
    X = scaled_blobs(200, 2, 2, unit, far);
    fit_case("offset 1e300, unit spread", X, 200, 2, 2, MUST_FIT);
    free(X);
    /* Spread near 1e150: variances near 1e300 are still doubles. */
    static const double large_scale[2] = {1e150, 1e150};
    X = scaled_blobs(200, 2, 2, large_scale, no_offset);
    fit_case("values near 1e150", X, 200, 2, 2, MUST_FIT);
    free(X);
    static const double tiny_scale[2] = {1e-300, 1e-300};
    X = scaled_blobs(200, 2, 2, tiny_scale, no_offset);
    fit_case("values near 1e-300", X, 200, 2, 1, MUST_FIT);
    fit_case("values near 1e-300", X, 200, 2, 2, MUST_FIT);
    free(X);
    static const double apart[3] = {1e-4, 1, 1e5};
    static const double zero3[3] = {0, 0, 0};
    X = scaled_blobs(300, 3, 3, apart, zero3);
    fit_case("scales 1e9 apart", X, 300, 3, 3, MUST_FIT);
    free(X);
    static const double wide[2] = {1, 1e9};
    X = scaled_blobs(300, 2, 2, wide, no_offset);
    fit_case("scales 1e9 apart", X, 300, 2, 2, MUST_FIT);
    free(X);
}

/* Weights near DBL_MAX are valid: their sum overflows, but the fit is the
 * unweighted one (a common factor changes nothing). */
static void test_huge_weights(void)
{
    size_t n = 200, d = 2;
    double *X = blobs(n, d, 2, 8.0, 0.0, 7);
    double *weights = malloc(n * sizeof *weights);
    for (size_t i = 0; i < n; i++)
        weights[i] = DBL_MAX / 2;
    gmm_options options;
    gmm_options_init(&options);
    options.n_components = 2;
    gmm_error err;
    gmm_model *plain = gmm_model_new(&options, &err);
    gmm_model *weighted = gmm_model_new(&options, &err);
    CHECK_OK(gmm_fit(plain, X, n, d, NULL, &err));
    gmm_status status = gmm_fit(weighted, X, n, d, weights, &err);
    CHECK(status == GMM_OK, "huge weights: %s", err.message);
    if (status == GMM_OK)
        for (size_t i = 0; i < 2 * d; i++)
            CHECK(close_to(gmm_model_means(weighted)[i],
                           gmm_model_means(plain)[i], 1e-12, 1e-12),
                  "huge weights: mean %zu %.17g vs %.17g", i,
                  gmm_model_means(weighted)[i], gmm_model_means(plain)[i]);
    gmm_model_free(weighted);
    gmm_model_free(plain);
    free(weights);
    free(X);
}

int main(void)
{
    test_huge_weights();
    test_duplicate_rows();
    test_constant_feature();
    test_small_shapes();
    test_extreme_magnitudes();
    return check_failures() != 0;
}
