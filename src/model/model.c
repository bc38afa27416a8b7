/*
 * model.c — life cycle, options and getters of gmm_model.
 */
#include "model/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/covariance.h"
#include "model/fixed.h"
#include "model/validate.h"
#include "util/error.h"

static const char *const init_names[] = {"kmeans", "k-means++", "random",
                                         "random_from_data"};
static const char *const criterion_names[] = {"bic", "aic"};
static const char *const dtype_names[] = {"float64", "float32"};
static const char *const missing_names[] = {"error", "marginalize"};
static const char *const weight_prior_names[] = {"none", "dirichlet_process",
                                                 "dirichlet_distribution"};
#define N_NAMES(a) (sizeof(a) / sizeof((a)[0]))

/* The index of `name` in names[0..n-1], or -1 (NULL matches nothing). */
static int find_name(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

const char *gmm_init_method_name(gmm_init_method method)
{
    return (unsigned)method < N_NAMES(init_names) ? init_names[method] : "unknown";
}

gmm_status gmm_init_method_parse(const char *name, gmm_init_method *method)
{
    int i = find_name(init_names, N_NAMES(init_names), name);
    if (i < 0)
        return GMM_ERR_INVALID;
    *method = (gmm_init_method)i;
    return GMM_OK;
}

const char *gmm_criterion_name(gmm_criterion criterion)
{
    return (unsigned)criterion < N_NAMES(criterion_names)
               ? criterion_names[criterion] : "unknown";
}

const char *gmm_dtype_name(gmm_dtype dtype)
{
    return (unsigned)dtype < N_NAMES(dtype_names) ? dtype_names[dtype] : "unknown";
}

gmm_status gmm_dtype_parse(const char *name, gmm_dtype *dtype)
{
    int i = find_name(dtype_names, N_NAMES(dtype_names), name);
    if (i < 0)
        return GMM_ERR_INVALID;
    *dtype = (gmm_dtype)i;
    return GMM_OK;
}

const char *gmm_missing_name(gmm_missing missing)
{
    return (unsigned)missing < N_NAMES(missing_names) ? missing_names[missing]
                                                       : "unknown";
}

gmm_status gmm_missing_parse(const char *name, gmm_missing *missing)
{
    int i = find_name(missing_names, N_NAMES(missing_names), name);
    if (i < 0)
        return GMM_ERR_INVALID;
    *missing = (gmm_missing)i;
    return GMM_OK;
}

const char *gmm_weight_prior_name(gmm_weight_prior prior)
{
    return (unsigned)prior < N_NAMES(weight_prior_names) ? weight_prior_names[prior]
                                                          : "unknown";
}

gmm_status gmm_weight_prior_parse(const char *name, gmm_weight_prior *prior)
{
    int i = find_name(weight_prior_names, N_NAMES(weight_prior_names), name);
    if (i < 0)
        return GMM_ERR_INVALID;
    *prior = (gmm_weight_prior)i;
    return GMM_OK;
}

gmm_status gmm_criterion_parse(const char *name, gmm_criterion *criterion)
{
    int i = find_name(criterion_names, N_NAMES(criterion_names), name);
    if (i < 0)
        return GMM_ERR_INVALID;
    *criterion = (gmm_criterion)i;
    return GMM_OK;
}

void gmm_options_init(gmm_options *options)
{
    memset(options, 0, sizeof *options);
    options->n_components = 1;
    options->covariance_type = GMM_COVARIANCE_FULL;
    options->tol = 1e-3;
    options->reg_covar = 1e-6;
    options->max_iter = 100;
    options->n_init = 1;
    options->init_params = GMM_INIT_KMEANS;
    options->dtype = GMM_DTYPE_FLOAT64;
    options->online_alpha = GMM_ONLINE_ALPHA;
    options->online_t0 = GMM_ONLINE_T0;
    options->weight_prior = GMM_WEIGHT_PRIOR_NONE;
    options->weight_concentration_prior = NAN;
    options->mean_precision_prior = NAN;
    options->degrees_of_freedom_prior = NAN;
}

/* A prior's number: positive and finite, or NaN for its default. */
static gmm_status check_prior(double value, const char *name, gmm_error *err)
{
    if (isnan(value) || (value > 0.0 && isfinite(value)))
        return GMM_OK;
    return gmm_fail(err, GMM_ERR_INVALID, "%s must be a finite number > 0 (or "
                    "NaN for scikit-learn's default), got %g", name, value);
}

static gmm_status validate_variational(const gmm_options *o, gmm_error *err)
{
    if ((unsigned)o->weight_prior >= N_NAMES(weight_prior_names))
        return gmm_fail(err, GMM_ERR_INVALID, "unknown weight_prior %d",
                        (int)o->weight_prior);
    if (o->weight_prior == GMM_WEIGHT_PRIOR_NONE)
        return GMM_OK;
    if (o->missing != GMM_MISSING_ERROR)
        return gmm_fail(err, GMM_ERR_INVALID, "a variational fit (weight prior "
                        "%s) does not marginalize missing entries (missing "
                        "%s); use weight prior none",
                        gmm_weight_prior_name(o->weight_prior),
                        gmm_missing_name(o->missing));
    /* The variational update is scikit-learn's, for its four types. */
    if (strcmp(gmm_covariance_type_name(o->covariance_type),
               gmm_covariance_type_mclust_name(o->covariance_type)) == 0)
        return gmm_fail(err, GMM_ERR_INVALID, "a variational fit (weight prior "
                        "%s) takes covariance type full, tied, diag or "
                        "spherical (VVV, EEE, VVI, VII), got %s",
                        gmm_weight_prior_name(o->weight_prior),
                        gmm_covariance_type_name(o->covariance_type));
    if (o->dtype != GMM_DTYPE_FLOAT64)
        return gmm_fail(err, GMM_ERR_INVALID, "a variational fit (weight prior "
                        "%s) is float64 only, got dtype %s",
                        gmm_weight_prior_name(o->weight_prior),
                        gmm_dtype_name(o->dtype));
    if (o->weights_init || o->means_init || o->precisions_init ||
        o->covariances_init)
        return gmm_fail(err, GMM_ERR_INVALID, "a variational fit (weight prior "
                        "%s) takes no weights_init, means_init, precisions_init "
                        "or covariances_init (scikit-learn's "
                        "BayesianGaussianMixture has none)",
                        gmm_weight_prior_name(o->weight_prior));
    gmm_status status = check_prior(o->weight_concentration_prior,
                                    "weight_concentration_prior", err);
    if (status == GMM_OK)
        status = check_prior(o->mean_precision_prior, "mean_precision_prior", err);
    if (status == GMM_OK)
        status = check_prior(o->degrees_of_freedom_prior,
                             "degrees_of_freedom_prior", err);
    return status;
}

static gmm_status validate_options(const gmm_options *o, gmm_error *err)
{
    if (o->n_components < 1)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "n_components must be at least 1, got %zu", o->n_components);
    if (!gmm_covariance_model_of(o->covariance_type))
        return gmm_fail(err, GMM_ERR_INVALID, "unknown covariance_type %d",
                        (int)o->covariance_type);
    if ((unsigned)o->init_params >= N_NAMES(init_names))
        return gmm_fail(err, GMM_ERR_INVALID, "unknown init_params %d",
                        (int)o->init_params);
    if (!(o->tol >= 0.0) || isinf(o->tol))
        return gmm_fail(err, GMM_ERR_INVALID,
                        "tol must be a finite number >= 0, got %g", o->tol);
    if (!(o->reg_covar >= 0.0) || isinf(o->reg_covar))
        return gmm_fail(err, GMM_ERR_INVALID,
                        "reg_covar must be a finite number >= 0, got %g",
                        o->reg_covar);
    if (o->max_iter < 0)
        return gmm_fail(err, GMM_ERR_INVALID, "max_iter must be >= 0, got %d",
                        o->max_iter);
    if (o->n_init < 1)
        return gmm_fail(err, GMM_ERR_INVALID, "n_init must be >= 1, got %d",
                        o->n_init);
    if (o->n_threads < 0 || o->n_threads > GMM_MAX_THREADS)
        return gmm_fail(err, GMM_ERR_INVALID, "n_threads must be from 0 to %d, "
                        "got %d", GMM_MAX_THREADS, o->n_threads);
    if ((unsigned)o->dtype >= N_NAMES(dtype_names))
        return gmm_fail(err, GMM_ERR_INVALID, "unknown dtype %d", (int)o->dtype);
    if (!(o->online_alpha > 0.5 && o->online_alpha <= 1.0))
        return gmm_fail(err, GMM_ERR_INVALID, "online_alpha must be in "
                        "(0.5, 1], got %g", o->online_alpha);
    if (!(o->online_t0 >= 0.0) || isinf(o->online_t0))
        return gmm_fail(err, GMM_ERR_INVALID, "online_t0 must be a finite "
                        "number >= 0, got %g", o->online_t0);
    if ((unsigned)o->missing >= N_NAMES(missing_names))
        return gmm_fail(err, GMM_ERR_INVALID, "unknown missing %d",
                        (int)o->missing);
    if (o->precisions_init && o->covariances_init)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "give precisions_init or covariances_init, not both");
    gmm_status status = validate_variational(o, err);
    return status == GMM_OK ? gmm_fixed_validate_options(o, err) : status;
}

