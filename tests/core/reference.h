/*
 * reference.h — reading the reference cases the scripts in tests/reference write
 * (JSON: the data, the options and scikit-learn's fitted values) and
 * comparing a fit with them, for the tests that match scikit-learn's
 * estimators case by case.
 */
#ifndef GMM_TESTS_REFERENCE_H
#define GMM_TESTS_REFERENCE_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "gmm.h"

/* Nested JSON arrays of numbers, flattened row-major into out (NULL: only
 * counted); returns the count so far. */
static size_t reference_flatten(const json_t *value, double *out, size_t at)
{
    if (json_is_array(value)) {
        size_t i;
        const json_t *item;
        json_array_foreach(value, i, item) at = reference_flatten(item, out, at);
        return at;
    }
    if (out)
        out[at] = json_number_value(value);
    return at + 1;
}

/* The numbers of a (nested) array, malloc'd; their count in *count. */
static inline double *reference_numbers(const json_t *value, size_t *count)
{
    size_t n = reference_flatten(value, NULL, 0);
    double *out = malloc((n ? n : 1) * sizeof *out);
    reference_flatten(value, out, 0);
    if (count)
        *count = n;
    return out;
}

/* got against the case's expected values, to rtol relative (floor for
 * values near zero); the first difference is reported, naming the case
 * and the array. */
static inline void reference_compare(const char *name, const char *what,
                                     const double *got,
                                     const json_t *expected_json, double rtol,
                                     double floor)
{
    size_t n;
    double *expected = reference_numbers(expected_json, &n);
    for (size_t i = 0; i < n; i++)
        if (!close_to(got[i], expected[i], rtol, floor)) {
            CHECK(0, "%s: %s[%zu] = %.17g, scikit-learn %.17g", name, what, i,
                  got[i], expected[i]);
            break;
        }
    free(expected);
}

/* The case file at path, or NULL after a failed check naming it. */
static inline json_t *reference_load(const char *path)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    CHECK(root != NULL, "%s: %s", path, jerr.text);
    return root;
}

/* The options every case names (n_components, covariance_type and, where
 * the case has them, tol, reg_covar, max_iter) over the defaults. */
static inline void reference_options(const json_t *root, gmm_options *o)
{
    gmm_options_init(o);
    const char *name = json_string_value(json_object_get(root, "name"));
    o->n_components = (size_t)json_integer_value(json_object_get(root, "n_components"));
    CHECK(gmm_covariance_type_parse(json_string_value(json_object_get(root, "covariance_type")),
                                    &o->covariance_type) == GMM_OK, "%s: type", name);
    if (json_object_get(root, "tol"))
        o->tol = json_number_value(json_object_get(root, "tol"));
    if (json_object_get(root, "reg_covar"))
        o->reg_covar = json_number_value(json_object_get(root, "reg_covar"));
    if (json_object_get(root, "max_iter"))
        o->max_iter = (int)json_integer_value(json_object_get(root, "max_iter"));
}

/* A fitted model against the case's expected outcome: n_iter and converged
 * exactly, the parameters to rtol; then its predictions on X (labels
 * exactly, log-densities and probabilities to rtol, absolute near zero,
 * where probabilities carry no relative precision). */
static inline void reference_check_model(const char *name, const gmm_model *model,
                                         const json_t *exp, const double *X,
                                         size_t n_rows, size_t d, double rtol)
{
    size_t k = gmm_model_n_components(model);
    CHECK(gmm_model_n_iter(model) == json_integer_value(json_object_get(exp, "n_iter")),
          "%s: n_iter %d, scikit-learn %lld", name, gmm_model_n_iter(model),
          json_integer_value(json_object_get(exp, "n_iter")));
    CHECK(gmm_model_converged(model) == json_is_true(json_object_get(exp, "converged")),
          "%s: converged %d", name, gmm_model_converged(model));
    reference_compare(name, "weights", gmm_model_weights(model),
                      json_object_get(exp, "weights"), rtol, 1e-12);
    reference_compare(name, "means", gmm_model_means(model),
                      json_object_get(exp, "means"), rtol, 1e-6);
    reference_compare(name, "covariances", gmm_model_covariances(model),
                      json_object_get(exp, "covariances"), rtol, 1e-6);

    gmm_error err;
    int *labels = malloc(n_rows * sizeof *labels);
    double *log_prob = malloc(n_rows * sizeof *log_prob);
    double *proba = malloc(n_rows * k * sizeof *proba);
    CHECK_OK(gmm_predict(model, X, n_rows, d, labels, &err));
    const json_t *exp_labels = json_object_get(exp, "labels");
    size_t mismatched = 0;
    for (size_t i = 0; i < n_rows; i++)
        mismatched += labels[i] != json_integer_value(json_array_get(exp_labels, i));
    CHECK(mismatched == 0, "%s: %zu labels differ", name, mismatched);
    CHECK_OK(gmm_score_samples(model, X, n_rows, d, log_prob, &err));
    reference_compare(name, "score_samples", log_prob,
                      json_object_get(exp, "score_samples"), rtol, 1.0);
    CHECK_OK(gmm_predict_proba(model, X, n_rows, d, proba, &err));
    reference_compare(name, "predict_proba", proba,
                      json_object_get(exp, "predict_proba"), rtol, 1.0);
    free(labels), free(log_prob), free(proba);
}

/* main of a test that runs each case file named on its command line. */
static inline int reference_main(int argc, char **argv, void (*run_case)(const char *))
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CASE.json...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        run_case(argv[i]);
    printf("%d case files, %d failures\n", argc - 1, check_failures());
    return check_failures() != 0;
}

#endif
