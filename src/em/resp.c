/*
 * resp.c — the sources of responsibilities a pass can use (pass.h): the
 * E-step and the initializers' hard or random assignments.
 */
#include <math.h>

#include "em/pass.h"
#include "util/blocks.h"
#include "util/rng.h"

static void scale_by_weights(double *resp, size_t n_rows, size_t n_comp,
                             const double *weights)
{
    if (!weights)
        return;
    for (size_t i = 0; i < n_rows; i++)
        for (size_t k = 0; k < n_comp; k++)
            resp[i * n_comp + k] *= weights[i];
}

/* E-step. Cost: the log-densities (model/log_prob.c) plus K exp per row. */
static void estep(const void *context, const double *X, size_t first_row,
                  size_t n_rows, const double *weights, double *resp,
                  double *log_likelihood, double *scratch)
{
    (void)first_row;
    const gmm_estep_context *c = context;
    double *log_norm = scratch, *work = scratch + GMM_CHUNK_ROWS;
    gmm_weighted_log_prob(c->params, c->log_weights, X, n_rows, resp, work);
    gmm_normalize_log_prob(resp, n_rows, c->params->n_components, log_norm);
    double sum = 0.0;
    for (size_t i = 0; i < n_rows; i++)
        sum += weights ? weights[i] * log_norm[i] : log_norm[i];
    *log_likelihood += sum;
    scale_by_weights(resp, n_rows, c->params->n_components, weights);
}

gmm_resp_source gmm_resp_estep(const gmm_estep_context *context)
{
    gmm_resp_source source = {
        estep, context,
        GMM_CHUNK_ROWS + gmm_log_prob_work_size(context->params, GMM_CHUNK_ROWS)};
    return source;
}

size_t gmm_nearest_center(const double *x, const double *centers,
                          size_t n_centers, size_t n_features, double *dist_sq)
{
    size_t best = 0;
    double best_dist = INFINITY;
    for (size_t k = 0; k < n_centers; k++) {
        const double *c = centers + k * n_features;
        double dist = 0.0;
        for (size_t j = 0; j < n_features; j++) {
            double y = x[j] - c[j];
            dist += y * y;
        }
        if (dist < best_dist) {
            best_dist = dist;
            best = k;
        }
    }
    if (dist_sq)
        *dist_sq = best_dist;
    return best;
}

static void nearest(const void *context, const double *X, size_t first_row,
                    size_t n_rows, const double *weights, double *resp,
                    double *log_likelihood, double *scratch)
{
    (void)first_row, (void)log_likelihood, (void)scratch;
    const gmm_centers *c = context;
    for (size_t i = 0; i < n_rows; i++) {
        size_t k = gmm_nearest_center(X + i * c->n_features, c->centers,
                                      c->n_centers, c->n_features, NULL);
        for (size_t j = 0; j < c->n_centers; j++)
            resp[i * c->n_centers + j] = j == k ? (weights ? weights[i] : 1.0) : 0.0;
    }
}

gmm_resp_source gmm_resp_nearest(const gmm_centers *context)
{
    gmm_resp_source source = {nearest, context, 0};
    return source;
}

static void random_resp(const void *context, const double *X, size_t first_row,
                        size_t n_rows, const double *weights, double *resp,
                        double *log_likelihood, double *scratch)
{
    (void)X, (void)log_likelihood, (void)scratch;
    const gmm_random_resp *c = context;
    size_t n_comp = c->n_components;
    for (size_t i = 0; i < n_rows; i++) {
        double sum = 0.0, *row = resp + i * n_comp;
        for (size_t k = 0; k < n_comp; k++) {
            row[k] = gmm_rng_hash_uniform(c->key, (first_row + i) * n_comp + k);
            sum += row[k];
        }
        double scale = (weights ? weights[i] : 1.0) / sum;
        for (size_t k = 0; k < n_comp; k++)
            row[k] *= scale;
    }
}

gmm_resp_source gmm_resp_random(const gmm_random_resp *context)
{
    gmm_resp_source source = {random_resp, context, 0};
    return source;
}

static void identity(const void *context, const double *X, size_t first_row,
                     size_t n_rows, const double *weights, double *resp,
                     double *log_likelihood, double *scratch)
{
    (void)X, (void)log_likelihood, (void)scratch;
    size_t n_comp = *(const size_t *)context;
    for (size_t i = 0; i < n_rows; i++)
        for (size_t k = 0; k < n_comp; k++)
            resp[i * n_comp + k] =
                k == first_row + i ? (weights ? weights[i] : 1.0) : 0.0;
}

gmm_resp_source gmm_resp_identity(const size_t *n_components)
{
    gmm_resp_source source = {identity, n_components, 0};
    return source;
}
