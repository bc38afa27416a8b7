/*
 * params.c — allocation, copying and precision factors of gmm_params.
 */
#include "model/params.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/layout.h"
#include "linalg/linalg.h"
#include "model/covariance.h"
#include "util/error.h"

gmm_status gmm_params_alloc(gmm_params *params, size_t n_components,
                            size_t n_features, gmm_covariance_type type,
                            gmm_error *err)
{
    size_t cov_size = gmm_covariance_size(type, n_components, n_features);
    memset(params, 0, sizeof *params);
    params->n_components = n_components;
    params->n_features = n_features;
    params->covariance_type = type;
    params->weights = malloc(n_components * sizeof(double));
    params->means = malloc(n_components * n_features * sizeof(double));
    params->covariances = malloc(cov_size * sizeof(double));
    params->precisions_chol = malloc(cov_size * sizeof(double));
    params->log_det_chol = malloc(n_components * sizeof(double));
    if (!params->weights || !params->means || !params->covariances ||
        !params->precisions_chol || !params->log_det_chol) {
        gmm_params_free(params);
        return gmm_fail(err, GMM_ERR_NOMEM,
                        "out of memory allocating parameters for %zu components "
                        "of %zu features", n_components, n_features);
    }
    return GMM_OK;
}

gmm_status gmm_params_alloc_posterior(gmm_params *params,
                                      gmm_weight_prior prior, gmm_error *err)
{
    size_t k = params->n_components, d = params->n_features;
    gmm_covariance_layout layout =
        gmm_covariance_model_of(params->covariance_type)->covariances;
    size_t n_prior = gmm_layout_block_size(layout, d);
    size_t n_concentration = prior == GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS ? 2 * k : k;
    gmm_params_posterior *p = &params->posterior;
    p->storage_size = d + n_prior + n_concentration + 3 * k;
    p->storage = calloc(p->storage_size, sizeof *p->storage);
    if (!p->storage)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for a posterior of "
                        "%zu components of %zu features", k, d);
    p->weight_prior = prior;
    p->weight_concentration_prior = p->mean_precision_prior =
        p->degrees_of_freedom_prior = NAN;
    p->mean_prior = p->storage;
    p->covariance_prior = p->mean_prior + d;
    p->weight_concentration = p->covariance_prior + n_prior;
    p->mean_precision = p->weight_concentration + n_concentration;
    p->degrees_of_freedom = p->mean_precision + k;
    p->log_weights = p->degrees_of_freedom + k;
    return GMM_OK;
}

void gmm_params_free(gmm_params *params)
{
    free(params->posterior.storage);
    free(params->weights);
    free(params->means);
    free(params->covariances);
    free(params->precisions_chol);
    free(params->log_det_chol);
    memset(params, 0, sizeof *params);
}

void gmm_params_copy(gmm_params *dst, const gmm_params *src)
{
    size_t k = src->n_components, d = src->n_features;
    size_t cov_size = gmm_covariance_size(src->covariance_type, k, d);
    memcpy(dst->weights, src->weights, k * sizeof(double));
    memcpy(dst->means, src->means, k * d * sizeof(double));
    memcpy(dst->covariances, src->covariances, cov_size * sizeof(double));
    memcpy(dst->precisions_chol, src->precisions_chol, cov_size * sizeof(double));
    memcpy(dst->log_det_chol, src->log_det_chol, k * sizeof(double));
    gmm_params_posterior *to = &dst->posterior;
    const gmm_params_posterior *from = &src->posterior;
    if (to->storage && from->storage) {
        memcpy(to->storage, from->storage, from->storage_size * sizeof(double));
        to->weight_concentration_prior = from->weight_concentration_prior;
        to->mean_precision_prior = from->mean_precision_prior;
        to->degrees_of_freedom_prior = from->degrees_of_freedom_prior;
    }
}

void gmm_params_component_covariance(const gmm_params *params, size_t k,
                                     double *cov)
{
    size_t d = params->n_features;
    gmm_covariance_layout layout =
        gmm_covariance_model_of(params->covariance_type)->covariances;
    const double *c = params->covariances +
                      gmm_layout_block_of(layout, k) * gmm_layout_block_size(layout, d);
    if (gmm_layout_is_matrix(layout)) {
        memcpy(cov, c, d * d * sizeof *cov);
        return;
    }
    size_t stride = gmm_layout_variance_stride(layout);
    for (size_t i = 0; i < d * d; i++)
        cov[i] = 0.0;
    for (size_t i = 0; i < d; i++)
        cov[i * d + i] = c[i * stride];
}

