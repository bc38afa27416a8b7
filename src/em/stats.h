/*
 * stats.h — sufficient statistics of a weighted Gaussian mixture, the only
 * thing an M-step reads.
 *
 * For component k with responsibilities r_ik (already multiplied by the
 * row weight) and a shift c_k:
 *   nk[k] = sum_i r_ik
 *   sk[k] = sum_i r_ik (x_i - c_k)                      (D)
 *   qk    = sum_i r_ik (x_i - c_k)(x_i - c_k)^T, reduced to what the
 *           covariance type needs: full K x D x D (upper triangle),
 *           tied D x D summed over k (upper triangle), diag K x D (the
 *           diagonal), spherical K (the trace).
 * Shifting by c_k (the current mean) keeps every sum small where the data
 * are, so the covariance never comes from the difference of two huge raw
 * moments (scikit-learn's diag and tied estimators do that, and lose all
 * digits for data near 1e9 with unit spread).
 *
 * Statistics are additive: partial statistics of disjoint row sets sum to
 * those of the union. Threads, blocks and (later) MPI ranks rely on it.
 */
#ifndef GMM_EM_STATS_H
#define GMM_EM_STATS_H

#include "gmm.h"

typedef struct gmm_stats {
    size_t n_components;
    size_t n_features;
    gmm_covariance_type covariance_type;
    double *nk;
    double *sk;
    double *qk;
    double log_likelihood;  /* sum_i w_i log p(x_i), E-steps only          */
} gmm_stats;

gmm_status gmm_stats_alloc(gmm_stats *stats, size_t n_components,
                           size_t n_features, gmm_covariance_type type,
                           gmm_error *err);
void gmm_stats_free(gmm_stats *stats);
void gmm_stats_zero(gmm_stats *stats);
/* dst += src. */
void gmm_stats_add(gmm_stats *dst, const gmm_stats *src);
/* Number of doubles in qk. */
size_t gmm_stats_q_size(const gmm_stats *stats);
/* Bytes one gmm_stats holds (to size per-block copies). */
size_t gmm_stats_bytes(size_t n_components, size_t n_features,
                       gmm_covariance_type type);

/* Fold a chunk of n_rows <= GMM_CHUNK_ROWS rows (row-major X, and XT the
 * same rows transposed by gmm_chunk_transpose) with
 * responsibilities resp in the chunk layout of model/chunk.h (component k's
 * at resp + k * GMM_LANE_STRIDE, zero on the padded rows up to
 * gmm_lanes(n_rows)) into stats, shifted by shifts (K x D). work holds
 * gmm_stats_work_size(K, D, its covariance type) doubles. */
size_t gmm_stats_work_size(size_t n_components, size_t n_features,
                           gmm_covariance_type type);
void gmm_stats_accumulate(gmm_stats *stats, const double *X, const double *XT,
                          size_t n_rows, const double *resp,
                          const double *shifts, double *work);

/* The float32 path (gmm_options.dtype): fold a float chunk, made by
 * gmm_chunk_transpose_f32 around an origin (XT transposed, read for diag
 * and spherical and where gmm_stats_by_lanes; XR row-major, read for the
 * other full and tied chunks, NULL allowed where it is not read), with
 * float responsibilities (otherwise as above), shifted by shifts (K x pd
 * floats, the shifts minus the origin: gmm_params_f32.means). The
 * statistics are then those of shifts origin + (double)shifts
 * (gmm_params_f32_shifts), in double; only partial sums over at most a
 * chunk's rows are float. work holds gmm_stats_work_size_f32(K, D, type)
 * doubles. */
size_t gmm_stats_work_size_f32(size_t n_components, size_t n_features,
                               gmm_covariance_type type);
/* Whether full or tied statistics with so few features are taken across
 * rows from XT alone (em/scatter_lanes.h), in either element type: then
 * the row-major chunk is not read. */
int gmm_stats_by_lanes(gmm_covariance_type type, size_t n_features);
void gmm_stats_accumulate_f32(gmm_stats *stats, const float *XT,
                              const float *XR, size_t n_rows,
                              const float *resp, const float *shifts,
                              double *work);

#endif
