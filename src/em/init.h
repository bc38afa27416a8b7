/*
 * init.h — initial parameters for one EM run (scikit-learn's
 * _initialize_parameters followed by _initialize).
 */
#ifndef GMM_EM_INIT_H
#define GMM_EM_INIT_H

#include "em/rows.h"
#include "model/params.h"

/* Responsibilities from options->init_params (seeded by run_seed) give
 * weights, means and covariances; explicit weights_init, means_init and
 * precisions_init / covariances_init then replace their parts. When all
 * three are given no pass over the data is made. Explicit arrays must have
 * been validated. */
gmm_status gmm_initialize(const gmm_options *options, const gmm_rows *rows,
                          uint64_t run_seed, gmm_params *out, gmm_error *err);

#endif
