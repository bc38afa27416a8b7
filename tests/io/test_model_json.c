/*
 * test_model_json.c — the model file (model_json.c, model_file.c): exact
 * format, bit-exact round trips for every covariance type, and every
 * validation error naming its field.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "model/model.h"

/* Awkward numbers: not short in decimal, tiny, huge, negative zero. */
static const double means[6] = {0.1, -1.0 / 3.0, 1e-300, 123456789.123456789, -0.0, 2.5e17};
static const double weights[2] = {0.3, 0.7};

static gmm_model *make_model(gmm_covariance_type type)
{
    /* full: two SPD 3x3; tied: one; diag: 2x3 positives; spherical: 2. */
    static const double full[18] = {2, 0.5, 0.1, 0.5, 1.0 / 3.0, 0, 0.1, 0, 0.07,
                                    1, 0, 0, 0, 1, 0, 0, 0, 1};
    static const double positives[6] = {0.1, 1.0 / 7.0, 3e10, 1e-7, 2, 0.2};
    const double *covariances = type == GMM_COVARIANCE_FULL || type == GMM_COVARIANCE_TIED
                                    ? full : positives;
    gmm_error err;
    gmm_model *model = gmm_model_from_params(2, 3, type, weights, means, covariances, &err);
    if (!model)
        fprintf(stderr, "  from_params: %s\n", err.message);
    return model;
}

static void check_round_trips(void)
{
    for (int type = GMM_COVARIANCE_FULL; type <= GMM_COVARIANCE_SPHERICAL; type++) {
        gmm_model *model = make_model((gmm_covariance_type)type);
        CHECK(model != NULL);
        if (!model)
            continue;
        gmm_model_set_fit_info(model, 1, 12, -1.2345678901234567);
        gmm_error err;
        char *first = gmm_model_to_json(model, &err);
        gmm_model *loaded = gmm_model_from_json(first, strlen(first), "m.json", &err);
        CHECK(loaded != NULL);
        if (loaded) {
            char *second = gmm_model_to_json(loaded, &err);
            CHECK(second && strcmp(first, second) == 0);
            size_t size = gmm_model_covariance_size(model);
            CHECK(memcmp(gmm_model_covariances(model), gmm_model_covariances(loaded),
                         size * sizeof(double)) == 0);
            CHECK(memcmp(gmm_model_means(loaded), means, sizeof means) == 0);
            CHECK(gmm_model_converged(loaded) == 1 && gmm_model_n_iter(loaded) == 12);
            CHECK(gmm_model_lower_bound(loaded) == -1.2345678901234567);
            free(second);
        }
        gmm_model_free(loaded);
        free(first);
        gmm_model_free(model);
    }
}

static void check_exact_format(void)
{
    gmm_model *model = make_model(GMM_COVARIANCE_SPHERICAL);
    gmm_error err;
    char *json = model ? gmm_model_to_json(model, &err) : NULL;
    const char *expected =
        "{\n"
        "  \"covariance_type\": \"spherical\",\n"
        "  \"n_components\": 2,\n"
        "  \"n_features\": 3,\n"
        "  \"weights\": [0.29999999999999999, 0.69999999999999996],\n"
        "  \"means\": [\n"
        "    [0.10000000000000001, -0.33333333333333331, 1e-300],\n"
        "    [123456789.12345679, -0, 2.5e+17]\n"
        "  ],\n"
        "  \"covariances\": [0.10000000000000001, 0.14285714285714285],\n"
        "  \"converged\": false,\n"
        "  \"n_iter\": 0,\n"
        "  \"lower_bound\": null\n"
        "}\n";
    CHECK(json && strcmp(json, expected) == 0);
    if (json && strcmp(json, expected) != 0)
        fprintf(stderr, "%s", json);
    free(json);
    gmm_model_free(model);
}

