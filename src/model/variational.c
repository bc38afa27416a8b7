/*
 * variational.c — the posterior's update and the lower bound
 * (variational.h), term by term as scikit-learn 1.2.1's
 * _bayesian_mixture.py writes them (same order of operations where it
 * matters: the stick-breaking sums run from the last component).
 */
#include "model/variational.h"

#include <math.h>
#include <string.h>

#include "kernels/kernels.h"
#include "kernels/layout.h"
#include "model/covariance.h"
#include "util/special.h"

/* Dirichlet process: Beta(1 + nk, wcp + sum_{j>k} nk_j) for each stick;
 * Dirichlet distribution: wcp + nk. */
static void update_weights(gmm_params_posterior *p, const double *nk, size_t n_comp,
                           double *weights)
{
    double *a = p->weight_concentration, wcp = p->weight_concentration_prior;
    if (p->weight_prior == GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS) {
        double *b = a + n_comp, tail = 0.0;
        for (size_t k = n_comp; k-- > 0;) {
            a[k] = 1.0 + nk[k];
            b[k] = wcp + tail;
            tail += nk[k];
        }
        /* weights_: E[stick k] times the expected remainders before it. */
        double rest = 1.0, total = 0.0;
        for (size_t k = 0; k < n_comp; k++) {
            double sum = a[k] + b[k];
            weights[k] = a[k] / sum * rest;
            rest *= b[k] / sum;
            total += weights[k];
        }
        for (size_t k = 0; k < n_comp; k++)
            weights[k] /= total;
        return;
    }
    double total = 0.0;
    for (size_t k = 0; k < n_comp; k++) {
        a[k] = wcp + nk[k];
        total += a[k];
    }
    for (size_t k = 0; k < n_comp; k++)
        weights[k] = a[k] / total;
}

/* E[log weight_k] (scikit-learn's _estimate_log_weights) into log_w. */
static void expected_log_weights(const gmm_params_posterior *p, size_t n_comp,
                                 double *log_w)
{
    const double *a = p->weight_concentration;
    if (p->weight_prior == GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS) {
        const double *b = a + n_comp;
        double cumulative = 0.0;
        for (size_t k = 0; k < n_comp; k++) {
            double digamma_sum = gmm_digamma(a[k] + b[k]);
            log_w[k] = gmm_digamma(a[k]) - digamma_sum + cumulative;
            cumulative += gmm_digamma(b[k]) - digamma_sum;
        }
        return;
    }
    double total = 0.0;
    for (size_t k = 0; k < n_comp; k++)
        total += a[k];
    double digamma_total = gmm_digamma(total);
    for (size_t k = 0; k < n_comp; k++)
        log_w[k] = gmm_digamma(a[k]) - digamma_total;
}

/* The Wishart posteriors' scale matrices over their degrees of freedom:
 * covariance_prior + n sk + n mpp / mp (xk - m0)(xk - m0)^T, per block
 * (tied: n is sum nk / K and the outer products are summed, weighted by
 * nk / mp, over K, times mpp / K), divided by dof. */
