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

/* wT = r (XT - shift) over pd features (padded ones are 0); adds sum_i r_i
 * to *nk and sum_i w_i to sk. Cost per row: D subtractions, D multiplies,
 * D additions, one stream of stores. */
GMM_INLINE void weigh(const double *XT, size_t lanes, size_t d, size_t pd,
                      const double *r, const double *shift, double *nk,
                      double *sk, double *wT)
{
    gmm_v4d n_sum = {0};
    for (size_t i = 0; i < lanes; i += 4)
        n_sum += gmm_load4(r + i);
    *nk += gmm_hsum4(n_sum);
    for (size_t j = 0; j < pd; j++) {
        const double *x = XT + j * GMM_LANE_STRIDE;
        double *w = wT + j * GMM_LANE_STRIDE, c = j < d ? shift[j] : 0.0;
        gmm_v4d s_sum = {0};
        for (size_t i = 0; i < lanes; i += 4) {
            gmm_v4d wv = gmm_load4(r + i) * (gmm_load4(x + i) - c);
            gmm_store4(w + i, wv);
            s_sum += wv;
        }
        if (j < d)
            sk[j] += gmm_hsum4(s_sum);
    }
}

/* q += W^T Y on the upper triangle (full and tied): q[a][b] += sum_i
 * w_ia y_ib for a <= b, as dot products across rows, with y = x - shift
 * recomputed on the FP-add pipes (shift zero-padded to pd).
 * Cost per row: D(D+1)/2 multiply-adds, executed in 2 x 4 blocks along the
 * diagonal (at D = 16: 160 for 136). Form: 2 features of W by 4 of Y are 8
 * accumulators (8 independent FMA chains per 4 rows), reduced once per
 * chunk. Measured (perf, N = 1M, D = K = 16, one thread, whole M-step):
 * with Y stored by the weighing pass 0.33 s per iteration, with Y
 * recomputed here (one stream of stores less) 0.285 s; the former sqrt(r)
 * scaling + cblas_dsyrk per chunk and component was most of the 1.3 s
 * iteration of log_prob.c's note. */
GMM_INLINE void scatter_upper(const double *wT, const double *XT,
                              const double *shift, size_t lanes, size_t d,
                              size_t pd, double *q)
{
    for (size_t a0 = 0; a0 < d; a0 += 2) { /* rows a >= d of W are 0 */
        for (size_t b0 = a0 / 4 * 4; b0 < pd; b0 += 4) {
            gmm_v4d q00 = {0}, q01 = {0}, q02 = {0}, q03 = {0};
            gmm_v4d q10 = {0}, q11 = {0}, q12 = {0}, q13 = {0};
            const double *w0 = wT + a0 * GMM_LANE_STRIDE, *w1 = w0 + GMM_LANE_STRIDE;
            const double *x = XT + b0 * GMM_LANE_STRIDE;
            const double *c = shift + b0;
            for (size_t i = 0; i < lanes; i += 4) {
                gmm_v4d wa = gmm_load4(w0 + i), wb = gmm_load4(w1 + i);
                gmm_v4d y0 = gmm_load4(x + i) - c[0];
                gmm_v4d y1 = gmm_load4(x + GMM_LANE_STRIDE + i) - c[1];
                gmm_v4d y2 = gmm_load4(x + 2 * GMM_LANE_STRIDE + i) - c[2];
                gmm_v4d y3 = gmm_load4(x + 3 * GMM_LANE_STRIDE + i) - c[3];
                q00 += wa * y0, q01 += wa * y1, q02 += wa * y2, q03 += wa * y3;
                q10 += wb * y0, q11 += wb * y1, q12 += wb * y2, q13 += wb * y3;
            }
            gmm_v4d acc[2][4] = {{q00, q01, q02, q03}, {q10, q11, q12, q13}};
            for (size_t a = 0; a < 2; a++)
                for (size_t b = 0; b < 4; b++)
                    if (a0 + a <= b0 + b && b0 + b < d)
                        q[(a0 + a) * d + b0 + b] += gmm_hsum4(acc[a][b]);
        }
    }
}

/* Diag (q per feature) and spherical (q summed over features):
 * y = x - shift, w = r y, sk += w, q += w y. Cost per row and feature: a
 * subtraction and an addition (FP-add pipes), a multiply and an FMA (FMA
 * pipes); 16 rows per step keep 4 independent chains per sum. */
GMM_INLINE void accumulate_diagonal(const double *XT, size_t lanes, size_t d,
                                    const double *r, const double *shift,
                                    double *nk, double *sk, double *q,
                                    int per_feature)
{
    gmm_v4d n_sum = {0};
    for (size_t i = 0; i < lanes; i += 4)
        n_sum += gmm_load4(r + i);
    *nk += gmm_hsum4(n_sum);
    double trace = 0.0;
    for (size_t j = 0; j < d; j++) {
        const double *x = XT + j * GMM_LANE_STRIDE;
        double c = shift[j];
        gmm_v4d s[4] = {{0}}, qq[4] = {{0}};
        for (size_t i = 0; i < lanes; i += 16)
            for (int v = 0; v < 4; v++) {
                gmm_v4d y = gmm_load4(x + i + 4 * v) - c;
                gmm_v4d w = gmm_load4(r + i + 4 * v) * y;
                s[v] += w;
                qq[v] += w * y;
            }
        sk[j] += gmm_hsum4((s[0] + s[1]) + (s[2] + s[3]));
        double qj = gmm_hsum4((qq[0] + qq[1]) + (qq[2] + qq[3]));
        if (per_feature)
            q[j] += qj;
        else
            trace += qj;
    }
    if (!per_feature)
        q[0] += trace;
}

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
            weigh(XT, lanes, d, pd, r, shift, &stats->nk[k], sk, wT);
            scatter_upper(wT, XT, shift_padded, lanes, d, pd,
                          stats->qk + (stats->covariance_type == GMM_COVARIANCE_FULL
                                       ? k * d * d : 0));
            break;
        case GMM_COVARIANCE_DIAG:
            accumulate_diagonal(XT, lanes, d, r, shift, &stats->nk[k], sk,
                                stats->qk + k * d, 1);
            break;
        case GMM_COVARIANCE_SPHERICAL:
            accumulate_diagonal(XT, lanes, d, r, shift, &stats->nk[k], sk,
                                stats->qk + k, 0);
            break;
        }
    }
}
