/*
 * missing_moments.h — the statistics of a run of rows of one missingness
 * pattern from the statistics of their rows as they are (missing_pass.c).
 *
 * Under component k a row completed by its conditional means is an affine
 * function of its observed part: shifted by c_k (model/stats.h), its
 * observed entries are y = x_o - c_o and its missing ones
 * z = B y + beta, beta = mu_m - B mu_o + B c_o - c_m. So the completed
 * rows' sums follow from the sums of the rows as they are (the missing
 * entries hold any finite value; nothing read below depends on it), which
 * the kernels' accumulation gives for all K components in one pass:
 *   sum r z      = B (sum r y) + beta N
 *   sum r y z^T  = (sum r y y^T) B^T + (sum r y) beta^T
 *   sum r z z^T  = B (sum r y y^T) B^T + B (sum r y) beta^T
 *                  + beta (sum r y)^T B^T + N beta beta^T
 * (N = sum r), O(n_obs n_mis D) per component whatever the run's length;
 * the conditional covariance comes on top as it does for completed rows.
 * Variance blocks have B = 0 and need the diagonals only.
 */
#ifndef GMM_EM_MISSING_MOMENTS_H
#define GMM_EM_MISSING_MOMENTS_H

#include "model/missing.h"
#include "model/stats.h"

/* The layout of the per-component statistics the rows as they are are
 * accumulated into, for statistics in layout: a matrix per component for
 * matrix blocks, a diagonal per component otherwise. */
gmm_covariance_layout gmm_missing_moments_layout(gmm_covariance_layout layout);

/* Whether a run of n_rows rows of f's pattern, for statistics in layout,
 * is cheaper through the moments than completed row by row. */
int gmm_missing_moments_pay(const gmm_missing_factors *f,
                            gmm_covariance_layout layout, size_t n_rows);

/* observed (in gmm_missing_moments_layout of dst's layout, unpacked): the
 * rows' sums as they are, around dst's shifts. Adds the completed rows'
 * sums into dst (without the conditional covariance); observed is
 * overwritten. work holds n_features (n_features + 2) doubles. */
void gmm_missing_moments_add(gmm_stats *dst, gmm_stats *observed,
                             const gmm_missing_factors *f, double *work);

#endif
