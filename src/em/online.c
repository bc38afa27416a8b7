/*
 * online.c — gmm_partial_fit: stepwise online EM (gmm.h) on the public
 * statistics functions, so that a step is the fit loop's E-step and
 * M-step with a running average between them.
 */
#include <math.h>
#include <stdlib.h>

#include "em/init.h"
#include "model/covariance.h"
#include "model/model.h"
#include "model/stats.h"
#include "rows/check.h"
#include "util/error.h"

/* The model's parameters from the batch, as gmm_fit's first
 * initialization makes them. */
static gmm_status initialize(gmm_model *model, const double *X, size_t n_rows,
                             size_t n_features, const double *sample_weight,
                             gmm_error *err)
{
    const gmm_options *o = &model->options;
    if (n_rows < o->n_components)
        return gmm_fail(err, GMM_ERR_DATA,
                        "the first batch initializes the model and needs at "
                        "least n_components = %zu rows; it has %zu",
                        o->n_components, n_rows);
    gmm_rows rows;
    double *owned_weights = NULL;
    gmm_params params = {0};
    gmm_status status = gmm_rows_init(&rows, X, n_rows, n_features,
                                      sample_weight, 2, o->n_threads,
                                      &owned_weights, err);
    if (status == GMM_OK)
        status = gmm_params_alloc(&params, o->n_components, n_features,
                                  o->covariance_type, err);
    if (status == GMM_OK)
        status = gmm_initialize(o, &rows, gmm_initialize_seed(o, 0), NULL,
                                &params, err);
    if (status == GMM_OK) {
        gmm_params swap = model->params;
        model->params = params;
        params = swap;
        model->fitted = 1;
        gmm_model_set_fit_info(model, 0, 0, -INFINITY);
    }
    gmm_params_free(&params);
    free(owned_weights);
    return status;
}

/* One step on a fitted model: the batch's statistics b per unit of
 * weight, s = (1 - eta) s + eta b around b's shifts (the newest means),
 * then the M-step; state changes only when the step succeeds. */
static gmm_status step(gmm_model *model, gmm_stats *state, const double *X,
                       size_t n_rows, size_t n_features,
                       const double *sample_weight, gmm_error *err)
{
    const gmm_options *o = &model->options;
    gmm_stats *next = gmm_stats_new(state->n_components, state->n_features,
                                    o->covariance_type, err);
    if (!next)
        return err ? err->status : GMM_ERR_NOMEM;
    gmm_status status = gmm_stats_accumulate(next, model, X, n_rows, n_features,
                                             sample_weight, err);
    double lower_bound = 0.0;
    if (status == GMM_OK) {
        status = gmm_stats_scale(next, 1.0 / next->weight_sum, err);
        lower_bound = next->log_likelihood;
    }
    if (status == GMM_OK && state->weight_sum > 0.0) {
        double eta = pow((double)model->n_iter + o->online_t0, -o->online_alpha);
        /* The older statistics are rescaled in a copy: state must survive
         * a failure below. */
        gmm_stats *old = gmm_stats_new(state->n_components, state->n_features,
                                       o->covariance_type, err);
        status = old ? GMM_OK : (err ? err->status : GMM_ERR_NOMEM);
        if (status == GMM_OK) {
            gmm_stats_copy(old, state);
            status = gmm_stats_scale(old, (1.0 - eta) / old->weight_sum, err);
        }
        if (status == GMM_OK)
            status = gmm_stats_scale(next, eta, err);
        if (status == GMM_OK)
            status = gmm_stats_combine(next, old, err);
        gmm_stats_free(old);
    }
    if (status == GMM_OK)
        status = gmm_stats_mstep(model, next, err);
    if (status == GMM_OK) {
        gmm_stats_copy(state, next);
        gmm_model_set_fit_info(model, 0, model->n_iter + 1, lower_bound);
    }
    gmm_stats_free(next);
    return status;
}

gmm_status gmm_partial_fit(gmm_model *model, gmm_stats *state, const double *X,
                           size_t n_rows, size_t n_features,
                           const double *sample_weight, gmm_error *err)
{
    const gmm_options *o = &model->options;
    gmm_covariance_layout layout =
        gmm_covariance_model_of(o->covariance_type)->statistics;
    if (state->n_components != o->n_components ||
        state->n_features != n_features || state->layout.block != layout.block ||
        state->layout.shared != layout.shared)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "the online state (%zu components, %zu features) does "
                        "not fit the model and data (%zu components, %zu "
                        "features, %s covariances)", state->n_components,
                        state->n_features, o->n_components, n_features,
                        gmm_covariance_type_name(o->covariance_type));
    if (model->fitted && n_features != model->params.n_features)
        return gmm_fail(err, GMM_ERR_DATA, "the model has %zu features but the "
                        "batch has %zu", model->params.n_features, n_features);
    int initialized = !model->fitted;
    gmm_status status = GMM_OK;
    if (initialized)
        status = initialize(model, X, n_rows, n_features, sample_weight, err);
    if (status == GMM_OK)
        status = step(model, state, X, n_rows, n_features, sample_weight, err);
    if (status != GMM_OK && initialized && model->fitted) {
        gmm_params_free(&model->params);
        model->fitted = 0;
    }
    if (status == GMM_OK)
        gmm_error_clear(err);
    return status;
}
