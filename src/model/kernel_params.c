/*
 * kernel_params.c — the parameters rounded for the kernels
 * (kernel_params.h).
 */
#include "model/kernel_params.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/chunk.h"
#include "kernels/layout.h"
#include "model/covariance.h"
#include "util/error.h"

/* Elements of the padded factors: the layout's blocks at pd features. */
static size_t factors_size(const gmm_kernel_params *params)
{
    return gmm_layout_size(params->layout, params->n_components,
                           gmm_padded_features(params->n_features));
}

gmm_status gmm_kernel_params_alloc(gmm_kernel_params *params,
                                   const gmm_kernels *kernels,
                                   size_t n_components, size_t n_features,
                                   gmm_covariance_type type, gmm_error *err)
{
    size_t pd = gmm_padded_features(n_features);
    memset(params, 0, sizeof *params);
    params->kernels = kernels;
    params->n_components = n_components;
    params->n_features = n_features;
    params->layout = gmm_covariance_model_of(type)->drawn;
    size_t n_means = n_components * pd, n_factors = factors_size(params);
    params->origin = calloc(n_features, sizeof *params->origin);
    params->means = calloc(n_means, kernels->element_size);
    params->own_factors = calloc(n_factors, kernels->element_size);
    params->factors = params->own_factors;
    params->offsets = malloc(n_components * sizeof *params->offsets);
    params->shifts = malloc(n_components * n_features * sizeof *params->shifts);
    /* The means and one block of factors, each rounded in turn: zeros
     * where the padding is, set once; set() writes the rest. */
    params->staging = calloc(n_means + gmm_layout_block_size(params->layout, pd),
                             sizeof *params->staging);
    if (!params->origin || !params->means || !params->factors ||
        !params->offsets || !params->shifts || !params->staging) {
        gmm_kernel_params_free(params);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the kernels' "
                        "parameters (%zu components, %zu features)",
                        n_components, n_features);
    }
    return GMM_OK;
}

void gmm_kernel_params_free(gmm_kernel_params *params)
{
    free(params->origin);
    free(params->means);
    free(params->own_factors);
    free(params->offsets);
    free(params->shifts);
    free(params->staging);
    memset(params, 0, sizeof *params);
}

void gmm_kernel_params_set(gmm_kernel_params *params, const gmm_params *src)
{
    size_t n_comp = src->n_components, d = src->n_features;
    size_t pd = gmm_padded_features(d);
    const gmm_kernels *kernels = params->kernels;
    double *staged = params->staging, *staged_factors = staged + n_comp * pd;
    assert(params->n_components == n_comp && params->n_features == d);
    /* The origin: the mixture's mean, where the data are. */
    for (size_t j = 0; kernels->centres_rows && j < d; j++) {
        double sum = 0.0;
        for (size_t k = 0; k < n_comp; k++)
            sum += src->weights[k] * src->means[k * d + j];
        params->origin[j] = sum;
    }
    for (size_t k = 0; k < n_comp; k++)
        for (size_t j = 0; j < d; j++)
            staged[k * pd + j] = src->means[k * d + j] - params->origin[j];
    kernels->store(params->means, staged, n_comp * pd);
    /* The shifts the kernels subtract, exactly: a rounded mean plus the
     * origin; unrounded means as they are. */
    for (size_t k = 0; k < n_comp; k++)
        for (size_t j = 0; j < d; j++)
            params->shifts[k * d + j] =
                kernels->centres_rows ? params->origin[j] + staged[k * pd + j]
                                      : src->means[k * d + j];

    /* Each block of factors zero-padded to pd features: a matrix's upper
     * triangle (pd x pd), a diagonal's pd values, a scalar's one. */
    gmm_covariance_layout layout = params->layout;
    gmm_covariance_layout stored =
        gmm_covariance_model_of(src->covariance_type)->covariances;
    size_t size = gmm_layout_block_size(stored, d);
    size_t padded = gmm_layout_block_size(layout, pd);
    params->factors = params->own_factors;
    if (kernels->element_size == sizeof(double) && pd == d &&
        gmm_layout_is_matrix(layout))
        params->factors = src->precisions_chol;
    for (size_t b = 0; params->factors == params->own_factors &&
                       b < gmm_layout_n_blocks(layout, n_comp); b++) {
        const double *chol = src->precisions_chol + b * size;
        double *out = staged_factors;
        if (gmm_layout_is_matrix(layout))
            for (size_t j = 0; j < d; j++)
                for (size_t c = j; c < d; c++)
                    out[j * pd + c] = chol[j * d + c];
        else if (gmm_layout_is_matrix(stored))
            /* A diagonal matrix's factor is diagonal: 1 / sqrt(variance). */
            for (size_t j = 0; j < gmm_layout_block_size(layout, d); j++)
                out[j] = chol[j * d + j];
        else
            for (size_t j = 0; j < size; j++)
                out[j] = chol[j];
        kernels->store((char *)params->own_factors +
                           b * padded * kernels->element_size,
                       staged_factors, padded);
    }
    const double *log_weights = src->posterior.storage ? src->posterior.log_weights : NULL;
    for (size_t k = 0; k < n_comp; k++)
        params->offsets[k] = src->log_det_chol[k] +
                             (log_weights ? log_weights[k] : log(src->weights[k]));
}
