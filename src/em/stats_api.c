/*
 * stats_api.c — the public statistics functions that run a pass or an
 * M-step (gmm.h, "Sufficient statistics"): the fit loop's own E-step
 * pass (em/pass.h) and M-step (model/mstep.h), on the caller's rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "em/pass.h"
#include "kernels/dispatch.h"
#include "model/covariance.h"
#include "model/kernel_params.h"
#include "model/model.h"
#include "model/mstep.h"
#include "rows/check.h"
#include "util/error.h"

/* Whether stats fit a model of K components, D features (0: any) and
 * its covariance type's statistics layout. */
static gmm_status check_shape(const gmm_stats *stats, const gmm_model *model,
                              size_t n_features, gmm_error *err)
{
    gmm_covariance_layout layout =
        gmm_covariance_model_of(model->options.covariance_type)->statistics;
    if (stats->n_components != model->options.n_components ||
        (n_features && stats->n_features != n_features) ||
        stats->layout.block != layout.block ||
        stats->layout.shared != layout.shared)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "the statistics (%zu components, %zu features) do not "
                        "fit the model (%zu components, %zu features, %s "
                        "covariances)", stats->n_components, stats->n_features,
                        model->options.n_components, n_features,
                        gmm_covariance_type_name(model->options.covariance_type));
    return GMM_OK;
}

/* The caller's rows, checked, with their weights as given. */
static gmm_status caller_rows(gmm_rows *rows, const double *X, size_t n_rows,
                              size_t n_features, const double *sample_weight,
                              int n_threads, gmm_error *err)
{
    double *unused = NULL, largest;
    gmm_status status = gmm_rows_init(rows, X, n_rows, n_features, NULL, 1,
                                      n_threads, &unused, err);
    if (status != GMM_OK || !sample_weight)
        return status;
    status = gmm_validate_sample_weights(sample_weight, n_rows, &largest, err);
    if (status != GMM_OK)
        return status;
    double sum = 0.0;
    for (size_t i = 0; i < n_rows; i++)
        sum += sample_weight[i];
    if (!isfinite(sum))
        return gmm_fail(err, GMM_ERR_DATA, "the sample weights' sum is not "
                        "finite; rescale them");
    rows->weights = sample_weight;
    rows->weight_sum = sum;
    return GMM_OK;
}

gmm_status gmm_stats_accumulate(gmm_stats *stats, const gmm_model *model,
                                const double *X, size_t n_rows,
                                size_t n_features, const double *sample_weight,
                                gmm_error *err)
{
    const gmm_options *o = &model->options;
    if (!model->fitted)
        return gmm_fail(err, GMM_ERR_NOT_FITTED, "statistics are gathered "
                        "under a fitted model; this one has no parameters");
    gmm_status status = check_shape(stats, model, model->params.n_features, err);
    if (status == GMM_OK && n_features != model->params.n_features)
        status = gmm_fail(err, GMM_ERR_DATA, "the model has %zu features but "
                          "the data have %zu", model->params.n_features,
                          n_features);
    gmm_rows rows;
    if (status == GMM_OK)
        status = caller_rows(&rows, X, n_rows, n_features, sample_weight,
                             o->n_threads, err);
    if (status != GMM_OK)
        return status;

    /* Empty statistics receive the pass itself, so that one accumulate
     * over all rows is exactly the fit loop's E-step. */
    int empty = stats->weight_sum == 0.0;
    gmm_stats batch = {0};
    gmm_kernel_params params = {0};
    status = gmm_kernel_params_alloc(&params, gmm_kernels_of(o->dtype),
                                     o->n_components, n_features,
                                     o->covariance_type, err);
    if (status == GMM_OK && !empty)
        status = gmm_stats_alloc(&batch, stats->n_components, n_features,
                                 stats->layout, err);
    if (status == GMM_OK) {
        gmm_kernel_params_set(&params, &model->params);
        status = gmm_estep_pass(&rows, &params, o->n_threads, NULL,
                                empty ? stats : &batch, err);
    }
    if (status == GMM_OK && !empty)
        status = gmm_stats_combine(stats, &batch, err);
    if (status != GMM_OK && empty)
        gmm_stats_zero(stats);
    gmm_stats_release(&batch);
    gmm_kernel_params_free(&params);
    return status;
}

gmm_status gmm_stats_combine(gmm_stats *dst, const gmm_stats *src,
                             gmm_error *err)
{
    if (!gmm_stats_same_shape(dst, src))
        return gmm_fail(err, GMM_ERR_INVALID,
                        "statistics of different shapes (%zu and %zu "
                        "components, %zu and %zu features) cannot be combined",
                        dst->n_components, src->n_components,
                        dst->n_features, src->n_features);
    size_t shift_bytes = src->n_components * src->n_features * sizeof(double);
    if (src->weight_sum == 0.0)
        return GMM_OK;
    if (dst->weight_sum == 0.0)
        memcpy(dst->shifts, src->shifts, shift_bytes);
    if (memcmp(dst->shifts, src->shifts, shift_bytes) == 0) {
        gmm_stats_add(dst, src);
        return GMM_OK;
    }
    gmm_stats moved;
    gmm_status status = gmm_stats_alloc(&moved, src->n_components,
                                        src->n_features, src->layout, err);
    if (status != GMM_OK)
        return status;
    gmm_stats_copy(&moved, src);
    gmm_stats_reshift(&moved, dst->shifts);
    gmm_stats_add(dst, &moved);
    gmm_stats_release(&moved);
    return GMM_OK;
}

gmm_status gmm_stats_mstep(gmm_model *model, const gmm_stats *stats,
                           gmm_error *err)
{
    const gmm_options *o = &model->options;
    gmm_status status = check_shape(stats, model, 0, err);
    /* The posterior's update needs the fit's priors, which statistics do
     * not carry: a variational model is fitted by gmm_fit alone. */
    if (status == GMM_OK && o->weight_prior != GMM_WEIGHT_PRIOR_NONE)
        status = gmm_fail(err, GMM_ERR_INVALID, "the M-step from statistics "
                          "is EM's; a variational model (weight prior %s) is "
                          "fitted by gmm_fit", gmm_weight_prior_name(o->weight_prior));
    if (status == GMM_OK && !(stats->weight_sum > 0.0))
        status = gmm_fail(err, GMM_ERR_DATA, "the M-step needs statistics of "
                          "some rows; these are empty");
    gmm_params next = {0};
    if (status == GMM_OK)
        status = gmm_params_alloc(&next, o->n_components, stats->n_features,
                                  o->covariance_type, err);
    /* Fixed parameters are the model's own, so they are copied first. */
    if (status == GMM_OK && (o->fixed || o->equal_weights)) {
        if (!model->fitted || model->params.n_features != stats->n_features)
            status = gmm_fail(err, GMM_ERR_INVALID, "fixed parameters are the "
                              "model's own: the M-step needs a fitted model of "
                              "%zu features", stats->n_features);
        else
            gmm_params_copy(&next, &model->params);
    }
    if (status == GMM_OK)
        status = gmm_mstep_params(stats, o, &next, err);
    if (status == GMM_OK) {
        gmm_params swap = model->params;
        model->params = next;
        next = swap;
        model->fitted = 1;
    }
    gmm_params_free(&next);
    return status;
}
