/*
 * params.c — allocation, copying and precision factors of gmm_params.
 */
#include "model/params.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/chunk.h"
#include "linalg/linalg.h"
#include "util/error.h"

size_t gmm_covariance_size(gmm_covariance_type type, size_t n_components,
                           size_t n_features)
{
    switch (type) {
    case GMM_COVARIANCE_FULL: return n_components * n_features * n_features;
    case GMM_COVARIANCE_TIED: return n_features * n_features;
    case GMM_COVARIANCE_DIAG: return n_components * n_features;
    case GMM_COVARIANCE_SPHERICAL: return n_components;
    }
    return 0;
}

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

void gmm_params_free(gmm_params *params)
{
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
}

void gmm_params_log_weights(const gmm_params *params, double *log_weights)
{
    for (size_t k = 0; k < params->n_components; k++)
        log_weights[k] = log(params->weights[k]);
}

void gmm_params_component_covariance(const gmm_params *params, size_t k,
                                     double *cov)
{
    size_t d = params->n_features;
    const double *c = params->covariances;
    switch (params->covariance_type) {
    case GMM_COVARIANCE_FULL:
        memcpy(cov, c + k * d * d, d * d * sizeof *cov);
        return;
    case GMM_COVARIANCE_TIED:
        memcpy(cov, c, d * d * sizeof *cov);
        return;
    case GMM_COVARIANCE_DIAG:
    case GMM_COVARIANCE_SPHERICAL:
        for (size_t i = 0; i < d * d; i++)
            cov[i] = 0.0;
        for (size_t i = 0; i < d; i++)
            cov[i * d + i] = params->covariance_type == GMM_COVARIANCE_DIAG
                                 ? c[k * d + i] : c[k];
        return;
    }
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
 * formatting it for every factorization was 1.7% of an Old Faithful
 * iteration (perf). */
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

gmm_status gmm_params_update_precisions(gmm_params *params, gmm_error *err)
{
    size_t n_comp = params->n_components, d = params->n_features;
    char what[64];
    switch (params->covariance_type) {
    case GMM_COVARIANCE_FULL:
        for (size_t k = 0; k < n_comp; k++) {
            gmm_status status = update_matrix(
                params->covariances + k * d * d, d,
                params->precisions_chol + k * d * d, &params->log_det_chol[k],
                k, err);
            if (status != GMM_OK)
                return status;
        }
        return GMM_OK;
    case GMM_COVARIANCE_TIED: {
        gmm_status status = update_matrix(params->covariances, d,
                                          params->precisions_chol,
                                          &params->log_det_chol[0],
                                          TIED_MATRIX, err);
        for (size_t k = 1; k < n_comp; k++)
            params->log_det_chol[k] = params->log_det_chol[0];
        return status;
    }
    case GMM_COVARIANCE_DIAG:
    case GMM_COVARIANCE_SPHERICAL: {
        size_t per_comp = params->covariance_type == GMM_COVARIANCE_DIAG ? d : 1;
        for (size_t k = 0; k < n_comp; k++) {
            double log_det = 0.0;
            for (size_t j = 0; j < per_comp; j++) {
                double var = params->covariances[k * per_comp + j];
                if (!(var > 0.0) || !isfinite(var)) {
                    snprintf(what, sizeof what, "component %zu", k);
                    return !isfinite(var) ? overflowed(err, what)
                                      : ill_defined(err, what);
                }
                double pc = 1.0 / sqrt(var);
                params->precisions_chol[k * per_comp + j] = pc;
                log_det += log(pc);
            }
            /* A spherical component's determinant is var^D. */
            params->log_det_chol[k] = per_comp == 1 ? (double)d * log_det : log_det;
        }
        return GMM_OK;
    }
    }
    return gmm_fail(err, GMM_ERR_INVALID, "unknown covariance type");
}

gmm_status gmm_params_f32_alloc(gmm_params_f32 *params, size_t n_components,
                                size_t n_features, gmm_covariance_type type,
                                gmm_error *err)
{
    size_t pd = gmm_padded_features(n_features);
    memset(params, 0, sizeof *params);
    params->n_components = n_components;
    params->n_features = n_features;
    params->covariance_type = type;
    params->origin = malloc(n_features * sizeof *params->origin);
    params->means = calloc(n_components * pd, sizeof *params->means);
    params->precisions_chol = calloc(gmm_covariance_size(type, n_components, pd),
                                     sizeof *params->precisions_chol);
    if (!params->origin || !params->means || !params->precisions_chol) {
        gmm_params_f32_free(params);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for float32 "
                        "parameters (%zu components, %zu features)",
                        n_components, n_features);
    }
    return GMM_OK;
}

void gmm_params_f32_free(gmm_params_f32 *params)
{
    free(params->origin);
    free(params->means);
    free(params->precisions_chol);
    params->origin = NULL;
    params->means = params->precisions_chol = NULL;
}

void gmm_params_f32_set(gmm_params_f32 *params, const gmm_params *src)
{
    size_t n_comp = src->n_components, d = src->n_features;
    size_t pd = gmm_padded_features(d);
    assert(params->n_components == n_comp && params->n_features == d &&
           params->covariance_type == src->covariance_type);
    /* The origin: the mixture's mean, where the data are. */
    for (size_t j = 0; j < d; j++) {
        double sum = 0.0;
        for (size_t k = 0; k < n_comp; k++)
            sum += src->weights[k] * src->means[k * d + j];
        params->origin[j] = sum;
    }
    for (size_t k = 0; k < n_comp; k++)
        for (size_t j = 0; j < pd; j++)
            params->means[k * pd + j] =
                j < d ? (float)(src->means[k * d + j] - params->origin[j]) : 0.0f;
    const double *chol = src->precisions_chol;
    float *out = params->precisions_chol;
    switch (src->covariance_type) {
    case GMM_COVARIANCE_FULL:
    case GMM_COVARIANCE_TIED: {
        size_t n_mat = src->covariance_type == GMM_COVARIANCE_FULL ? n_comp : 1;
        for (size_t k = 0; k < n_mat; k++)
            for (size_t j = 0; j < pd; j++)
                for (size_t c = 0; c < pd; c++)
                    out[(k * pd + j) * pd + c] =
                        j <= c && c < d ? (float)chol[(k * d + j) * d + c] : 0.0f;
        break;
    }
    case GMM_COVARIANCE_DIAG:
        for (size_t k = 0; k < n_comp; k++)
            for (size_t j = 0; j < pd; j++)
                out[k * pd + j] = j < d ? (float)chol[k * d + j] : 0.0f;
        break;
    case GMM_COVARIANCE_SPHERICAL:
        for (size_t k = 0; k < n_comp; k++)
            out[k] = (float)chol[k];
        break;
    }
    params->log_det_chol = src->log_det_chol;
}

void gmm_params_f32_shifts(const gmm_params_f32 *params, double *shifts)
{
    size_t d = params->n_features, pd = gmm_padded_features(d);
    for (size_t k = 0; k < params->n_components; k++)
        for (size_t j = 0; j < d; j++)
            shifts[k * d + j] = params->origin[j] + (double)params->means[k * pd + j];
}
