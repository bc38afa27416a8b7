/*
 * layout.h — sizes and offsets of covariance-shaped arrays (gmm.h's
 * gmm_covariance_layout): covariances, precision factors and the
 * statistics' scatter are all blocks of one kind, one per component or
 * one shared. The kernels, the model and the model file read their shapes
 * from here, so that no code needs to know which covariance type it
 * serves, only the kind of block.
 */
#ifndef GMM_KERNELS_LAYOUT_H
#define GMM_KERNELS_LAYOUT_H

#include <stddef.h>

#include "gmm.h"

/* Values in one block, for d features. */
static inline size_t gmm_layout_block_size(gmm_covariance_layout layout,
                                           size_t d)
{
    return layout.block == GMM_COVARIANCE_BLOCK_MATRIX     ? d * d
           : layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL ? d
                                                           : 1;
}

/* Blocks for k components. */
static inline size_t gmm_layout_n_blocks(gmm_covariance_layout layout,
                                         size_t k)
{
    return layout.shared ? 1 : k;
}

/* Values in all, for k components and d features. */
static inline size_t gmm_layout_size(gmm_covariance_layout layout, size_t k,
                                     size_t d)
{
    return gmm_layout_n_blocks(layout, k) * gmm_layout_block_size(layout, d);
}

/* The block that component k reads. */
static inline size_t gmm_layout_block_of(gmm_covariance_layout layout,
                                         size_t k)
{
    return layout.shared ? 0 : k;
}

static inline int gmm_layout_is_matrix(gmm_covariance_layout layout)
{
    return layout.block == GMM_COVARIANCE_BLOCK_MATRIX;
}

/* A diagonal or scalar block as the diagonal of a matrix: feature j's
 * variance is value[j * stride] (stride 1 for D variances, 0 for one). */
static inline size_t gmm_layout_variance_stride(gmm_covariance_layout layout)
{
    return layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL;
}

#endif
