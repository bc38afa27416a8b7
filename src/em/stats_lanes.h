/*
 * stats_lanes.h — the full and tied statistics of a chunk with few
 * features, vectorised across rows (em/stats_lanes.c). gmm_stats_accumulate
 * (em/stats.c) hands such chunks here.
 */
#ifndef GMM_EM_STATS_LANES_H
#define GMM_EM_STATS_LANES_H

#include "em/stats.h"

/* Up to this many features the lane form is the faster one (see
 * em/stats_lanes.c); beyond it, em/scatter.h's row-major tiles. */
#define GMM_STATS_LANES_MAX_FEATURES 4

/* As gmm_stats_accumulate, for full or tied statistics with n_features
 * <= GMM_STATS_LANES_MAX_FEATURES, reading only XT (the transposed chunk
 * of model/chunk.h); needs no work. */
void gmm_stats_accumulate_lanes(gmm_stats *stats, const double *XT,
                                size_t n_rows, const double *resp,
                                const double *shifts);

#endif