gmm_model *gmm_model_new(const gmm_options *options, gmm_error *err)
{
    gmm_options defaults;
    if (!options) {
        gmm_options_init(&defaults);
        options = &defaults;
    }
    if (validate_options(options, err) != GMM_OK)
        return NULL;
    gmm_model *model = calloc(1, sizeof *model);
    if (!model) {
        gmm_fail(err, GMM_ERR_NOMEM, "out of memory creating a model");
        return NULL;
    }
    model->options = *options;
    model->lower_bound = -INFINITY;
    gmm_error_clear(err);
    return model;
}

gmm_model *gmm_model_from_params(size_t n_components, size_t n_features,
                                 gmm_covariance_type covariance_type,
                                 const double *weights, const double *means,
                                 const double *covariances, gmm_error *err)
{
    gmm_options options;
    gmm_options_init(&options);
    options.n_components = n_components;
    options.covariance_type = covariance_type;
    if (n_features < 1) {
        gmm_fail(err, GMM_ERR_INVALID, "n_features must be at least 1");
        return NULL;
    }
    gmm_model *model = gmm_model_new(&options, err);
    if (!model)
        return NULL;
    gmm_status status = gmm_validate_weights(weights, n_components, err);
    if (status == GMM_OK)
        status = gmm_validate_finite(means, n_components * n_features, "means", err);
    if (status == GMM_OK)
        status = gmm_validate_matrices(covariances, covariance_type, n_components,
                                       n_features, "covariances", err);
    if (status == GMM_OK)
        status = gmm_params_alloc(&model->params, n_components, n_features,
                                  covariance_type, err);
    if (status != GMM_OK) {
        gmm_model_free(model);
        return NULL;
    }
    gmm_params *p = &model->params;
    memcpy(p->weights, weights, n_components * sizeof(double));
    memcpy(p->means, means, n_components * n_features * sizeof(double));
    memcpy(p->covariances, covariances,
           gmm_covariance_size(covariance_type, n_components, n_features) *
               sizeof(double));
    if (gmm_params_update_precisions(p, err) != GMM_OK) {
        gmm_model_free(model);
        return NULL;
    }
    model->fitted = 1;
    gmm_error_clear(err);
    return model;
}

