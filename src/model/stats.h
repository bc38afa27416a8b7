/*
 * stats.h — sufficient statistics of a weighted Gaussian mixture, the only
 * thing an M-step reads; gmm.h's gmm_stats (its public face: the E-step's
 * statistics of a block of rows, combined, scaled, M-stepped) is this
 * struct, and the fit loop, the streamed file and MPI use it the same way.
 *
 * For component k with responsibilities r_ik (already multiplied by the
 * row weight) and a shift c_k:
 *   nk[k] = sum_i r_ik
 *   sk[k] = sum_i r_ik (x_i - c_k)                      (D)
 *   qk    = sum_i r_ik (x_i - c_k)(x_i - c_k)^T, reduced to what the
 *           covariance model's M-step reads, as its statistics layout
 *           (model/covariance.h) says: matrix blocks hold the upper
 *           triangle, diagonal blocks the diagonal, scalar blocks the
 *           trace; a shared block sums over k (tied: D x D; full
 *           K x D x D, diag K x D, spherical K).
 * Shifting by c_k (the current mean) keeps every sum small where the data
 * are, so the covariance never comes from the difference of two huge raw
 * moments (scikit-learn's diag and tied estimators do that, and lose all
 * digits for data near 1e9 with unit spread).
 *
 * Statistics are additive: partial statistics of disjoint row sets with
 * the same shifts sum to those of the union. Threads, blocks and MPI ranks
 * rely on it; statistics with other shifts are first moved to the same
 * ones (gmm_stats_reshift: exact algebra, no data needed).
 */
#ifndef GMM_MODEL_STATS_H
#define GMM_MODEL_STATS_H

#include "gmm.h"

struct gmm_stats {
    size_t n_components;
    size_t n_features;
    gmm_covariance_layout layout;  /* of qk                               */
    double *nk;
    double *sk;
    double *qk;
    double log_likelihood;  /* sum_i w_i log p(x_i), E-steps only          */
    double weight_sum;      /* sum_i w_i; 0: empty (no shifts yet)        */
    double *shifts;         /* the c_k, K x D; set by a whole pass only   */
    /* Matrix blocks of qk hold their upper triangle packed, row by row
     * (D (D + 1) / 2 values): a pass's per-thread partial sums, added
     * into unpacked totals (gmm_stats_add) and nothing else. */
    int packed;
};

gmm_status gmm_stats_alloc(gmm_stats *stats, size_t n_components,
                           size_t n_features, gmm_covariance_layout layout,
                           gmm_error *err);
/* The same with packed matrix blocks (packed is set for a matrix layout
 * only). */
gmm_status gmm_stats_alloc_packed(gmm_stats *stats, size_t n_components,
                                  size_t n_features,
                                  gmm_covariance_layout layout, gmm_error *err);
/* Frees the arrays, not the struct (gmm_stats_free frees both). */
void gmm_stats_release(gmm_stats *stats);
/* dst = src, of the same shape. */
void gmm_stats_copy(gmm_stats *dst, const gmm_stats *src);
/* dst += src, both with the same shifts (or dst empty); src may be
 * packed, dst not. */
void gmm_stats_add(gmm_stats *dst, const gmm_stats *src);
/* Re-express the statistics around new shifts (K x D): with
 * delta = c - c', s' = s + n delta and q' = q + s delta^T + delta s^T +
 * n delta delta^T, reduced as q is. */
void gmm_stats_reshift(gmm_stats *stats, const double *shifts);
/* gmm_stats_unpack without its checks, from this process's own packing. */
void gmm_stats_load(gmm_stats *stats, const double *values);
/* Number of doubles in qk. */
size_t gmm_stats_q_size(const gmm_stats *stats);
/* Number of doubles that add up: nk, sk, qk and the log-likelihood (the
 * packed array's prefix summed over processes; weight_sum is known to
 * every process and shifts are equal on all). */
size_t gmm_stats_sum_size(const gmm_stats *stats);
/* Bytes of the sums one gmm_stats of this shape holds (to size per-block
 * copies). */
size_t gmm_stats_bytes(const gmm_stats *stats);
/* Whether a and b have the same shape (packed or not). */
int gmm_stats_same_shape(const gmm_stats *a, const gmm_stats *b);

#endif
