/*
 * resp.c — the sources of responsibilities a pass can use (resp.h): the
 * E-step and the initializers' hard or random assignments.
 */
#include "em/resp.h"

#include <math.h>

#include "kernels/chunk.h"
#include "kernels/nearest.h"
#include "util/rng.h"

/* Padded rows (kernels/chunk.h) must carry no responsibility. */
static void clear_padding(double *resp, size_t n_rows, size_t n_comp)
{
    for (size_t k = 0; k < n_comp; k++)
        for (size_t i = n_rows; i < gmm_lanes(n_rows); i++)
            resp[k * GMM_LANE_STRIDE + i] = 0.0;
}

/* E-step: the kernels' log-densities and log-sum-exp on the converted
 * chunk, then the chunk's weighted log-likelihood (in double, in row
 * order) and the row weights. Cost: the log-densities plus K exp and one
 * log per row. */
static void estep(const void *context, const double *X, const void *XT,
                  size_t first_row, size_t n_rows, const double *weights,
                  void *resp, double *log_likelihood, double *scratch)
{
    (void)X, (void)first_row;
    const gmm_kernel_params *params = context;
    const gmm_kernels *kernels = params->kernels;
    size_t n_comp = params->n_components;
    double *log_norm = scratch;
    double shift = kernels->log_prob(params, XT, n_rows, resp);
    kernels->normalize(resp, n_rows, n_comp, shift, log_norm);
    double sum = 0.0;
    for (size_t i = 0; i < n_rows; i++)
        sum += weights ? weights[i] * log_norm[i] : log_norm[i];
    *log_likelihood += sum;
    if (weights)
        kernels->weigh(resp, n_rows, n_comp, weights);
}

gmm_resp_source gmm_resp_estep(const gmm_kernel_params *params)
{
    gmm_resp_source source = {estep, params, GMM_LANE_STRIDE};
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

static void nearest(const void *context, const double *X, const void *XT,
                    size_t first_row, size_t n_rows, const double *weights,
                    void *out, double *log_likelihood, double *scratch)
{
    (void)XT, (void)first_row, (void)log_likelihood;
    const gmm_centers *c = context;
    double *resp = out;
    /* The kernel's scratch, then the chunk's labels. */
    size_t *label = (size_t *)(scratch + gmm_nearest_scratch_size(c->n_features));
    gmm_nearest_chunk(X, n_rows, c->n_features, c->centers, c->n_centers,
                      c->screen, scratch, label, NULL, NULL);
    for (size_t i = 0; i < n_rows; i++) {
        size_t k = label[i];
        for (size_t j = 0; j < c->n_centers; j++)
            resp[j * GMM_LANE_STRIDE + i] = j == k ? (weights ? weights[i] : 1.0) : 0.0;
    }
    clear_padding(resp, n_rows, c->n_centers);
}

gmm_resp_source gmm_resp_nearest(const gmm_centers *context)
{
    gmm_resp_source source = {nearest, context,
                              gmm_nearest_scratch_size(context->n_features) +
                                  GMM_CHUNK_ROWS};
    return source;
}

static void random_resp(const void *context, const double *X, const void *XT,
                        size_t first_row, size_t n_rows, const double *weights,
                        void *out, double *log_likelihood, double *scratch)
{
    (void)X, (void)XT, (void)log_likelihood, (void)scratch;
    const gmm_random_resp *c = context;
    double *resp = out;
    size_t n_comp = c->n_components;
    for (size_t i = 0; i < n_rows; i++) {
        double sum = 0.0, *row = resp + i;
        for (size_t k = 0; k < n_comp; k++) {
            row[k * GMM_LANE_STRIDE] =
                gmm_rng_hash_uniform(c->key, (first_row + i) * n_comp + k);
            sum += row[k * GMM_LANE_STRIDE];
        }
        double scale = (weights ? weights[i] : 1.0) / sum;
        for (size_t k = 0; k < n_comp; k++)
            row[k * GMM_LANE_STRIDE] *= scale;
    }
    clear_padding(resp, n_rows, n_comp);
}

gmm_resp_source gmm_resp_random(const gmm_random_resp *context)
{
    gmm_resp_source source = {random_resp, context, 0};
    return source;
}

static void given_resp(const void *context, const double *X, const void *XT,
                       size_t first_row, size_t n_rows, const double *weights,
                       void *out, double *log_likelihood, double *scratch)
{
    (void)X, (void)XT, (void)log_likelihood, (void)scratch;
    const gmm_given_resp *c = context;
    double *resp = out;
    size_t n_comp = c->n_components;
    for (size_t i = 0; i < n_rows; i++) {
        const double *row = c->values + (first_row + i) * n_comp;
        for (size_t k = 0; k < n_comp; k++)
            resp[k * GMM_LANE_STRIDE + i] = weights ? weights[i] * row[k] : row[k];
    }
    clear_padding(resp, n_rows, n_comp);
}

gmm_resp_source gmm_resp_given(const gmm_given_resp *context)
{
    gmm_resp_source source = {given_resp, context, 0};
    return source;
}

static void identity(const void *context, const double *X, const void *XT,
                     size_t first_row, size_t n_rows, const double *weights,
                     void *out, double *log_likelihood, double *scratch)
{
    (void)X, (void)XT, (void)log_likelihood, (void)scratch;
    size_t n_comp = *(const size_t *)context;
    double *resp = out;
    for (size_t i = 0; i < n_rows; i++)
        for (size_t k = 0; k < n_comp; k++)
            resp[k * GMM_LANE_STRIDE + i] =
                k == first_row + i ? (weights ? weights[i] : 1.0) : 0.0;
    clear_padding(resp, n_rows, n_comp);
}

gmm_resp_source gmm_resp_identity(const size_t *n_components)
{
    gmm_resp_source source = {identity, n_components, 0};
    return source;
}
