/*
 * stats.c — allocation and accumulation of sufficient statistics (stats.h).
 *
 * Accumulation cost per row and component: full and tied D^2 + 3D flops
 * (a rank-n update through BLAS dsyrk on rows scaled by sqrt(r)); diag 4D;
 * spherical 4D. dsyrk halves the flops of the dgemm form W^T Y and reads
 * the chunk once while it is in cache.
 */
#include "em/stats.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Full and tied: centre, sum, scale by sqrt(r), rank-update q. */
static void accumulate_matrix(const double *X, size_t n_rows, size_t d,
                              const double *resp, size_t stride,
                              const double *shift, double *nk, double *sk,
                              double *q, double *work)
{
    double n_sum = 0.0;
    for (size_t i = 0; i < n_rows; i++) {
        double r = resp[i * stride], root = sqrt(r);
        n_sum += r;
        for (size_t j = 0; j < d; j++) {
            double y = X[i * d + j] - shift[j];
            sk[j] += r * y;
            work[i * d + j] = root * y;
        }
    }
    *nk += n_sum;
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)d, (int)n_rows, 1.0,
                work, (int)d, 1.0, q, (int)d);
}

/* Diag (q per feature) and spherical (q summed over features). */
static void accumulate_diagonal(const double *X, size_t n_rows, size_t d,
                                const double *resp, size_t stride,
                                const double *shift, double *nk, double *sk,
                                double *q, int per_feature)
{
    for (size_t i = 0; i < n_rows; i++) {
        double r = resp[i * stride];
        if (r == 0.0)
            continue;
        *nk += r;
        double trace = 0.0;
        for (size_t j = 0; j < d; j++) {
            double y = X[i * d + j] - shift[j];
            sk[j] += r * y;
            if (per_feature)
                q[j] += r * y * y;
            else
                trace += y * y;
        }
        if (!per_feature)
            q[0] += r * trace;
    }
}

void gmm_stats_accumulate(gmm_stats *stats, const double *X, size_t n_rows,
                          const double *resp, const double *shifts,
                          double *work)
{
    size_t n_comp = stats->n_components, d = stats->n_features;
    for (size_t k = 0; k < n_comp; k++) {
        const double *shift = shifts + k * d;
        double *sk = stats->sk + k * d;
        switch (stats->covariance_type) {
        case GMM_COVARIANCE_FULL:
            accumulate_matrix(X, n_rows, d, resp + k, n_comp, shift,
                              &stats->nk[k], sk, stats->qk + k * d * d, work);
            break;
        case GMM_COVARIANCE_TIED:
            accumulate_matrix(X, n_rows, d, resp + k, n_comp, shift,
                              &stats->nk[k], sk, stats->qk, work);
            break;
        case GMM_COVARIANCE_DIAG:
            accumulate_diagonal(X, n_rows, d, resp + k, n_comp, shift,
                                &stats->nk[k], sk, stats->qk + k * d, 1);
            break;
        case GMM_COVARIANCE_SPHERICAL:
            accumulate_diagonal(X, n_rows, d, resp + k, n_comp, shift,
                                &stats->nk[k], sk, stats->qk + k, 0);
            break;
        }
    }
}
