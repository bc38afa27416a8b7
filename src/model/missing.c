/*
 * missing.c — marginal densities and conditional moments under a
 * missingness pattern (missing.h).
 */
#include "model/missing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/chunk.h"
#include "kernels/kernels.h"
#include "linalg/linalg.h"
#include "model/covariance.h"
#include "model/kernel_params.h"
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
    /* The spread regressions and the work are for matrix blocks only: a
     * diag fit of D = 100000 features has no D^2 to spare. */
    size_t square = gmm_layout_is_matrix(f->layout) ? d * d : 0;
    size_t doubles = n_blocks * (f->block_size + 1 + square) +
                     n_components * d + square;
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
    f->spread = f->log_det + n_blocks;
    f->constants = f->spread + n_blocks * square;
    f->work = f->constants + n_components * d;
    return GMM_OK;
}

void gmm_missing_factors_free(gmm_missing_factors *f)
{
    free(f->storage);
    free(f->obs);
    free(f->pattern);
    memset(f, 0, sizeof *f);
}

/* A matrix block S (d x d) under the pattern: U, B, the conditional
 * covariance. With L L^T = S_oo and X = L^-1 (in f->work), U = X^T,
 * Y = X S_om, B = Y^T X and the conditional covariance S_mm - Y^T Y.
 * Cost about n_obs^3 / 2 + n_obs^2 n_mis + n_obs n_mis^2 / 2. */
