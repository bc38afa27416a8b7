/*
 * priors.c — a variational fit's priors (priors.h). The data's moments
 * are two statistics passes of one component holding every row: the
 * mean (shifted by 0), then the scatter shifted by that mean, so that
 * nothing cancels (numpy's np.cov centres first too). With sample
 * weights the moments are weighted, and the covariance is the weighted
 * one times N / (N - 1), N the number of rows: unbiased for unit weights
 * (scikit-learn's ddof=1) and unchanged when every weight is scaled.
 */
#include "em/priors.h"

#include <math.h>
#include <string.h>

#include "em/pass.h"
#include "kernels/layout.h"
#include "model/covariance.h"
#include "model/validate.h"
#include "util/error.h"

/* One statistics pass of a single component that takes every row. */
static gmm_status one_component_pass(const gmm_rows *rows, const double *shift,
                                     gmm_covariance_layout layout,
                                     const gmm_options *o, gmm_stats *stats,
                                     gmm_error *err)
{
    gmm_centers all = {shift, 1, rows->n_features, NULL};
    gmm_status status = gmm_stats_alloc(stats, 1, rows->n_features, layout, err);
    if (status == GMM_OK)
        status = gmm_stats_pass(rows, gmm_resp_nearest(&all), shift, o->n_threads,
                                stats, err);
    return status;
}

/* The data's mean into mean (D), and, unless cov is NULL, its covariance
 * shaped as one block of the covariance type's layout. */
static gmm_status data_moments(const gmm_options *o, const gmm_rows *rows,
                               double *mean, double *cov, gmm_error *err)
{
    size_t d = rows->n_features;
    gmm_covariance_layout diagonal = {GMM_COVARIANCE_BLOCK_DIAGONAL, 0};
    gmm_stats stats = {0};
    memset(mean, 0, d * sizeof *mean);
    gmm_status status = one_component_pass(rows, mean, diagonal, o, &stats, err);
    for (size_t j = 0; status == GMM_OK && j < d; j++)
        mean[j] = stats.sk[j] / stats.nk[0];
    gmm_stats_release(&stats);
    if (status != GMM_OK || !cov)
        return status;
    gmm_covariance_layout block =
        gmm_covariance_model_of(o->covariance_type)->covariances;
    int matrix = gmm_layout_is_matrix(block);
    gmm_covariance_layout layout = {matrix ? GMM_COVARIANCE_BLOCK_MATRIX
                                           : GMM_COVARIANCE_BLOCK_DIAGONAL, 0};
    status = one_component_pass(rows, mean, layout, o, &stats, err);
    if (status == GMM_OK) {
        double w = stats.nk[0], n = (double)rows->total_rows;
        double scale = n / ((n - 1.0) * w);
        const double *s = stats.sk, *q = stats.qk;
        if (matrix) {
            for (size_t i = 0; i < d; i++)
                for (size_t j = i; j < d; j++)
                    cov[i * d + j] = cov[j * d + i] =
                        (q[i * d + j] - s[i] * s[j] / w) * scale;
        } else {
            double total = 0.0;
            for (size_t j = 0; j < d; j++) {
                double var = (q[j] - s[j] * s[j] / w) * scale;
                total += var;
                if (block.block == GMM_COVARIANCE_BLOCK_DIAGONAL)
                    cov[j] = var;
            }
            if (block.block == GMM_COVARIANCE_BLOCK_SCALAR)
                cov[0] = total / (double)d;
        }
    }
    gmm_stats_release(&stats);
    return status;
}

gmm_status gmm_variational_priors(const gmm_options *o, const gmm_rows *rows,
                                  gmm_params_posterior *priors, gmm_error *err)
{
    size_t d = rows->n_features;
    priors->weight_concentration_prior = isnan(o->weight_concentration_prior)
                                             ? 1.0 / (double)o->n_components
                                             : o->weight_concentration_prior;
    priors->mean_precision_prior =
        isnan(o->mean_precision_prior) ? 1.0 : o->mean_precision_prior;
    if (isnan(o->degrees_of_freedom_prior))
        priors->degrees_of_freedom_prior = (double)d;
    else if (o->degrees_of_freedom_prior > (double)d - 1.0)
        priors->degrees_of_freedom_prior = o->degrees_of_freedom_prior;
    else
        return gmm_fail(err, GMM_ERR_INVALID,
                        "The parameter 'degrees_of_freedom_prior' should be "
                        "greater than %zu, but got %.3f.", d - 1,
                        o->degrees_of_freedom_prior);
    gmm_status status = GMM_OK;
    if (o->mean_prior)
        status = gmm_validate_finite(o->mean_prior, d, "mean_prior", err);
    if (status == GMM_OK && o->covariance_prior)
        status = gmm_validate_matrices(o->covariance_prior, o->covariance_type, 1,
                                       d, "covariance_prior", err);
    if (status != GMM_OK)
        return status;
    gmm_covariance_layout block =
        gmm_covariance_model_of(o->covariance_type)->covariances;
    size_t n_cov = gmm_layout_block_size(block, d);
    if (!o->mean_prior || !o->covariance_prior)
        status = data_moments(o, rows, priors->mean_prior,
                              o->covariance_prior ? NULL : priors->covariance_prior,
                              err);
    if (o->mean_prior)
        memcpy(priors->mean_prior, o->mean_prior, d * sizeof(double));
    if (o->covariance_prior)
        memcpy(priors->covariance_prior, o->covariance_prior, n_cov * sizeof(double));
    return status;
}
