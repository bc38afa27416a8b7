/*
 * fit.h — the EM fit loop over any rows (rows/rows.h): gmm_fit runs it on
 * the caller's memory, gmm_fit_npy on a streamed file and over MPI ranks.
 */
#ifndef GMM_EM_FIT_H
#define GMM_EM_FIT_H

#include "em/init.h"
#include "gmm.h"
#include "rows/rows.h"

/* gmm_fit on rows already checked (finite values, weights scaled, at least
 * two rows in all). With several processes every one calls it on its own
 * rows and ends with the same model. starts (may be NULL): k-means runs
 * already made on these rows (em/init.h); the model is the same with or
 * without them. */
gmm_status gmm_fit_rows(gmm_model *model, const gmm_rows *rows,
                        const gmm_kmeans_starts *starts, gmm_error *err);

/* gmm_fit on data without missing entries: checked, then gmm_fit_rows. */
gmm_status gmm_fit_memory(gmm_model *model, const double *X, size_t n_rows,
                          size_t n_features, const double *sample_weight,
                          gmm_error *err);

/* gmm_fit under gmm_options.missing = GMM_MISSING_MARGINALIZE
 * (em/fit_missing.c): data without NaN take gmm_fit's own path, bit for
 * bit; data with NaN are arranged by pattern (rows/missing.h) first. */
gmm_status gmm_fit_missing(gmm_model *model, const double *X, size_t n_rows,
                           size_t n_features, const double *sample_weight,
                           gmm_error *err);

#endif