static int factor_matrix(const gmm_missing_factors *f, const double *S,
                         double *out, double *log_det)
{
    size_t d = f->n_features, no = f->n_obs, nm = f->n_mis;
    double *U = out, *B = U + no * no, *C = B + nm * no;
    double *L = f->work, *X = U, *Y = f->work;
    for (size_t a = 0; a < no; a++)
        for (size_t b = 0; b < no; b++)
            L[a * no + b] = S[f->obs[a] * d + f->obs[b]];
    int failed = gmm_linalg_cholesky_unblocked(L, no);
    if (failed)
        return failed;
    *log_det = 0.0;
    for (size_t a = 0; a < no; a++)
        *log_det += log(L[a * no + a]);
    /* X = L^-1, lower, column by column by forward substitution; then U
     * = X^T in place. */
    memset(X, 0, no * no * sizeof *X);
    for (size_t c = 0; c < no; c++)
        for (size_t a = c; a < no; a++) {
            double v = a == c ? 1.0 : 0.0;
            for (size_t b = c; b < a; b++)
                v -= L[a * no + b] * X[b * no + c];
            X[a * no + c] = v / L[a * no + a];
        }
    /* Y = X S_om (n_obs x n_mis), over L, which is no longer needed. */
    for (size_t a = 0; a < no; a++)
        for (size_t c = 0; c < nm; c++) {
            double v = 0.0;
            for (size_t b = 0; b <= a; b++)
                v += X[a * no + b] * S[f->obs[b] * d + f->mis[c]];
            Y[a * nm + c] = v;
        }
    for (size_t c = 0; c < nm; c++) {
        for (size_t a = 0; a < no; a++) {
            double v = 0.0;
            for (size_t b = a; b < no; b++)
                v += Y[b * nm + c] * X[b * no + a];
            B[c * no + a] = v;
        }
        for (size_t e = 0; e < nm; e++) {
            double v = S[f->mis[c] * d + f->mis[e]];
            for (size_t a = 0; a < no; a++)
                v -= Y[a * nm + c] * Y[a * nm + e];
            C[c * nm + e] = v;
        }
    }
    for (size_t a = 0; a < no; a++)
        for (size_t b = a + 1; b < no; b++) {
            U[a * no + b] = X[b * no + a];
            X[b * no + a] = 0.0;
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

/* Block b's spread regression (missing.h). */
static void spread_regression(gmm_missing_factors *f, size_t b)
{
    size_t d = f->n_features, no = f->n_obs, nm = f->n_mis;
    const double *B = f->blocks + b * f->block_size + no * no;
    double *out = f->spread + b * d * d;
    memset(out, 0, nm * d * sizeof *out);
    if (!gmm_layout_is_matrix(f->layout))
        return;
    for (size_t c = 0; c < nm; c++)
        for (size_t a = 0; a < no; a++)
            out[c * d + f->obs[a]] = B[c * no + a];
}

/* Per component, mu_m - B mu_o (mu_m for variance blocks). */
static void conditional_constants(gmm_missing_factors *f, const gmm_params *p)
{
    size_t d = f->n_features, nm = f->n_mis;
    int matrix = gmm_layout_is_matrix(f->layout);
    for (size_t k = 0; k < f->n_components; k++) {
        const double *R = matrix ? f->spread + gmm_layout_block_of(f->layout, k) *
                                                   d * d
                                 : NULL;
        const double *mu = p->means + k * d;
        for (size_t c = 0; c < nm; c++) {
            double v = mu[f->mis[c]];
            for (size_t j = 0; matrix && j < d; j++)
                v -= R[c * d + j] * mu[j];
            f->constants[k * d + c] = v;
        }
    }
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
    for (size_t b = 0; gmm_layout_is_matrix(f->layout) && b < n_blocks; b++)
        spread_regression(f, b);
    conditional_constants(f, p);
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
    double *diff = work;
    for (size_t k = 0; k < f->n_components; k++) {
        size_t b = gmm_layout_block_of(f->layout, k);
        const double *U = f->blocks + b * f->block_size;
        const double *mu = p->means + k * d;
        for (size_t a = 0; a < no; a++)
            diff[a] = x[f->obs[a]] - mu[f->obs[a]];
        /* |U^T diff|^2: no^2 / 2 multiply-adds (matrix), no (variances). */
        double maha = 0.0;
        for (size_t a = 0; a < no; a++) {
            double z = 0.0;
            if (matrix)
                for (size_t c = 0; c <= a; c++)
                    z += U[c * no + a] * diff[c];
            else
                z = U[a] * diff[a];
            maha += z * z;
        }
        log_prob[k] = log(p->weights[k]) + constant - f->log_det[b] - 0.5 * maha;
        if (!cond_means)
            continue;
        double *m = cond_means + k * nm;
        const double *B = U + no * no;
        /* + B diff: no nm multiply-adds; variance blocks have no B. */
        for (size_t c = 0; c < nm; c++) {
            double v = mu[f->mis[c]];
            for (size_t a = 0; matrix && a < no; a++)
                v += B[c * no + a] * diff[a];
            m[c] = v;
        }
    }
}

gmm_status gmm_missing_kernel_params_alloc(gmm_kernel_params *params,
                                           const gmm_params *p, gmm_error *err)
{
    /* Per component, whatever the model shares: each component's marginal
     * has its own offset, and a shared block costs one more copy only. */
    int matrix = gmm_layout_is_matrix(
        gmm_covariance_model_of(p->covariance_type)->covariances);
    return gmm_kernel_params_alloc(params, &gmm_kernels_f64, p->n_components,
                                   p->n_features,
                                   matrix ? GMM_COVARIANCE_FULL
                                          : GMM_COVARIANCE_DIAG, err);
}

void gmm_missing_kernel_params_set(gmm_kernel_params *params,
                                   const gmm_missing_factors *f,
                                   const gmm_params *p)
{
    size_t d = f->n_features, no = f->n_obs, pd = gmm_padded_features(d);
    int matrix = gmm_layout_is_matrix(f->layout);
    double *means = params->means, *factors = params->own_factors;
    size_t block = matrix ? pd * pd : pd;
    params->factors = factors;
    memset(factors, 0, f->n_components * block * sizeof *factors);
    for (size_t k = 0; k < f->n_components; k++) {
        size_t b = gmm_layout_block_of(f->layout, k);
        const double *U = f->blocks + b * f->block_size;
        double *out = factors + k * block;
        for (size_t j = 0; j < d; j++) {
            means[k * pd + j] = p->means[k * d + j];
            params->shifts[k * d + j] = p->means[k * d + j];
        }
        /* obs is ascending, so U stays upper triangular spread out. */
        for (size_t a = 0; a < no; a++) {
            if (!matrix) {
                out[f->obs[a]] = U[a];
                continue;
            }
            for (size_t c = a; c < no; c++)
                out[f->obs[a] * pd + f->obs[c]] = U[a * no + c];
        }
        /* The kernels take D features' normalization; the marginal has
         * n_obs. */
        params->offsets[k] = log(p->weights[k]) - f->log_det[b] +
                             0.5 * (double)(d - no) * GMM_LOG_2PI;
    }
}

GMM_KERNEL
void gmm_missing_complete(const gmm_missing_factors *f, const gmm_params *p,
                          size_t k, const double *X, size_t n_rows, double *out)
{
    (void)p;
    size_t d = f->n_features, nm = f->n_mis;
    int matrix = gmm_layout_is_matrix(f->layout);
    const double *R = matrix ? f->spread + gmm_layout_block_of(f->layout, k) * d * d
                             : NULL;
    const double *constants = f->constants + k * d;
    /* Per row, mu_m - B mu_o + B x over all features: n_mis D
     * multiply-adds in a contiguous, vectorizable loop (the missing
     * entries, whatever they hold, meet zeros). */
    memcpy(out, X, n_rows * d * sizeof *out);
    for (size_t i = 0; i < n_rows; i++) {
        const double *x = X + i * d;
        double *y = out + i * d;
        for (size_t c = 0; c < nm; c++) {
            double v = 0.0;
            for (size_t j = 0; matrix && j < d; j++)
                v += R[c * d + j] * x[j];
            y[f->mis[c]] = constants[c] + v;
        }
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
