/*
 * stats.c — allocation and arithmetic of sufficient statistics (stats.h),
 * and the public functions that need nothing but them (gmm.h: new, free,
 * zero, scale, pack, unpack and the readers).
 */
#include "model/stats.h"

#include <math.h>
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

size_t gmm_stats_sum_size(const gmm_stats *stats)
{
    return stats->n_components * (1 + stats->n_features) +
           gmm_stats_q_size(stats) + 1;
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
    stats->shifts = calloc(n_components * n_features, sizeof(double));
    if (!stats->nk || !stats->sk || !stats->qk || !stats->shifts) {
        gmm_stats_release(stats);
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

void gmm_stats_release(gmm_stats *stats)
{
    free(stats->nk);
    free(stats->sk);
    free(stats->qk);
    free(stats->shifts);
    stats->nk = stats->sk = stats->qk = stats->shifts = NULL;
}

void gmm_stats_zero(gmm_stats *stats)
{
    memset(stats->nk, 0, stats->n_components * sizeof(double));
    memset(stats->sk, 0, stats->n_components * stats->n_features * sizeof(double));
    memset(stats->qk, 0, gmm_stats_q_size(stats) * sizeof(double));
    stats->log_likelihood = 0.0;
    stats->weight_sum = 0.0;
}

void gmm_stats_copy(gmm_stats *dst, const gmm_stats *src)
{
    size_t n_sk = src->n_components * src->n_features;
    memcpy(dst->nk, src->nk, src->n_components * sizeof *dst->nk);
    memcpy(dst->sk, src->sk, n_sk * sizeof *dst->sk);
    memcpy(dst->qk, src->qk, gmm_stats_q_size(src) * sizeof *dst->qk);
    memcpy(dst->shifts, src->shifts, n_sk * sizeof *dst->shifts);
    dst->log_likelihood = src->log_likelihood;
    dst->weight_sum = src->weight_sum;
}

void gmm_stats_add(gmm_stats *dst, const gmm_stats *src)
{
    size_t n_sk = src->n_components * src->n_features, n_qk = gmm_stats_q_size(src);
    for (size_t i = 0; i < src->n_components; i++)
        dst->nk[i] += src->nk[i];
    for (size_t i = 0; i < n_sk; i++)
        dst->sk[i] += src->sk[i];
    if (src->packed && !dst->packed) {
        const double *q = src->qk;
        size_t d = src->n_features;
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
    dst->weight_sum += src->weight_sum;
}

void gmm_stats_reshift(gmm_stats *stats, const double *shifts)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    gmm_covariance_layout layout = stats->layout;
    size_t block = gmm_layout_block_size(layout, d);
    for (size_t k = 0; k < n_comp; k++) {
        double n = stats->nk[k], *s = stats->sk + k * d;
        double *c = stats->shifts + k * d;
        double *q = stats->qk + gmm_layout_block_of(layout, k) * block;
        const double *to = shifts + k * d;
        double trace = 0.0;
        for (size_t i = 0; i < d; i++) {
            double di = c[i] - to[i];
            if (gmm_layout_is_matrix(layout))
                for (size_t j = i; j < d; j++) {
                    double dj = c[j] - to[j];
                    q[i * d + j] += s[i] * dj + di * s[j] + n * di * dj;
                }
            else if (layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL)
                q[i] += 2.0 * s[i] * di + n * di * di;
            else
                trace += 2.0 * s[i] * di + n * di * di;
        }
        if (layout.block == GMM_COVARIANCE_BLOCK_SCALAR)
            q[0] += trace;
        /* s last: q's correction reads the old s. */
        for (size_t i = 0; i < d; i++) {
            s[i] += n * (c[i] - to[i]);
            c[i] = to[i];
        }
    }
}

/* The public functions (gmm.h). */

gmm_stats *gmm_stats_new(size_t n_components, size_t n_features,
                         gmm_covariance_type type, gmm_error *err)
{
    gmm_covariance_layout layout;
    if (gmm_covariance_type_statistics_layout(type, &layout) != GMM_OK) {
        gmm_fail(err, GMM_ERR_INVALID, "unknown covariance type %d", (int)type);
        return NULL;
    }
    if (n_components < 1 || n_features < 1) {
        gmm_fail(err, GMM_ERR_INVALID, "statistics need at least one component "
                 "and one feature (got %zu components, %zu features)",
                 n_components, n_features);
        return NULL;
    }
    gmm_stats *stats = malloc(sizeof *stats);
    if (!stats) {
        gmm_fail(err, GMM_ERR_NOMEM, "out of memory allocating statistics");
        return NULL;
    }
    if (gmm_stats_alloc(stats, n_components, n_features, layout, err) != GMM_OK) {
        free(stats);
        return NULL;
    }
    return stats;
}

void gmm_stats_free(gmm_stats *stats)
{
    if (!stats)
        return;
    gmm_stats_release(stats);
    free(stats);
}

gmm_status gmm_stats_scale(gmm_stats *stats, double factor, gmm_error *err)
{
    if (!(factor >= 0.0) || !isfinite(factor))
        return gmm_fail(err, GMM_ERR_INVALID, "statistics can only be scaled "
                        "by a finite factor >= 0 (got %g)", factor);
    size_t n_sk = stats->n_components * stats->n_features;
    size_t n_qk = gmm_stats_q_size(stats);
    for (size_t i = 0; i < stats->n_components; i++)
        stats->nk[i] *= factor;
    for (size_t i = 0; i < n_sk; i++)
        stats->sk[i] *= factor;
    for (size_t i = 0; i < n_qk; i++)
        stats->qk[i] *= factor;
    stats->log_likelihood *= factor;
    stats->weight_sum *= factor;
    return GMM_OK;
}

double gmm_stats_log_likelihood(const gmm_stats *stats)
{
    return stats->log_likelihood;
}

double gmm_stats_weight(const gmm_stats *stats) { return stats->weight_sum; }

size_t gmm_stats_size(const gmm_stats *stats)
{
    return gmm_stats_sum_size(stats) + 1 +
           stats->n_components * stats->n_features;
}

/* The packed array's parts in order (gmm.h), each with its length. */
static size_t stats_parts(const gmm_stats *stats, double *parts[6],
                          size_t lengths[6])
{
    size_t n_sk = stats->n_components * stats->n_features;
    gmm_stats *s = (gmm_stats *)stats;
    double *p[6] = {s->nk, s->sk, s->qk, &s->log_likelihood, &s->weight_sum,
                    s->shifts};
    size_t l[6] = {stats->n_components, n_sk, gmm_stats_q_size(stats), 1, 1,
                   n_sk};
    memcpy(parts, p, sizeof p);
    memcpy(lengths, l, sizeof l);
    return 6;
}

void gmm_stats_pack(const gmm_stats *stats, double *values)
{
    double *parts[6];
    size_t lengths[6], n = stats_parts(stats, parts, lengths);
    for (size_t i = 0; i < n; values += lengths[i], i++)
        memcpy(values, parts[i], lengths[i] * sizeof *values);
}

void gmm_stats_load(gmm_stats *stats, const double *values)
{
    double *parts[6];
    size_t lengths[6], n = stats_parts(stats, parts, lengths);
    for (size_t i = 0; i < n; values += lengths[i], i++)
        memcpy(parts[i], values, lengths[i] * sizeof *values);
}

gmm_status gmm_stats_unpack(gmm_stats *stats, const double *values,
                            size_t count, gmm_error *err)
{
    if (count != gmm_stats_size(stats))
        return gmm_fail(err, GMM_ERR_INVALID, "packed statistics of this shape "
                        "have %zu values, got %zu", gmm_stats_size(stats),
                        count);
    for (size_t i = 0; i < count; i++)
        if (!isfinite(values[i]))
            return gmm_fail(err, GMM_ERR_DATA, "packed statistics: value %zu "
                            "is not finite", i);
    if (values[gmm_stats_sum_size(stats)] < 0.0)
        return gmm_fail(err, GMM_ERR_DATA, "packed statistics: the weight "
                        "(value %zu) is negative", gmm_stats_sum_size(stats));
    gmm_stats_load(stats, values);
    return GMM_OK;
}
