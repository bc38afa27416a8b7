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
    reference_options(root, &o);
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
        double lb = json_number_value(json_object_get(exp, "lower_bound"));
        CHECK(close_to(gmm_model_lower_bound(model), lb, BOUND_RTOL, 1.0),
              "%s: lower_bound %.17g, scikit-learn %.17g", name,
              gmm_model_lower_bound(model), lb);
        reference_check_model(name, model, exp, X, n_rows, d, PARAM_RTOL);
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
    }
    gmm_model_free(model);
    free(X), free(w0), free(m0), free(c0);
    json_decref(root);
}

int main(int argc, char **argv)
{
    return reference_main(argc, argv, run_case);
}
