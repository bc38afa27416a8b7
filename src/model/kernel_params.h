/*
 * kernel_params.h — a mixture's parameters as the E-step's kernels read
 * them (kernels/kernels.h's gmm_kernel_params), in a fit's element type:
 * zero-padded, rounded once per pass, the log-weights folded into
 * per-component offsets.
 *
 * Float carries 24 bits, ~7 digits, so for an element type that centres
 * rows the data and the means are taken relative to an origin near the
 * data (the mixture's mean, sum_k w_k mu_k), subtracted in double before
 * rounding: then a row keeps the digits of its distance from the
 * mixture's centre, not of its distance from 0. What is left is the
 * spread of the data relative to each component's width: for a row R
 * standard deviations from the origin, (x - mu) carries a rounding error
 * of ~6e-8 R standard deviations; these errors are independent across
 * rows and mostly cancel in the mean log-likelihood (tests/core/
 * test_float32.c bounds them against float64).
 */
#ifndef GMM_MODEL_KERNEL_PARAMS_H
#define GMM_MODEL_KERNEL_PARAMS_H

#include "kernels/kernels.h"
#include "model/params.h"

/* Arrays for K components of D features in the element type of kernels,
 * for covariance type type (contents unspecified until set). */
gmm_status gmm_kernel_params_alloc(gmm_kernel_params *params,
                                   const gmm_kernels *kernels,
                                   size_t n_components, size_t n_features,
                                   gmm_covariance_type type, gmm_error *err);
void gmm_kernel_params_free(gmm_kernel_params *params);

/* From src, of the same shape, with its precisions up to date. */
void gmm_kernel_params_set(gmm_kernel_params *params, const gmm_params *src);

#endif
