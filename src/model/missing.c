/*
 * missing.c — marginal densities and conditional moments under a
 * missingness pattern (missing.h).
 */
#include "model/missing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/kernels.h"
#include "linalg/linalg.h"
#include "model/covariance.h"
#include "rows/missing.h"
#include "util/error.h"

gmm_status gmm_missing_factors_alloc(gmm_missing_factors *f,
                                     gmm_covariance_type type,
                                     size_t n_components, size_t n_features,
                                     gmm_error *err)
{
    memset(f, 0, sizeof *f);
    size_t d = n_features;
    f->n_features = d;
    f->n_components = n_components;
    f->layout = gmm_covariance_model_of(type)->covariances;
    /* n_obs^2 + n_obs n_mis + n_mis^2 <= d^2 for matrices. */
    f->block_size = gmm_layout_is_matrix(f->layout) ? d * d : d;
    size_t n_blocks = gmm_layout_n_blocks(f->layout, n_components);
    size_t doubles = n_blocks * (f->block_size + 1);
    f->storage = malloc(doubles * sizeof *f->storage);
    f->obs = malloc(2 * d * sizeof *f->obs);
    f->pattern = malloc(gmm_missing_words(d) * sizeof *f->pattern);
    if (!f->storage || !f->obs || !f->pattern) {
        gmm_missing_factors_free(f);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for the factors "
                        "of a missingness pattern (%zu components, %zu "
                        "features)", n_components, d);
    }
    f->mis = f->obs + d;
    f->blocks = f->storage;
    f->log_det = f->storage + n_blocks * f->block_size;
    return GMM_OK;
}

void gmm_missing_factors_free(gmm_missing_factors *f)
{
    free(f->storage);
    free(f->obs);
    free(f->pattern);
    memset(f, 0, sizeof *f);
}

/* A matrix block S (d x d) under the pattern: L, G, the conditional
 * covariance. Cost n_obs^3 / 3 + n_obs^2 n_mis + n_obs n_mis^2 / 2. */
static int factor_matrix(const gmm_missing_factors *f, const double *S,
                         double *out, double *log_det)
{
    size_t d = f->n_features, no = f->n_obs, nm = f->n_mis;
    double *L = out, *G = L + no * no, *C = G + no * nm;
    for (size_t a = 0; a < no; a++)
        for (size_t b = 0; b < no; b++)
            L[a * no + b] = S[f->obs[a] * d + f->obs[b]];
    int failed = gmm_linalg_cholesky_unblocked(L, no);
    if (failed)
        return failed;
    *log_det = 0.0;
    for (size_t a = 0; a < no; a++)
        *log_det += log(L[a * no + a]);
    /* G = L^-1 S_om by forward substitution, column by column. */
    for (size_t a = 0; a < no; a++)
        for (size_t c = 0; c < nm; c++) {
            double v = S[f->obs[a] * d + f->mis[c]];
            for (size_t b = 0; b < a; b++)
                v -= L[a * no + b] * G[b * nm + c];
            G[a * nm + c] = v / L[a * no + a];
        }
    for (size_t c = 0; c < nm; c++)
        for (size_t e = 0; e < nm; e++) {
            double v = S[f->mis[c] * d + f->mis[e]];
            for (size_t a = 0; a < no; a++)
                v -= G[a * nm + c] * G[a * nm + e];
            C[c * nm + e] = v;
        }
    return 0;
}

/* A variance block (feature j's variance at v[j * stride]). */
static int factor_variances(const gmm_missing_factors *f, const double *v,
                            size_t stride, double *out, double *log_det)
{
    *log_det = 0.0;
    for (size_t a = 0; a < f->n_obs; a++) {
        double var = v[f->obs[a] * stride];
        if (!(var > 0.0))
            return (int)a + 1;
        out[a] = 1.0 / sqrt(var);
        *log_det += 0.5 * log(var);
    }
    for (size_t c = 0; c < f->n_mis; c++)
        out[f->n_obs + c] = v[f->mis[c] * stride];
    return 0;
}

