/*
 * stats.c — allocation and accumulation of sufficient statistics (stats.h).
 *
 * Accumulation uses the hand-written kernels of em/scatter.h rather than
 * BLAS: at a chunk of 256 rows BLAS calls spend most of their time packing
 * (perf: 45% of a D = K = 16 full iteration was OpenBLAS copy routines and
 * call overhead), and inside our OpenMP threads a threaded BLAS would
 * oversubscribe. Cost per row and component (flops, a multiply-add is 2):
 * full and tied D(D+1) + 3D; diag 5D; spherical 5D.
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
#include "em/scatter_lanes.h"
#undef GMM_CHUNK_F32
#define GMM_CHUNK_F32 1
#include "em/scatter.h"
#include "em/scatter_lanes.h"
#undef GMM_CHUNK_F32

/* Work: the padded row-major chunk (full and tied, when D is not a whole
 * number of vectors), then accumulate_full's. Diag and spherical sum in
 * place: none (their K x D^2 would be what a D = 100000 diag fit cannot
 * afford). */
static int uses_full_work(gmm_covariance_type type)
{
    return type == GMM_COVARIANCE_FULL || type == GMM_COVARIANCE_TIED;
}

size_t gmm_stats_work_size(size_t n_components, size_t n_features,
                           gmm_covariance_type type)
{
    if (!uses_full_work(type))
        return 0;
    return GMM_CHUNK_ROWS * row_stride_f64(n_features) +
           full_work_size_f64(n_components, n_features);
}

GMM_KERNEL
void gmm_stats_accumulate(gmm_stats *stats, const double *X, const double *XT,
                          size_t n_rows, const double *resp,
                          const double *shifts, double *work)
{
    size_t d = stats->n_features, rs = row_stride_f64(d);
    const double *XR = X;
    int full = stats->covariance_type == GMM_COVARIANCE_FULL ||
               stats->covariance_type == GMM_COVARIANCE_TIED;
    if (gmm_stats_by_lanes(stats->covariance_type, d)) {
        accumulate_lanes_f64(stats, XT, n_rows, resp, shifts, d);
        return;
    }
    if (full && rs != d) {
        /* Feature by feature: row by row, GCC made each row's short copy
         * and padding library calls (29% of a D = 2 M-step, perf). */
        double *padded = work;
        memset(padded, 0, n_rows * rs * sizeof *padded);
        for (size_t j = 0; j < d; j++)
            for (size_t i = 0; i < n_rows; i++)
                padded[i * rs + j] = X[i * d + j];
        XR = padded;
    }
    accumulate_chunk_f64(stats, XT, XR, n_rows, resp, shifts, d,
                         work + GMM_CHUNK_ROWS * rs);
}

size_t gmm_stats_work_size_f32(size_t n_components, size_t n_features,
                               gmm_covariance_type type)
{
    return uses_full_work(type) ? full_work_size_f32(n_components, n_features)
                                : 0;
}

GMM_KERNEL
void gmm_stats_accumulate_f32(gmm_stats *stats, const float *XT,
                              const float *XR, size_t n_rows,
                              const float *resp, const float *shifts,
                              double *work)
{
    size_t pd = gmm_padded_features(stats->n_features);
    if (gmm_stats_by_lanes(stats->covariance_type, stats->n_features))
        accumulate_lanes_f32(stats, XT, n_rows, resp, shifts, pd);
    else
        accumulate_chunk_f32(stats, XT, XR, n_rows, resp, shifts, pd, work);
}

int gmm_stats_by_lanes(gmm_covariance_type type, size_t n_features)
{
    return (type == GMM_COVARIANCE_FULL || type == GMM_COVARIANCE_TIED) &&
           n_features <= GMM_LANES_MAX_FEATURES;
}
