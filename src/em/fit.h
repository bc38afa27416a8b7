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

#endif