gmm_status gmm_missing_factors_set(gmm_missing_factors *f, const gmm_params *p,
                                   const uint64_t *mask, gmm_error *err)
{
    size_t d = f->n_features;
    f->is_set = 0;
    f->n_obs = f->n_mis = 0;
    for (size_t j = 0; j < d; j++) {
        if (gmm_missing_bit(mask, j))
            f->mis[f->n_mis++] = j;
        else
            f->obs[f->n_obs++] = j;
    }
    size_t cov_block = gmm_layout_block_size(f->layout, d);
    size_t n_blocks = gmm_layout_n_blocks(f->layout, f->n_components);
    for (size_t b = 0; b < n_blocks; b++) {
        const double *S = p->covariances + b * cov_block;
        double *out = f->blocks + b * f->block_size;
        int failed = gmm_layout_is_matrix(f->layout)
                         ? factor_matrix(f, S, out, &f->log_det[b])
                         : factor_variances(f, S,
                                            gmm_layout_variance_stride(f->layout),
                                            out, &f->log_det[b]);
        if (failed)
            return gmm_fail(err, GMM_ERR_NUMERIC,
                            "the covariance of component %zu, restricted to "
                            "the %zu observed features of a row with missing "
                            "entries, is not positive definite; try to "
                            "increase reg_covar", b, f->n_obs);
    }
    memcpy(f->pattern, mask, gmm_missing_words(d) * sizeof *mask);
    f->is_set = 1;
    return GMM_OK;
}

int gmm_missing_factors_match(const gmm_missing_factors *f, const uint64_t *mask)
{
    return f->is_set && memcmp(f->pattern, mask, gmm_missing_words(f->n_features) *
                                                     sizeof *mask) == 0;
}

gmm_status gmm_missing_factors_update(gmm_missing_factors *f,
                                      const gmm_params *p, const uint64_t *mask,
                                      gmm_error *err)
{
    return gmm_missing_factors_match(f, mask) ? GMM_OK
                                              : gmm_missing_factors_set(f, p, mask, err);
}

const double *gmm_missing_conditional_cov(const gmm_missing_factors *f,
                                          size_t k, int *is_matrix)
{
    const double *block = f->blocks + gmm_layout_block_of(f->layout, k) *
                                          f->block_size;
    *is_matrix = gmm_layout_is_matrix(f->layout);
    return *is_matrix ? block + f->n_obs * (f->n_obs + f->n_mis) : block + f->n_obs;
}

void gmm_missing_log_prob(const gmm_missing_factors *f, const gmm_params *p,
                          const double *x, double *log_prob,
                          double *cond_means, double *work)
{
    size_t d = f->n_features, no = f->n_obs, nm = f->n_mis;
    int matrix = gmm_layout_is_matrix(f->layout);
    double constant = -0.5 * (double)no * GMM_LOG_2PI;
    for (size_t k = 0; k < f->n_components; k++) {
        size_t b = gmm_layout_block_of(f->layout, k);
        const double *factor = f->blocks + b * f->block_size;
        const double *mu = p->means + k * d;
        double *z = work, maha = 0.0;
        /* z = L^-1 (x_o - mu_o): no^2 / 2 multiply-adds (matrix), no
         * (variances). */
        for (size_t a = 0; a < no; a++) {
            double v = x[f->obs[a]] - mu[f->obs[a]];
            if (matrix) {
                for (size_t c = 0; c < a; c++)
                    v -= factor[a * no + c] * z[c];
                v /= factor[a * no + a];
            } else {
                v *= factor[a];
            }
            z[a] = v;
            maha += v * v;
        }
        log_prob[k] = log(p->weights[k]) + constant - f->log_det[b] - 0.5 * maha;
        if (!cond_means)
            continue;
        double *m = cond_means + k * nm;
        const double *G = factor + no * no;
        for (size_t c = 0; c < nm; c++)
            m[c] = mu[f->mis[c]];
        /* + G^T z: no nm multiply-adds; variance blocks have no gain. */
        for (size_t a = 0; matrix && a < no; a++)
            for (size_t c = 0; c < nm; c++)
                m[c] += G[a * nm + c] * z[a];
    }
}

double gmm_missing_normalize(double *log_prob, size_t n_components)
{
    double top = -INFINITY;
    for (size_t k = 0; k < n_components; k++)
        if (log_prob[k] > top)
            top = log_prob[k];
    double sum = 0.0;
    for (size_t k = 0; k < n_components; k++)
        sum += exp(log_prob[k] - top);
    double log_norm = top + log(sum);
    for (size_t k = 0; k < n_components; k++)
        log_prob[k] = exp(log_prob[k] - log_norm);
    return log_norm;
}
