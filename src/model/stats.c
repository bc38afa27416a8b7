/*
 * stats.c — allocation and arithmetic of sufficient statistics (stats.h).
 */
#include "model/stats.h"

#include <stdlib.h>
#include <string.h>

#include "kernels/layout.h"
#include "util/error.h"

size_t gmm_stats_q_size(const gmm_stats *stats)
{
    size_t d = stats->n_features;
    if (stats->packed)
        return gmm_layout_n_blocks(stats->layout, stats->n_components) *
               (d * (d + 1) / 2);
    return gmm_layout_size(stats->layout, stats->n_components, d);
}

size_t gmm_stats_bytes(const gmm_stats *stats)
{
    return (stats->n_components * (1 + stats->n_features) +
            gmm_stats_q_size(stats)) * sizeof(double);
}

int gmm_stats_same_shape(const gmm_stats *a, const gmm_stats *b)
{
    return a->n_components == b->n_components &&
           a->n_features == b->n_features &&
           a->layout.block == b->layout.block &&
           a->layout.shared == b->layout.shared;
}

static gmm_status stats_alloc(gmm_stats *stats, size_t n_components,
                              size_t n_features, gmm_covariance_layout layout,
                              int packed, gmm_error *err)
{
    memset(stats, 0, sizeof *stats);
    stats->n_components = n_components;
    stats->n_features = n_features;
    stats->layout = layout;
    stats->packed = packed && gmm_layout_is_matrix(layout);
    stats->nk = calloc(n_components, sizeof(double));
    stats->sk = calloc(n_components * n_features, sizeof(double));
    stats->qk = calloc(gmm_stats_q_size(stats), sizeof(double));
    if (!stats->nk || !stats->sk || !stats->qk) {
        gmm_stats_free(stats);
        return gmm_fail(err, GMM_ERR_NOMEM,
                        "out of memory allocating statistics for %zu components",
                        n_components);
    }
    return GMM_OK;
}

gmm_status gmm_stats_alloc(gmm_stats *stats, size_t n_components,
                           size_t n_features, gmm_covariance_layout layout,
                           gmm_error *err)
{
    return stats_alloc(stats, n_components, n_features, layout, 0, err);
}

gmm_status gmm_stats_alloc_packed(gmm_stats *stats, size_t n_components,
                                  size_t n_features,
                                  gmm_covariance_layout layout, gmm_error *err)
{
    return stats_alloc(stats, n_components, n_features, layout, 1, err);
}

void gmm_stats_free(gmm_stats *stats)
{
    free(stats->nk);
    free(stats->sk);
    free(stats->qk);
    stats->nk = stats->sk = stats->qk = NULL;
}

void gmm_stats_zero(gmm_stats *stats)
{
    memset(stats->nk, 0, stats->n_components * sizeof(double));
    memset(stats->sk, 0, stats->n_components * stats->n_features * sizeof(double));
    memset(stats->qk, 0, gmm_stats_q_size(stats) * sizeof(double));
    stats->log_likelihood = 0.0;
}

void gmm_stats_add(gmm_stats *dst, const gmm_stats *src)
{
    size_t n_sk = src->n_components * src->n_features, n_qk = gmm_stats_q_size(src);
    size_t d = src->n_features;
    for (size_t i = 0; i < src->n_components; i++)
        dst->nk[i] += src->nk[i];
    for (size_t i = 0; i < n_sk; i++)
        dst->sk[i] += src->sk[i];
    if (src->packed && !dst->packed) {
        const double *q = src->qk;
        for (size_t b = 0; b < gmm_layout_n_blocks(src->layout, src->n_components); b++)
            for (size_t a = 0; a < d; a++) {
                double *row = dst->qk + (b * d + a) * d;
                for (size_t c = a; c < d; c++)
                    row[c] += *q++;
            }
    } else
        for (size_t i = 0; i < n_qk; i++)
            dst->qk[i] += src->qk[i];
    dst->log_likelihood += src->log_likelihood;
}