static gmm_status ill_defined(gmm_error *err, const char *what)
{
    return gmm_fail(err, GMM_ERR_NUMERIC,
                    "%s has an ill-defined empirical covariance (not positive "
                    "definite; for instance caused by singleton or collapsed "
                    "samples). Try to decrease the number of components, or "
                    "increase reg_covar.", what);
}

/* A variance past DBL_MAX (inf, or NaN from inf - inf; the data are
 * finite) is not a collapse but data too spread out to be
 * squared in doubles (deviations beyond about 1e154): say so, since more
 * reg_covar or fewer components would not help. */
static gmm_status overflowed(gmm_error *err, const char *what)
{
    return gmm_fail(err, GMM_ERR_NUMERIC,
                    "%s has a covariance beyond the range of a double (the "
                    "data's spread, squared, overflows: deviations of about "
                    "1e154 or more). Rescale the data, e.g. divide each "
                    "feature by its standard deviation.", what);
}

static int all_finite(const double *values, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!isfinite(values[i]))
            return 0;
    return 1;
}

/* The matrix's name in messages: "component K", or "the tied
 * covariance" for component SIZE_MAX. Made only when a message needs it:
 * formatting it for every factorization showed in tiny fits' profiles
 * (bench/RESULTS.md note 13). */
#define TIED_MATRIX SIZE_MAX
static const char *matrix_name(size_t k, char *buffer, size_t size)
{
    if (k == TIED_MATRIX)
        return "the tied covariance";
    snprintf(buffer, size, "component %zu", k);
    return buffer;
}

/* Covariances up to this size are factored in a stack buffer: a malloc
 * and free per component and iteration is measurable at D = 2, and
 * 2 KiB of stack is nothing. */
#define STACK_MATRIX_DOUBLES 256

static gmm_status update_matrix(const double *cov, size_t d, double *u,
                                double *log_det, size_t k, gmm_error *err)
{
    char name[64];
    if (!all_finite(cov, d * d))
        return overflowed(err, matrix_name(k, name, sizeof name));
    double stack_work[STACK_MATRIX_DOUBLES];
    double *work = d * d <= STACK_MATRIX_DOUBLES ? stack_work
                                                 : malloc(d * d * sizeof *work);
    if (!work)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory factoring a %zu x %zu "
                        "covariance", d, d);
    int failed = gmm_linalg_precision_cholesky(cov, d, u, work);
    if (work != stack_work)
        free(work);
    if (failed)
        return ill_defined(err, matrix_name(k, name, sizeof name));
    *log_det = gmm_linalg_log_det_triangular(u, d);
    if (!isfinite(*log_det))
        return ill_defined(err, matrix_name(k, name, sizeof name));
    return GMM_OK;
}

/* A block of D or 1 variances into its factor, 1/sqrt(variance) each,
 * and its log-determinant (a scalar block is the variance D times). */
static gmm_status update_variances(const double *var, size_t count, size_t d,
                                   double *pc, double *log_det, size_t k,
                                   gmm_error *err)
{
    char name[64];
    double sum = 0.0;
    for (size_t j = 0; j < count; j++) {
        if (!(var[j] > 0.0) || !isfinite(var[j]))
            return !isfinite(var[j]) ? overflowed(err, matrix_name(k, name, sizeof name))
                                     : ill_defined(err, matrix_name(k, name, sizeof name));
        pc[j] = 1.0 / sqrt(var[j]);
        sum += log(pc[j]);
    }
    *log_det = count == 1 ? (double)d * sum : sum;
    return GMM_OK;
}

gmm_status gmm_params_update_precisions(gmm_params *params, gmm_error *err)
{
    size_t n_comp = params->n_components, d = params->n_features;
    gmm_covariance_layout layout =
        gmm_covariance_model_of(params->covariance_type)->covariances;
    size_t size = gmm_layout_block_size(layout, d);
    size_t n_blocks = gmm_layout_n_blocks(layout, n_comp);
    /* Block b's log-determinant into log_det_chol[b], then every
     * component's from its block. */
    for (size_t b = 0; b < n_blocks; b++) {
        size_t name = layout.shared ? TIED_MATRIX : b;
        const double *cov = params->covariances + b * size;
        double *factor = params->precisions_chol + b * size;
        gmm_status status =
            gmm_layout_is_matrix(layout)
                ? update_matrix(cov, d, factor, &params->log_det_chol[b], name, err)
                : update_variances(cov, size, d, factor, &params->log_det_chol[b],
                                   name, err);
        if (status != GMM_OK)
            return status;
    }
    for (size_t k = n_blocks; k < n_comp; k++)
        params->log_det_chol[k] = params->log_det_chol[gmm_layout_block_of(layout, k)];
    return GMM_OK;
}
