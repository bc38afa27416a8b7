/*
 * model.h — the gmm_model object behind the public handle.
 */
#ifndef GMM_MODEL_MODEL_H
#define GMM_MODEL_MODEL_H

#include "gmm.h"
#include "model/params.h"

struct gmm_model {
    gmm_options options;
    int fitted;           /* params hold a usable mixture                  */
    gmm_params params;    /* allocated when fitted                         */
    int converged;
    int n_iter;
    double lower_bound;   /* -inf when no EM iteration ran                 */
};

/* Record a fit's outcome with its parameters: the fit loop and the model
 * file's reader do, and nothing outside the library may (the outcome
 * describes the fit that made the parameters). */
void gmm_model_set_fit_info(gmm_model *model, int converged, int n_iter,
                            double lower_bound);

/* Validate explicit parameters as scikit-learn validates weights_init,
 * means_init and precisions_init. `matrices` are covariances or precisions
 * (`name` says which, for messages); any pointer may be NULL to skip it. */
gmm_status gmm_validate_weights(const double *weights, size_t n_components,
                                gmm_error *err);
gmm_status gmm_validate_finite(const double *values, size_t count,
                               const char *name, gmm_error *err);
gmm_status gmm_validate_matrices(const double *matrices,
                                 gmm_covariance_type type, size_t n_components,
                                 size_t n_features, const char *name,
                                 gmm_error *err);

/* Check that X (n_rows x n_features) holds only finite numbers; names the
 * first bad row and column (0-based in the API, as in C). */
gmm_status gmm_validate_data(const double *X, size_t n_rows, size_t n_features,
                             gmm_error *err);

/* Check n sample weights: finite, non-negative, not all zero (naming the
 * first bad one, counted from 0). *largest gets the largest. The one
 * check of sample weights: every fit makes it (em/rows.c), and the gmm
 * command makes it as it reads a weights file, to name the file. */
gmm_status gmm_validate_sample_weights(const double *weights, size_t n,
                                       double *largest, gmm_error *err);

#endif
