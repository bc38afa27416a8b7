/*
 * test_bayes_match.c — libgmm's variational fits against scikit-learn
 * 1.2.1's BayesianGaussianMixture on the cases
 * tests/reference/bayes_cases.py writes: same data, priors and options,
 * and the same initial responsibilities (both sides start from their
 * statistics). Parameters and the posterior must agree to a relative
 * 1e-6, the lower bound to 1e-9, n_iter, converged and labels exactly.
 *
 * Usage: test_bayes_match CASE.json...
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "reference.h"
#include "gmm.h"

#define PARAM_RTOL 1e-6
#define BOUND_RTOL 1e-9

/* The options' prior field named key from the case, or its default. */
static double scalar_prior(const json_t *priors, const char *key)
{
    const json_t *value = json_object_get(priors, key);
    return value ? json_number_value(value) : NAN;
}

static void run_case(const char *path)
{
    json_t *root = reference_load(path);
    if (!root)
        return;
    const char *name = json_string_value(json_object_get(root, "name"));
    const json_t *exp = json_object_get(root, "expected");
    const json_t *priors = json_object_get(root, "priors");
    size_t n_values, n_rows = json_array_size(json_object_get(root, "X"));
    double *X = reference_numbers(json_object_get(root, "X"), &n_values);
    size_t d = n_values / n_rows;

    gmm_options o;
    reference_options(root, &o);
    CHECK(gmm_weight_prior_parse(json_string_value(json_object_get(root, "weight_prior")),
                                 &o.weight_prior) == GMM_OK, "%s: prior", name);
    o.weight_concentration_prior = scalar_prior(priors, "weight_concentration_prior");
    o.mean_precision_prior = scalar_prior(priors, "mean_precision_prior");
    o.degrees_of_freedom_prior = scalar_prior(priors, "degrees_of_freedom_prior");
    double *mean_prior = NULL, *cov_prior = NULL;
    if (json_object_get(priors, "mean_prior"))
        o.mean_prior = mean_prior = reference_numbers(json_object_get(priors, "mean_prior"), NULL);
    if (json_object_get(priors, "covariance_prior"))
        o.covariance_prior = cov_prior =
            reference_numbers(json_object_get(priors, "covariance_prior"), NULL);
    double *resp = reference_numbers(json_object_get(root, "init_resp"), NULL);
    o.init_resp = resp;

    gmm_error err;
    gmm_model *model = gmm_model_new(&o, &err);
    CHECK(model != NULL, "%s: %s", name, err.message);
    gmm_status status = model ? gmm_fit(model, X, n_rows, d, NULL, &err)
                              : GMM_ERR_INVALID;
    CHECK(status == GMM_OK, "%s: fit failed: %s", name, err.message);
    if (status == GMM_OK) {
        const json_t *lb_json = json_object_get(exp, "lower_bound");
        double lb = json_is_null(lb_json) ? -INFINITY : json_number_value(lb_json);
        CHECK(lb == gmm_model_lower_bound(model) || close_to(gmm_model_lower_bound(model), lb, BOUND_RTOL, 1.0),
              "%s: lower_bound %.17g, scikit-learn %.17g", name,
              gmm_model_lower_bound(model), lb);
        reference_compare(name, "precisions_cholesky", gmm_model_precisions_cholesky(model),
                       json_object_get(exp, "precisions_cholesky"), PARAM_RTOL, 1e-6);
        gmm_posterior post;
        gmm_model_posterior(model, &post);
        reference_compare(name, "weight_concentration", post.weight_concentration,
                       json_object_get(exp, "weight_concentration"), PARAM_RTOL, 1e-12);
        reference_compare(name, "mean_precision", post.mean_precision,
                       json_object_get(exp, "mean_precision"), PARAM_RTOL, 1e-12);
        reference_compare(name, "degrees_of_freedom", post.degrees_of_freedom,
                       json_object_get(exp, "degrees_of_freedom"), PARAM_RTOL, 1e-12);
        reference_compare(name, "mean_prior", post.mean_prior,
                       json_object_get(exp, "mean_prior"), PARAM_RTOL, 1e-9);
        reference_compare(name, "covariance_prior", post.covariance_prior,
                       json_object_get(exp, "covariance_prior"), PARAM_RTOL, 1e-9);
        reference_check_model(name, model, exp, X, n_rows, d, PARAM_RTOL);
    }
    gmm_model_free(model);
    free(X), free(resp), free(mean_prior), free(cov_prior);
    json_decref(root);
}

int main(int argc, char **argv)
{
    return reference_main(argc, argv, run_case);
}