void gmm_model_set_fit_info(gmm_model *model, int converged, int n_iter,
                            double lower_bound)
{
    model->converged = converged;
    model->n_iter = n_iter;
    model->lower_bound = lower_bound;
}

gmm_status gmm_set_options(gmm_model *model, const gmm_options *options,
                           gmm_error *err)
{
    gmm_status status = validate_options(options, err);
    if (status != GMM_OK)
        return status;
    if (options->n_components != model->options.n_components ||
        options->covariance_type != model->options.covariance_type) {
        gmm_params_free(&model->params);
        model->fitted = 0;
        gmm_model_set_fit_info(model, 0, 0, -INFINITY);
    }
    model->options = *options;
    return GMM_OK;
}

void gmm_model_free(gmm_model *model)
{
    if (!model)
        return;
    gmm_params_free(&model->params);
    free(model);
}

int gmm_model_is_fitted(const gmm_model *model) { return model->fitted; }
const gmm_options *gmm_model_options(const gmm_model *model) { return &model->options; }
size_t gmm_model_n_components(const gmm_model *model) { return model->options.n_components; }
size_t gmm_model_n_features(const gmm_model *model) { return model->fitted ? model->params.n_features : 0; }
gmm_covariance_type gmm_model_covariance_type(const gmm_model *model) { return model->options.covariance_type; }
int gmm_model_converged(const gmm_model *model) { return model->converged; }
int gmm_model_n_iter(const gmm_model *model) { return model->n_iter; }
double gmm_model_lower_bound(const gmm_model *model) { return model->lower_bound; }

size_t gmm_model_covariance_size(const gmm_model *model)
{
    return gmm_covariance_size(model->options.covariance_type,
                               model->options.n_components,
                               gmm_model_n_features(model));
}

const double *gmm_model_weights(const gmm_model *model) { return model->params.weights; }
const double *gmm_model_means(const gmm_model *model) { return model->params.means; }
const double *gmm_model_covariances(const gmm_model *model) { return model->params.covariances; }
const double *gmm_model_precisions_cholesky(const gmm_model *model) { return model->params.precisions_chol; }

void gmm_model_posterior(const gmm_model *model, gmm_posterior *out)
{
    const gmm_params_posterior *p = &model->params.posterior;
    memset(out, 0, sizeof *out);
    out->weight_prior = p->storage ? p->weight_prior : GMM_WEIGHT_PRIOR_NONE;
    out->weight_concentration_prior = out->mean_precision_prior =
        out->degrees_of_freedom_prior = NAN;
    if (!model->fitted || !p->storage)
        return;
    out->weight_concentration_prior = p->weight_concentration_prior;
    out->mean_precision_prior = p->mean_precision_prior;
    out->degrees_of_freedom_prior = p->degrees_of_freedom_prior;
    out->mean_prior = p->mean_prior;
    out->covariance_prior = p->covariance_prior;
    out->weight_concentration = p->weight_concentration;
    out->mean_precision = p->mean_precision;
    out->degrees_of_freedom = p->degrees_of_freedom;
}

size_t gmm_n_parameters(const gmm_model *model)
{
    size_t k = model->options.n_components, d = gmm_model_n_features(model);
    const gmm_covariance_model *cov =
        gmm_covariance_model_of(model->options.covariance_type);
    return gmm_fixed_n_parameters(&model->options, cov->n_parameters(cov, k, d),
                                  k, d);
}
