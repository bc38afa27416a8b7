/*
 * nearest.h — each row's nearest centre, for Lloyd's assignment, the
 * k-means initializer's responsibilities and k-means prediction, blocked
 * as the E-step's kernels are: a chunk transposed (kernels/chunk.h), 8
 * rows in the lanes of two vectors against 4 centres at a time, so that
 * each loaded row vector and each broadcast centre value serves 4 or 8
 * distances.
 *
 * The arithmetic is the exact form, sum_j (x_j - c_j)^2, not the BLAS
 * form |x|^2 - 2 x.c + |c|^2, which cancels when the data are far from
 * the origin (README, "Numerics"): per row and centre the differences are
 * squared and added in feature order, one multiply and one add each,
 * never fused (nearest.c is compiled as ISO C, which forbids contraction),
 * and the centres are compared in index order with a strict <, the first
 * of equal distances winning: the same bits as the one-row loop
 * gmm_nearest_center (em/resp.h), which serves single rows. Where many
 * centres make it worth a pass's preparation, the product form screens
 * the rows first (kernels/screen.h) and the exact kernel runs only where
 * the screen cannot tell.
 */
#ifndef GMM_KERNELS_NEAREST_H
#define GMM_KERNELS_NEAREST_H

#include <stddef.h>

#include "kernels/screen.h"

/* Doubles of gmm_nearest_chunk's scratch for d features. */
size_t gmm_nearest_scratch_size(size_t d);

/* For rows X (n_rows <= GMM_CHUNK_ROWS, row-major, d features): label[i]
 * the index of the nearest of the n_centers centres (row-major); unless
 * dist_sq is NULL, dist_sq[i] its squared distance; unless second_sq is
 * NULL, second_sq[i] at most the squared distance to any other centre
 * (infinity for one centre): the runner-up that k-means' bounds start
 * from (em/bounds.h), its bits without a screen. With screen (the same
 * centres through gmm_screen_prepare; NULL: none) the rows it proves are
 * certain (kernels/screen.h) get their one exact distance, and the
 * others the exact kernel: the same labels and distances either way.
 * scratch: see above. */
void gmm_nearest_chunk(const double *X, size_t n_rows, size_t d,
                       const double *centers, size_t n_centers,
                       const gmm_screen *screen, double *scratch,
                       size_t *label, double *dist_sq, double *second_sq);

/* The same in steps, for callers that settle some rows themselves
 * (k-means' bounds): the chunk X (n_rows <= GMM_CHUNK_ROWS) transposed
 * into scratch; then for those rows, each one's exact squared distance
 * to its centre label[i] (the kernel's bits); then gmm_nearest_chunk's
 * results for the n rows which[0 .. n) of the chunk (which NULL: its
 * first n), in that order. */
void gmm_nearest_load(const double *X, size_t n_rows, size_t d,
                      double *scratch);
void gmm_nearest_own(const double *scratch, size_t n_rows, size_t d,
                     const double *centers, const size_t *label, double *dist);
void gmm_nearest_rows(double *scratch, const size_t *which, size_t n, size_t d,
                      const double *centers, size_t n_centers,
                      const gmm_screen *screen, size_t *label,
                      double *dist_sq, double *second_sq);

/* dist (n_rows x n_centers, row-major) the squared distance of each row
 * to each centre, the bits gmm_nearest_chunk compares: for k-means++'s
 * candidates, a few centres at a time. scratch: see above. */
void gmm_distances_chunk(const double *X, size_t n_rows, size_t d,
                         const double *centers, size_t n_centers,
                         double *scratch, double *dist);

/* Lloyd's shifted sums: sums[label[i] * d + j] += w_i (x_ij -
 * centers[label[i] * d + j]) over the chunk's rows in order, w_i =
 * weights[i] (1 when weights is NULL): compiled for the CPU's vectors,
 * across features, each element's multiply and add as written. */
void gmm_nearest_sums(const double *X, size_t n_rows, size_t d,
                      const double *centers, const size_t *label,
                      const double *weights, double *sums);

#endif
