/*
 * stats.c — allocation and accumulation of sufficient statistics (stats.h).
 *
 * Accumulation works on the transposed chunk of model/chunk.h, vectorised
 * across rows, with hand-written kernels rather than BLAS: at a chunk of
 * 256 rows BLAS calls spend most of their time packing (perf: 45% of a
 * D = K = 16 full iteration was OpenBLAS copy routines and call overhead),
 * and inside our OpenMP threads a threaded BLAS would oversubscribe.
 * Cost per row and component (flops, a multiply-add is 2): full and tied
 * D(D+1) + 3D; diag 5D; spherical 5D.
 */
#include "em/stats.h"

#include <stdlib.h>
#include <string.h>

#include "model/chunk.h"
#include "model/params.h"
#include "util/error.h"

size_t gmm_stats_q_size(const gmm_stats *stats)
{
    size_t k = stats->n_components, d = stats->n_features;
    switch (stats->covariance_type) {
    case GMM_COVARIANCE_FULL: return k * d * d;
    case GMM_COVARIANCE_TIED: return d * d;
    case GMM_COVARIANCE_DIAG: return k * d;
    case GMM_COVARIANCE_SPHERICAL: return k;
    }
    return 0;
}

size_t gmm_stats_bytes(size_t n_components, size_t n_features,
                       gmm_covariance_type type)
{
    gmm_stats shape = {n_components, n_features, type, NULL, NULL, NULL, 0.0};
    return (n_components * (1 + n_features) + gmm_stats_q_size(&shape)) *
           sizeof(double);
}

gmm_status gmm_stats_alloc(gmm_stats *stats, size_t n_components,
                           size_t n_features, gmm_covariance_type type,
                           gmm_error *err)
{
    memset(stats, 0, sizeof *stats);
    stats->n_components = n_components;
    stats->n_features = n_features;
    stats->covariance_type = type;
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
    for (size_t i = 0; i < src->n_components; i++)
        dst->nk[i] += src->nk[i];
    for (size_t i = 0; i < n_sk; i++)
        dst->sk[i] += src->sk[i];
    for (size_t i = 0; i < n_qk; i++)
        dst->qk[i] += src->qk[i];
    dst->log_likelihood += src->log_likelihood;
}

/* The accumulation kernels, in float64 and float32 (model/chunk_real.h). */
#define GMM_CHUNK_F32 0
#include "em/scatter.h"
#undef GMM_CHUNK_F32
#define GMM_CHUNK_F32 1
#include "em/scatter.h"
#undef GMM_CHUNK_F32

size_t gmm_stats_work_size(size_t n_features)
{
    return 2 * gmm_chunk_size(n_features) + gmm_padded_features(n_features);
}

GMM_KERNEL
void gmm_stats_accumulate(gmm_stats *stats, const double *X, size_t n_rows,
                          const double *resp, const double *shifts,
                          double *work)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d);
    size_t chunk = gmm_chunk_size(d);
    double *XT = work, *wT = work + chunk, *shift_padded = work + 2 * chunk;
    gmm_chunk_transpose(X, n_rows, d, XT);
    for (size_t k = 0; k < n_comp; k++) {
        const double *shift = shifts + k * d, *r = resp + k * GMM_LANE_STRIDE;
        double *sk = stats->sk + k * d;
        switch (stats->covariance_type) {
        case GMM_COVARIANCE_FULL:
        case GMM_COVARIANCE_TIED:
            for (size_t j = 0; j < pd; j++)
                shift_padded[j] = j < d ? shift[j] : 0.0;
            weigh_f64(XT, lanes, d, pd, r, shift, &stats->nk[k], sk, wT);
            scatter_upper_f64(wT, XT, shift_padded, lanes, d, pd,
                          stats->qk + (stats->covariance_type == GMM_COVARIANCE_FULL
                                       ? k * d * d : 0));
            break;
        case GMM_COVARIANCE_DIAG:
            accumulate_diagonal_f64(XT, lanes, d, r, shift, &stats->nk[k], sk,
                                    stats->qk + k * d, 1);
            break;
        case GMM_COVARIANCE_SPHERICAL:
            accumulate_diagonal_f64(XT, lanes, d, r, shift, &stats->nk[k], sk,
                                    stats->qk + k, 0);
            break;
        }
    }
}

size_t gmm_stats_work_size_f32(size_t n_features)
{
    return gmm_chunk_size(n_features);
}

GMM_KERNEL
void gmm_stats_accumulate_f32(gmm_stats *stats, const float *XT, size_t n_rows,
                              const float *resp, const float *shifts,
                              float *work)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d);
    float *wT = work;
    for (size_t k = 0; k < n_comp; k++) {
        const float *shift = shifts + k * pd, *r = resp + k * GMM_LANE_STRIDE;
        double *sk = stats->sk + k * d;
        switch (stats->covariance_type) {
        case GMM_COVARIANCE_FULL:
        case GMM_COVARIANCE_TIED:
            weigh_f32(XT, lanes, d, pd, r, shift, &stats->nk[k], sk, wT);
            scatter_upper_f32(wT, XT, shift, lanes, d, pd,
                              stats->qk + (stats->covariance_type == GMM_COVARIANCE_FULL
                                           ? k * d * d : 0));
            break;
        case GMM_COVARIANCE_DIAG:
            accumulate_diagonal_f32(XT, lanes, d, r, shift, &stats->nk[k], sk,
                                    stats->qk + k * d, 1);
            break;
        case GMM_COVARIANCE_SPHERICAL:
            accumulate_diagonal_f32(XT, lanes, d, r, shift, &stats->nk[k], sk,
                                    stats->qk + k, 0);
            break;
        }
    }
}
