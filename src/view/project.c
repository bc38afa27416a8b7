/*
 * project.c — data and mixtures seen through an affine projection
 * y = B (x - o): the columns a picture shows, or the first principal
 * components. A Gaussian's image under an affine map is the Gaussian
 * N(B (mu - o), B Sigma B^T), so the projected mixture is exactly the
 * distribution of the projected data, and its ellipses are the true ones.
 */
#include <stdlib.h>

#include "model/model.h"
#include "util/error.h"

void gmm_project_rows(const double *X, size_t n_rows, size_t n_features,
                      const double *origin, const double *basis,
                      size_t n_dims, double *Y)
{
    for (size_t i = 0; i < n_rows; i++)
        for (size_t a = 0; a < n_dims; a++) {
            double sum = 0.0;
            for (size_t j = 0; j < n_features; j++)
                sum += basis[a * n_features + j] *
                       (X[i * n_features + j] - (origin ? origin[j] : 0.0));
            Y[i * n_dims + a] = sum;
        }
}

/* out (m x m) = B cov B^T; bc (m x d) is scratch. */
static void congruence(const double *basis, size_t m, size_t d,
                       const double *cov, double *bc, double *out)
{
    for (size_t a = 0; a < m; a++)
        for (size_t j = 0; j < d; j++) {
            double sum = 0.0;
            for (size_t l = 0; l < d; l++)
                sum += basis[a * d + l] * cov[l * d + j];
            bc[a * d + j] = sum;
        }
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b < m; b++) {
            double sum = 0.0;
            for (size_t j = 0; j < d; j++)
                sum += bc[a * d + j] * basis[b * d + j];
            out[a * m + b] = sum;
        }
    /* Exact symmetry, which validation checks. */
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b < a; b++)
            out[a * m + b] = out[b * m + a];
}

gmm_model *gmm_model_project(const gmm_model *model, const double *origin,
                             const double *basis, size_t n_dims,
                             gmm_error *err)
{
    if (!model->fitted) {
        gmm_fail(err, GMM_ERR_NOT_FITTED,
                 "this model is not fitted yet; fit it or load one");
        return NULL;
    }
    const gmm_params *p = &model->params;
    size_t k_count = p->n_components, d = p->n_features, m = n_dims;
    if (m < 1) {
        gmm_fail(err, GMM_ERR_INVALID, "a projection needs at least 1 "
                 "dimension");
        return NULL;
    }
    double *means = malloc(k_count * m * sizeof *means);
    double *covs = malloc(k_count * m * m * sizeof *covs);
    double *cov = malloc(d * d * sizeof *cov);
    double *bc = malloc(m * d * sizeof *bc);
    gmm_model *projected = NULL;
    if (!means || !covs || !cov || !bc) {
        gmm_fail(err, GMM_ERR_NOMEM, "out of memory projecting a model");
    } else {
        gmm_project_rows(p->means, k_count, d, origin, basis, m, means);
        for (size_t k = 0; k < k_count; k++) {
            gmm_params_component_covariance(p, k, cov);
            congruence(basis, m, d, cov, bc, covs + k * m * m);
        }
        gmm_error own;
        projected = gmm_model_from_params(k_count, m, GMM_COVARIANCE_FULL,
                                          p->weights, means, covs, &own);
        /* The model's covariances are positive definite, so only a
         * rank-deficient basis makes B Sigma B^T fail validation. */
        if (!projected && own.status != GMM_ERR_NOMEM)
            gmm_fail(err, GMM_ERR_INVALID, "the projection's basis rows are "
                     "not linearly independent");
        else if (!projected)
            gmm_fail(err, own.status, "%s", own.message);
        else
            gmm_error_clear(err);
    }
    free(means), free(covs), free(cov), free(bc);
    return projected;
}
