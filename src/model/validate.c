/*
 * validate.c — checks of user-supplied parameters (validate.h).
 *
 * The tolerances are numpy.allclose's defaults, which scikit-learn 1.2.1
 * uses for the same checks: |a - b| <= 1e-8 + 1e-5 |b|.
 */
#include "model/validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels/layout.h"
#include "linalg/linalg.h"
#include "model/covariance.h"
#include "util/error.h"

#define ALLCLOSE_ATOL 1e-8
#define ALLCLOSE_RTOL 1e-5

static int allclose(double a, double b)
{
    return fabs(a - b) <= ALLCLOSE_ATOL + ALLCLOSE_RTOL * fabs(b);
}

gmm_status gmm_validate_finite(const double *values, size_t count,
                               const char *name, gmm_error *err)
{
    for (size_t i = 0; i < count; i++)
        if (!isfinite(values[i]))
            return gmm_fail(err, GMM_ERR_INVALID,
                            "%s: value %zu is %g; expected a finite number",
                            name, i, values[i]);
    return GMM_OK;
}

gmm_status gmm_validate_resp(const double *resp, size_t n_rows,
                             size_t n_components, gmm_error *err)
{
    for (size_t i = 0; i < n_rows; i++) {
        const double *row = resp + i * n_components;
        double sum = 0.0;
        for (size_t k = 0; k < n_components; k++) {
            if (!isfinite(row[k]) || row[k] < 0.0)
                return gmm_fail(err, GMM_ERR_INVALID,
                                "init_resp: row %zu (counted from 0), "
                                "component %zu is %.17g; responsibilities "
                                "must be finite and non-negative", i, k,
                                row[k]);
            sum += row[k];
        }
        if (!(fabs(sum - 1.0) <= GMM_RESP_SUM_TOLERANCE))
            return gmm_fail(err, GMM_ERR_INVALID,
                            "init_resp: row %zu (counted from 0) sums to "
                            "%.17g; each row must sum to 1 (within 1e-6)",
                            i, sum);
    }
    return GMM_OK;
}

gmm_status gmm_validate_weights(const double *weights, size_t n_components,
                                gmm_error *err)
{
    gmm_status status = gmm_validate_finite(weights, n_components, "weights", err);
    if (status != GMM_OK)
        return status;
    double sum = 0.0;
    for (size_t k = 0; k < n_components; k++) {
        /* scikit-learn's own initial weights, (n_k + 10 eps) / n, can
         * exceed 1 by an ulp (K = 1 on few rows), and a model saved before
         * any M-step holds them: within the sum's tolerance of 1 is 1. */
        if (weights[k] < 0.0 || weights[k] > 1.0 + ALLCLOSE_ATOL)
            return gmm_fail(err, GMM_ERR_INVALID,
                            "weights: weight %zu is %.17g; weights must be in "
                            "[0, 1]", k, weights[k]);
        sum += weights[k];
    }
    if (!allclose(fabs(1.0 - sum), 0.0))
        return gmm_fail(err, GMM_ERR_INVALID,
                        "weights: they sum to %.17g; they must sum to 1 "
                        "(within 1e-8)", sum);
    return GMM_OK;
}

static gmm_status validate_spd(const double *a, size_t d, const char *name,
                               const char *which, gmm_error *err)
{
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < i; j++)
            if (!allclose(a[i * d + j], a[j * d + i]))
                return gmm_fail(err, GMM_ERR_INVALID,
                                "%s%s is not symmetric: element [%zu][%zu] is "
                                "%.17g but [%zu][%zu] is %.17g", name, which,
                                i, j, a[i * d + j], j, i, a[j * d + i]);
    double *work = malloc(d * d * sizeof *work);
    if (!work)
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory checking %s", name);
    memcpy(work, a, d * d * sizeof *work);
    int failed = gmm_linalg_cholesky(work, d);
    free(work);
    if (failed)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "%s%s is not positive definite (leading minor %d)",
                        name, which, failed);
    return GMM_OK;
}

/* A model whose matrices the E-step draws by their diagonals (EII, EEI,
 * VEI, EVI: covariance.h's `drawn`) takes diagonal matrices only, and
 * EII's a multiple of the identity: the form its M-step gives. */
static gmm_status validate_drawn_form(const double *matrix, size_t d,
                                      gmm_covariance_type type,
                                      const char *name, const char *which,
                                      gmm_error *err)
{
    gmm_covariance_layout drawn = gmm_covariance_model_of(type)->drawn;
    if (gmm_layout_is_matrix(drawn))
        return GMM_OK;
    const char *model = gmm_covariance_type_name(type);
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < d; j++)
            if (i != j && matrix[i * d + j] != 0.0)
                return gmm_fail(err, GMM_ERR_INVALID, "%s: matrix%s: entry "
                                "(%zu, %zu) is %.17g; %s matrices are "
                                "diagonal", name, which, i, j,
                                matrix[i * d + j], model);
            else if (drawn.block == GMM_COVARIANCE_BLOCK_SCALAR && i == j &&
                     matrix[i * d + i] != matrix[0])
                return gmm_fail(err, GMM_ERR_INVALID, "%s: matrix%s: "
                                "diagonal entry %zu is %.17g, entry 0 %.17g; "
                                "%s matrices are multiples of the identity",
                                name, which, i, matrix[i * d + i], matrix[0],
                                model);
    return GMM_OK;
}

gmm_status gmm_validate_matrices(const double *matrices,
                                 gmm_covariance_type type, size_t n_components,
                                 size_t n_features, const char *name,
                                 gmm_error *err)
{
    size_t size = gmm_covariance_size(type, n_components, n_features);
    gmm_status status = gmm_validate_finite(matrices, size, name, err);
    if (status != GMM_OK)
        return status;
    gmm_covariance_layout layout = gmm_covariance_model_of(type)->covariances;
    if (!gmm_layout_is_matrix(layout)) {
        for (size_t i = 0; i < size; i++)
            if (!(matrices[i] > 0.0))
                return gmm_fail(err, GMM_ERR_INVALID,
                                "%s: value %zu is %.17g; expected a positive "
                                "number", name, i, matrices[i]);
        return GMM_OK;
    }
    char which[48] = "";
    for (size_t b = 0; b < gmm_layout_n_blocks(layout, n_components); b++) {
        if (!layout.shared)
            snprintf(which, sizeof which, " of component %zu", b);
        status = validate_spd(matrices + b * n_features * n_features,
                              n_features, name, which, err);
        if (status == GMM_OK)
            status = validate_drawn_form(matrices + b * n_features * n_features,
                                         n_features, type, name, which, err);
        if (status != GMM_OK)
            return status;
    }
    return GMM_OK;
}