static void update_covariances(const gmm_params_posterior *p, const double *nk,
                               const gmm_params *ml, gmm_params *out)
{
    size_t n_comp = out->n_components, d = out->n_features;
    gmm_covariance_layout layout =
        gmm_covariance_model_of(out->covariance_type)->covariances;
    size_t size = gmm_layout_block_size(layout, d);
    double mpp = p->mean_precision_prior, *cov = out->covariances;
    const double *m0 = p->mean_prior, *c0 = p->covariance_prior;
    if (layout.shared) {
        double n_mean = 0.0;
        for (size_t k = 0; k < n_comp; k++)
            n_mean += nk[k];
        n_mean /= (double)n_comp;
        for (size_t i = 0; i < d * d; i++)
            cov[i] = 0.0;
        for (size_t k = 0; k < n_comp; k++) {
            const double *xk = ml->means + k * d;
            double scale = nk[k] / p->mean_precision[k];
            for (size_t i = 0; i < d; i++)
                for (size_t j = 0; j < d; j++)
                    cov[i * d + j] += scale * (xk[i] - m0[i]) * (xk[j] - m0[j]);
        }
        double dof = p->degrees_of_freedom[0];
        for (size_t i = 0; i < d * d; i++)
            cov[i] = (c0[i] + ml->covariances[i] * n_mean +
                      mpp / (double)n_comp * cov[i]) / dof;
        return;
    }
    for (size_t k = 0; k < n_comp; k++) {
        const double *xk = ml->means + k * d, *sk = ml->covariances + k * size;
        double *c = cov + k * size, n = nk[k], ratio = mpp / p->mean_precision[k];
        double dof = p->degrees_of_freedom[k];
        if (gmm_layout_is_matrix(layout)) {
            for (size_t i = 0; i < d; i++)
                for (size_t j = 0; j < d; j++)
                    c[i * d + j] = (c0[i * d + j] + n * sk[i * d + j] +
                                    n * ratio * (xk[i] - m0[i]) * (xk[j] - m0[j])) /
                                   dof;
        } else if (size == d) {
            for (size_t j = 0; j < d; j++) {
                double diff = xk[j] - m0[j];
                c[j] = (c0[j] + n * (sk[j] + ratio * (diff * diff))) / dof;
            }
        } else {
            double mean_sq = 0.0;
            for (size_t j = 0; j < d; j++)
                mean_sq += (xk[j] - m0[j]) * (xk[j] - m0[j]);
            mean_sq /= (double)d;
            c[0] = (c0[0] + n * (sk[0] + ratio * mean_sq)) / dof;
        }
    }
}

gmm_status gmm_variational_update(const gmm_params_posterior *priors,
                                  const double *nk, const gmm_params *ml,
                                  gmm_params *out, gmm_error *err)
{
    size_t n_comp = out->n_components, d = out->n_features;
    gmm_params_posterior *p = &out->posterior;
    if (p != priors) {
        p->weight_concentration_prior = priors->weight_concentration_prior;
        p->mean_precision_prior = priors->mean_precision_prior;
        p->degrees_of_freedom_prior = priors->degrees_of_freedom_prior;
        memmove(p->mean_prior, priors->mean_prior, d * sizeof(double));
        gmm_covariance_layout layout =
            gmm_covariance_model_of(out->covariance_type)->covariances;
        memmove(p->covariance_prior, priors->covariance_prior,
                gmm_layout_block_size(layout, d) * sizeof(double));
    }
    update_weights(p, nk, n_comp, out->weights);
    int tied = gmm_covariance_model_of(out->covariance_type)->covariances.shared;
    double n_total = 0.0;
    for (size_t k = 0; k < n_comp; k++)
        n_total += nk[k];
    for (size_t k = 0; k < n_comp; k++) {
        double mp = p->mean_precision_prior + nk[k];
        p->mean_precision[k] = mp;
        for (size_t j = 0; j < d; j++)
            out->means[k * d + j] = (p->mean_precision_prior * p->mean_prior[j] +
                                     nk[k] * ml->means[k * d + j]) / mp;
        p->degrees_of_freedom[k] = p->degrees_of_freedom_prior +
                                   (tied ? n_total / (double)n_comp : nk[k]);
    }
    update_covariances(p, nk, ml, out);
    gmm_status status = gmm_params_update_precisions(out, err);
    if (status == GMM_OK)
        gmm_variational_set_log_weights(out);
    return status;
}

void gmm_variational_set_log_weights(gmm_params *params)
{
    gmm_params_posterior *p = &params->posterior;
    size_t n_comp = params->n_components, d = params->n_features;
    /* The E-step's additions to the Gaussian log-density (scikit-learn's
     * _estimate_log_prob less _estimate_log_gaussian_prob, plus
     * _estimate_log_weights). */
    expected_log_weights(p, n_comp, p->log_weights);
    for (size_t k = 0; k < n_comp; k++) {
        double dof = p->degrees_of_freedom[k], log_lambda = (double)d * log(2.0);
        for (size_t i = 0; i < d; i++)
            log_lambda += gmm_digamma(0.5 * (dof - (double)i));
        p->log_weights[k] += -0.5 * (double)d * log(dof) +
                             0.5 * (log_lambda - (double)d / p->mean_precision[k]);
    }
}