static void check_file(void)
{
    char folder[] = "/tmp/gmm_test_model_XXXXXX";
    CHECK(mkdtemp(folder) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/model.json", folder);
    gmm_model *model = make_model(GMM_COVARIANCE_FULL);
    gmm_error err;
    CHECK(gmm_model_save(model, path, &err) == GMM_OK);
    gmm_model *loaded = gmm_model_load(path, &err);
    CHECK(loaded && gmm_model_n_features(loaded) == 3);
    gmm_model_free(loaded);
    unlink(path);
    rmdir(folder);

    CHECK(gmm_model_save(model, "/nonexistent/m.json", &err) == GMM_ERR_IO);
    CHECK_ERROR(&err, GMM_ERR_IO, "/nonexistent/m.json");
    CHECK(gmm_model_load("/nonexistent/m.json", &err) == NULL);
    CHECK_ERROR(&err, GMM_ERR_IO, "/nonexistent/m.json: cannot open");
    gmm_model_free(model);

    gmm_options options;
    gmm_options_init(&options);
    gmm_model *unfitted = gmm_model_new(&options, &err);
    CHECK(gmm_model_save(unfitted, "/tmp/never.json", &err) == GMM_ERR_NOT_FITTED);
    CHECK_ERROR(&err, GMM_ERR_NOT_FITTED, "/tmp/never.json", "fit it first");
    CHECK(access("/tmp/never.json", F_OK) != 0);
    gmm_model_free(unfitted);
}

/* A valid diag model with one part replaced by `change` ("key": value). */
#define DIAG_MODEL(covariance_type, n_components, n_features, weights, means, covariances, rest) \
    "{\"covariance_type\": " covariance_type ", \"n_components\": " n_components                \
    ", \"n_features\": " n_features ", \"weights\": " weights ", \"means\": " means              \
    ", \"covariances\": " covariances rest "}"
#define W "[0.5, 0.5]"
#define M "[[0, 1], [2, 3]]"
#define C "[[1, 1], [2, 2]]"

static void check_fails(const char *json, gmm_status status, const char *fragment)
{
    gmm_error err;
    gmm_model *model = gmm_model_from_json(json, strlen(json), "bad.json", &err);
    CHECK(model == NULL);
    CHECK_ERROR(&err, status, "bad.json", fragment);
    gmm_model_free(model);
}

static void check_errors(void)
{
    gmm_error err;
    gmm_model *model = gmm_model_from_json(DIAG_MODEL("\"diag\"", "2", "2", W, M, C, ""),
                                           strlen(DIAG_MODEL("\"diag\"", "2", "2", W, M, C, "")),
                                           "ok.json", &err);
    CHECK(model && gmm_model_lower_bound(model) == -INFINITY && !gmm_model_converged(model));
    gmm_model_free(model);

    check_fails("", GMM_ERR_FORMAT, "not valid JSON");
    check_fails("{\"a\": 1,\n \"b\": }", GMM_ERR_FORMAT, "line 2");
    check_fails("[1, 2]", GMM_ERR_FORMAT, "expected a JSON object");
    check_fails("{\"covariance_type\": \"diag\", \"covariance_type\": \"full\"}", GMM_ERR_FORMAT,
                "duplicate");
    check_fails("{}", GMM_ERR_FORMAT, "missing \"covariance_type\"");
    check_fails(DIAG_MODEL("\"round\"", "2", "2", W, M, C, ""), GMM_ERR_FORMAT,
                "covariance_type: expected a covariance type (full, tied, diag, spherical or one of mclust's names, such as VVV), found the string \"round\"");
    check_fails(DIAG_MODEL("\"diag\"", "0", "2", W, M, C, ""), GMM_ERR_FORMAT,
                "n_components: expected an integer from 1");
    check_fails(DIAG_MODEL("\"diag\"", "1.5", "2", W, M, C, ""), GMM_ERR_FORMAT,
                "found 1.5");
    check_fails(DIAG_MODEL("\"diag\"", "\"2\"", "2", W, M, C, ""), GMM_ERR_FORMAT,
                "n_components: expected an integer");
    check_fails(DIAG_MODEL("\"diag\"", "1e300", "2", W, M, C, ""), GMM_ERR_FORMAT,
                "n_components");
    check_fails(DIAG_MODEL("\"diag\"", "2", "1e15", W, M, C, ""), GMM_ERR_FORMAT,
                "means[0]: expected an array of 1000000000000000 (n_features), found an array of 2");
    check_fails(DIAG_MODEL("\"diag\"", "3", "2", W, M, C, ""), GMM_ERR_FORMAT,
                "weights: expected an array of 3 (n_components), found an array of 2");
    check_fails(DIAG_MODEL("\"diag\"", "2", "2", W, "[[0, 1], [2]]", C, ""), GMM_ERR_FORMAT,
                "means[1]: expected an array of 2 (n_features), found an array of 1");
    check_fails(DIAG_MODEL("\"diag\"", "2", "2", W, M, "[[1, 1], [2, \"x\"]]", ""),
                GMM_ERR_FORMAT, "covariances[1][1]: expected a finite number, found the string \"x\"");
    check_fails(DIAG_MODEL("\"full\"", "2", "2", W, M, C, ""), GMM_ERR_FORMAT,
                "covariances[0][0]: expected an array of 2 (n_features), found 1");
    check_fails(DIAG_MODEL("\"diag\"", "2", "2", W, M, "[[1, 1], [2, 1e999]]", ""),
                GMM_ERR_FORMAT, "not valid JSON");
    check_fails(DIAG_MODEL("\"diag\"", "2", "2", W, M, C, ", \"converged\": 1"),
                GMM_ERR_FORMAT, "converged: expected true or false, found 1");
    check_fails(DIAG_MODEL("\"diag\"", "2", "2", W, M, C, ", \"n_iter\": -1"),
                GMM_ERR_FORMAT, "n_iter: expected an integer from 0");
    check_fails(DIAG_MODEL("\"diag\"", "2", "2", W, M, C, ", \"lower_bound\": \"x\""),
                GMM_ERR_FORMAT, "lower_bound: expected a finite number or null");
    /* Parameters the core refuses, with the file's name in front. */
    check_fails(DIAG_MODEL("\"diag\"", "2", "2", "[0.5, 0.6]", M, C, ""), GMM_ERR_FORMAT,
                "bad.json: weights");
    check_fails(DIAG_MODEL("\"diag\"", "2", "2", W, M, "[[1, 1], [2, -2]]", ""),
                GMM_ERR_FORMAT, "bad.json: ");
    CHECK(gmm_model_from_json(NULL, 5, "x", &err) == NULL && err.status == GMM_ERR_INVALID);
}

int main(void)
{
    check_round_trips();
    check_exact_format();
    check_file();
    check_errors();
    return check_report("test_model_json");
}
