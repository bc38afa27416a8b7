/*
 * sample.c — draws from a fitted mixture (scikit-learn's sample).
 *
 * As scikit-learn: the number of draws per component is multinomial with
 * the weights, and the rows come grouped by component in index order.
 * Each draw is mean + L z with z standard normal and covariance = L L^T
 * (for diag and spherical, L is the diagonal of standard deviations).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg/linalg.h"
#include "model/model.h"
#include "util/error.h"
#include "util/rng.h"

/* Counts per component: each of n draws picks a component by inverse CDF
 * of the weights. Weights that sum to 1 within rounding put any overshoot
 * in the last component with a positive weight. */
static void multinomial(gmm_rng *rng, size_t n, const double *weights,
                        size_t n_comp, size_t *counts)
{
    size_t last = 0;
    for (size_t k = 0; k < n_comp; k++) {
        counts[k] = 0;
        if (weights[k] > 0.0)
            last = k;
    }
    for (size_t i = 0; i < n; i++) {
        double u = gmm_rng_uniform(rng), cumulative = 0.0;
        size_t k = 0;
        for (; k < last; k++) {
            cumulative += weights[k];
            if (u < cumulative)
                break;
        }
        counts[k]++;
    }
}

gmm_status gmm_sample(const gmm_model *model, size_t n_samples, uint64_t seed,
                      double *X, int *labels, gmm_error *err)
{
    if (!model->fitted)
        return gmm_fail(err, GMM_ERR_NOT_FITTED,
                        "this model is not fitted yet; fit it or load one");
    if (n_samples < 1)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "the number of samples must be at least 1");
    const gmm_params *p = &model->params;
    size_t n_comp = p->n_components, d = p->n_features;
    int matrix = p->covariance_type == GMM_COVARIANCE_FULL ||
                 p->covariance_type == GMM_COVARIANCE_TIED;
    size_t *counts = malloc(n_comp * sizeof *counts);
    /* A Cholesky factor for full and tied only: diag and spherical draw
     * with their standard deviations, O(D). */
    double *factor = malloc((matrix ? d * d : 1) * sizeof *factor);
    double *z = malloc(d * sizeof *z);
    if (!counts || !factor || !z) {
        free(counts), free(factor), free(z);
        return gmm_fail(err, GMM_ERR_NOMEM, "out of memory sampling");
    }
    gmm_rng rng;
    gmm_rng_seed(&rng, seed);
    multinomial(&rng, n_samples, p->weights, n_comp, counts);

    gmm_status status = GMM_OK;
    size_t row = 0;
    for (size_t k = 0; k < n_comp && status == GMM_OK; k++) {
        const double *mean = p->means + k * d;
        if (matrix) {
            const double *cov = p->covariances +
                (p->covariance_type == GMM_COVARIANCE_FULL ? k * d * d : 0);
            memcpy(factor, cov, d * d * sizeof *factor);
            if (gmm_linalg_cholesky(factor, d)) {
                status = gmm_fail(err, GMM_ERR_NUMERIC,
                                  "the covariance of component %zu is not "
                                  "positive definite; cannot sample", k);
                break;
            }
        }
        for (size_t c = 0; c < counts[k]; c++, row++) {
            double *x = X + row * d;
            for (size_t j = 0; j < d; j++)
                z[j] = gmm_rng_normal(&rng);
            for (size_t i = 0; i < d; i++) {
                double value;
                if (matrix) {
                    value = 0.0;
                    for (size_t j = 0; j <= i; j++)
                        value += factor[i * d + j] * z[j];
                } else {
                    double var = p->covariance_type == GMM_COVARIANCE_DIAG
                                     ? p->covariances[k * d + i]
                                     : p->covariances[k];
                    value = sqrt(var) * z[i];
                }
                x[i] = mean[i] + value;
            }
            if (labels)
                labels[row] = (int)k;
        }
    }
    free(counts), free(factor), free(z);
    if (status == GMM_OK)
        gmm_error_clear(err);
    return status;
}