/* tr(P Q) for one block: P = U U^T from the factor U (upper triangular,
 * or 1/sqrt of variances), Q the statistics' block (a matrix's upper
 * triangle, a diagonal, or a trace). */
static double trace_of_product(const double *u, const double *q,
                               gmm_covariance_layout factor,
                               gmm_covariance_layout scatter, size_t d)
{
    double sum = 0.0;
    if (gmm_layout_is_matrix(factor)) {
        for (size_t i = 0; i < d; i++)
            for (size_t j = i; j < d; j++) {
                double p = 0.0;
                for (size_t m = j; m < d; m++)
                    p += u[i * d + m] * u[j * d + m];
                sum += (i == j ? 1.0 : 2.0) * p * q[i * d + j];
            }
        return sum;
    }
    if (scatter.block == GMM_COVARIANCE_BLOCK_SCALAR)
        return u[0] * u[0] * q[0];
    for (size_t j = 0; j < d; j++)
        sum += u[j] * u[j] * q[j];
    return sum;
}

double gmm_variational_resp_log_resp(const gmm_params *params,
                                     const gmm_stats *stats)
{
    size_t n_comp = params->n_components, d = params->n_features;
    const gmm_covariance_model *model = gmm_covariance_model_of(params->covariance_type);
    size_t factor_size = gmm_layout_block_size(model->covariances, d);
    size_t q_size = gmm_layout_block_size(model->statistics, d);
    double sum = -stats->log_likelihood;
    for (size_t k = 0; k < n_comp; k++) {
        double offset = params->log_det_chol[k] + params->posterior.log_weights[k];
        sum += stats->nk[k] * (offset - 0.5 * (double)d * GMM_LOG_2PI);
    }
    for (size_t b = 0; b < gmm_layout_n_blocks(model->statistics, n_comp); b++) {
        /* A shared scatter (tied) pairs with the shared factor. */
        size_t factor_block = gmm_layout_block_of(model->covariances, b);
        sum -= 0.5 * trace_of_product(params->precisions_chol + factor_block * factor_size,
                                      stats->qk + b * q_size, model->covariances,
                                      model->statistics, d);
    }
    return sum;
}

/* The log normalization of a Wishart distribution (scikit-learn's
 * _log_wishart_norm, without its log(pi) term). */
static double log_wishart_norm(double dof, double log_det_chol, size_t d)
{
    double sum = 0.0;
    for (size_t i = 0; i < d; i++)
        sum += gmm_lgamma(0.5 * (dof - (double)i));
    return -(dof * log_det_chol + dof * (double)d * 0.5 * log(2.0) + sum);
}

double gmm_variational_lower_bound(const gmm_params *params, double resp_log_resp)
{
    const gmm_params_posterior *p = &params->posterior;
    size_t n_comp = params->n_components, d = params->n_features;
    int tied = gmm_covariance_model_of(params->covariance_type)->covariances.shared;
    double log_wishart = 0.0;
    for (size_t k = 0; k < (tied ? 1 : n_comp); k++) {
        double dof = p->degrees_of_freedom[k];
        log_wishart += log_wishart_norm(
            dof, params->log_det_chol[k] - 0.5 * (double)d * log(dof), d);
    }
    if (tied)
        log_wishart *= (double)n_comp;
    const double *a = p->weight_concentration;
    double log_norm_weight = 0.0, log_mean_precision = 0.0;
    if (p->weight_prior == GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS) {
        for (size_t k = 0; k < n_comp; k++)
            log_norm_weight -= gmm_betaln(a[k], a[n_comp + k]);
    } else {
        double total = 0.0;
        for (size_t k = 0; k < n_comp; k++) {
            total += a[k];
            log_norm_weight -= gmm_lgamma(a[k]);
        }
        log_norm_weight += gmm_lgamma(total);
    }
    for (size_t k = 0; k < n_comp; k++)
        log_mean_precision += log(p->mean_precision[k]);
    return -resp_log_resp - log_wishart - log_norm_weight -
           0.5 * (double)d * log_mean_precision;
}
