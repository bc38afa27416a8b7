/*
 * pca.c — gmm_pca: principal directions of the data, so that a picture of
 * a mixture in D > 2 dimensions can show the plane where the data spread
 * most. The covariance is accumulated around the mean (no raw moments, so
 * data far from the origin lose nothing) and decomposed with dsyev.
 */
#include <math.h>
#include <stdlib.h>

#include "linalg/linalg.h"
#include "util/error.h"

/* Column means and the sample covariance (divided by n_rows - 1). Cost:
 * n_rows * D^2 flops, which is one E-step's worth: cheap beside a fit. */
static void moments(const double *X, size_t n_rows, size_t d, double *mean,
                    double *cov)
{
    for (size_t j = 0; j < d; j++)
        mean[j] = 0.0;
    for (size_t i = 0; i < n_rows; i++)
        for (size_t j = 0; j < d; j++)
            mean[j] += X[i * d + j];
    for (size_t j = 0; j < d; j++)
        mean[j] /= (double)n_rows;
    for (size_t j = 0; j < d * d; j++)
        cov[j] = 0.0;
    for (size_t i = 0; i < n_rows; i++)
        for (size_t a = 0; a < d; a++)
            for (size_t b = 0; b <= a; b++)
                cov[a * d + b] +=
                    (X[i * d + a] - mean[a]) * (X[i * d + b] - mean[b]);
    for (size_t a = 0; a < d; a++)
        for (size_t b = 0; b <= a; b++)
            cov[b * d + a] = cov[a * d + b] /= (double)(n_rows - 1);
}

/* Eigenvectors have no sign of their own; fixing one keeps pictures from
 * flipping between runs or LAPACK versions. */
static void fix_sign(double *vector, size_t d)
{
    size_t largest = 0;
    for (size_t j = 1; j < d; j++)
        if (fabs(vector[j]) > fabs(vector[largest]))
            largest = j;
    if (vector[largest] < 0.0)
        for (size_t j = 0; j < d; j++)
            vector[j] = -vector[j];
}

gmm_status gmm_pca(const double *X, size_t n_rows, size_t n_features,
                   size_t n_dims, double *mean, double *basis,
                   double *variances, gmm_error *err)
{
    size_t d = n_features;
    if (n_rows < 2 || d < 1 || n_dims < 1 || n_dims > d)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "PCA needs at least 2 rows and 1 <= n_dims <= "
                        "n_features; got %zu rows, n_dims %zu, %zu features",
                        n_rows, n_dims, d);
    double *cov = malloc(2 * d * d * sizeof *cov);
    double *values = malloc(d * sizeof *values);
    if (!cov || !values) {
        free(cov), free(values);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory for PCA");
    }
    double *vectors = cov + d * d;
    moments(X, n_rows, d, mean, cov);
    int failed = gmm_linalg_symmetric_eigen(cov, d, values, vectors);
    if (!failed)
        for (size_t i = 0; i < n_dims; i++) {
            fix_sign(vectors + i * d, d);
            for (size_t j = 0; j < d; j++)
                basis[i * d + j] = vectors[i * d + j];
            if (variances)
                variances[i] = values[i];
        }
    free(cov), free(values);
    if (failed)
        return gmm_fail(err, failed < 0 ? GMM_ERR_NOMEM : GMM_ERR_NUMERIC,
                        "the eigen-decomposition of the data's covariance "
                        "failed");
    gmm_error_clear(err);
    return GMM_OK;
}
