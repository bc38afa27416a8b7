/*
 * test_sklearn_match.c — libgmm against scikit-learn 1.2.1 on the cases
 * tests/reference/sklearn_cases.py writes: same data, same initial
 * parameters, same options. Parameters must agree to a relative 1e-6, the
 * lower bound to 1e-9, n_iter, converged and labels exactly.
 *
 * Usage: test_sklearn_match CASE.json...
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "reference.h"
#include "gmm.h"

#define PARAM_RTOL 1e-6
#define BOUND_RTOL 1e-9

static void run_case(const char *path)
{
    json_t *root = reference_load(path);
    if (!root)
        return;
    const char *name = json_string_value(json_object_get(root, "name"));
    const json_t *exp = json_object_get(root, "expected");
    size_t n_values, n_rows = json_array_size(json_object_get(root, "X"));
    double *X = reference_numbers(json_object_get(root, "X"), &n_values);
    size_t d = n_values / n_rows;

    gmm_options o;
    gmm_options_init(&o);
    o.n_components = (size_t)json_integer_value(json_object_get(root, "n_components"));
    CHECK(gmm_covariance_type_parse(json_string_value(json_object_get(root, "covariance_type")),
                                    &o.covariance_type) == GMM_OK, "%s: type", name);
    o.tol = json_number_value(json_object_get(root, "tol"));
    o.reg_covar = json_number_value(json_object_get(root, "reg_covar"));
    o.max_iter = (int)json_integer_value(json_object_get(root, "max_iter"));
    double *w0 = reference_numbers(json_object_get(root, "weights_init"), NULL);
    double *m0 = reference_numbers(json_object_get(root, "means_init"), NULL);
    double *c0 = reference_numbers(json_object_get(root, "covariances_init"), NULL);
    o.weights_init = w0;
    o.means_init = m0;
    o.covariances_init = c0;

    gmm_error err;
    gmm_model *model = gmm_model_new(&o, &err);
    CHECK(model != NULL, "%s: %s", name, err.message);
    gmm_status status = gmm_fit(model, X, n_rows, d, NULL, &err);
    CHECK(status == GMM_OK, "%s: fit failed: %s", name, err.message);
    if (status == GMM_OK) {
        size_t k = o.n_components;
        CHECK(gmm_model_n_iter(model) == json_integer_value(json_object_get(exp, "n_iter")),
              "%s: n_iter %d, scikit-learn %lld", name, gmm_model_n_iter(model),
              json_integer_value(json_object_get(exp, "n_iter")));
        CHECK(gmm_model_converged(model) == json_is_true(json_object_get(exp, "converged")),
              "%s: converged %d", name, gmm_model_converged(model));
        double lb = json_number_value(json_object_get(exp, "lower_bound"));
        CHECK(close_to(gmm_model_lower_bound(model), lb, BOUND_RTOL, 1.0),
              "%s: lower_bound %.17g, scikit-learn %.17g", name,
              gmm_model_lower_bound(model), lb);
        reference_compare(name, "weights", gmm_model_weights(model),
                       json_object_get(exp, "weights"), PARAM_RTOL, 1e-12);
        reference_compare(name, "means", gmm_model_means(model),
                       json_object_get(exp, "means"), PARAM_RTOL, 1e-6);
        reference_compare(name, "covariances", gmm_model_covariances(model),
                       json_object_get(exp, "covariances"), PARAM_RTOL, 1e-6);

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
                       json_object_get(exp, "score_samples"), PARAM_RTOL, 1.0);
        CHECK_OK(gmm_predict_proba(model, X, n_rows, d, proba, &err));
        /* Probabilities near zero carry no relative precision; absolute. */
        reference_compare(name, "predict_proba", proba,
                       json_object_get(exp, "predict_proba"), PARAM_RTOL, 1.0);
        double score, bic, aic;
        CHECK_OK(gmm_score(model, X, n_rows, d, &score, &err));
        CHECK_OK(gmm_bic(model, X, n_rows, d, &bic, &err));
        CHECK_OK(gmm_aic(model, X, n_rows, d, &aic, &err));
        CHECK(close_to(score, json_number_value(json_object_get(exp, "score")), 1e-9, 1.0),
              "%s: score %.17g", name, score);
        CHECK(close_to(bic, json_number_value(json_object_get(exp, "bic")), 1e-9, 1.0),
              "%s: bic %.17g", name, bic);
        CHECK(close_to(aic, json_number_value(json_object_get(exp, "aic")), 1e-9, 1.0),
              "%s: aic %.17g", name, aic);
        free(labels), free(log_prob), free(proba);
    }
    gmm_model_free(model);
    free(X), free(w0), free(m0), free(c0);
    json_decref(root);
}

int main(int argc, char **argv)
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
