/*
 * accumulate.h — a chunk of rows and its responsibilities folded into
 * sufficient statistics (model/stats.h): the statistics pass's kernels.
 */
#ifndef GMM_EM_ACCUMULATE_H
#define GMM_EM_ACCUMULATE_H

#include "model/stats.h"

/* Fold a chunk of n_rows <= GMM_CHUNK_ROWS rows (row-major X, and XT the
 * same rows transposed by gmm_chunk_transpose) with
 * responsibilities resp in the chunk layout of kernels/chunk.h (component k's
 * at resp + k * GMM_LANE_STRIDE, zero on the padded rows up to
 * gmm_lanes(n_rows)) into stats, shifted by shifts (K x D). work holds
 * gmm_stats_work_size(K, D) doubles. */
size_t gmm_stats_work_size(size_t n_components, size_t n_features);
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
 * chunk's rows are float. work holds gmm_stats_work_size_f32(K, D)
 * doubles. */
size_t gmm_stats_work_size_f32(size_t n_components, size_t n_features);
/* Whether full or tied statistics with so few features are taken across
 * rows from XT alone (kernels/scatter_lanes.h), in either element type: then
 * the row-major chunk is not read. */
int gmm_stats_by_lanes(gmm_covariance_layout layout, size_t n_features);
void gmm_stats_accumulate_f32(gmm_stats *stats, const float *XT,
                              const float *XR, size_t n_rows,
                              const float *resp, const float *shifts,
                              double *work);

#endif
