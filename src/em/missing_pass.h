/*
 * missing_pass.h — the E-step over rows with missing entries (rows/
 * missing.h), which the fit loop runs beside the kernels' pass over the
 * complete rows: each row's responsibilities and log-likelihood from the
 * marginal density of its observed entries (model/missing.h), and its
 * statistics, around the same shifts and in the same layout as the
 * complete rows', from its expected complete-data moments: with x^ the row
 * with each missing entry replaced by its conditional mean under component
 * k, and C_k the conditional covariance of the missing entries,
 *   nk += r,  sk += r (x^ - c_k),  qk += r ((x^ - c_k)(x^ - c_k)^T + C_k)
 * reduced as the statistics layout says (diagonals, traces). So every
 * covariance model's M-step reads them unchanged, and the fit is exact EM
 * for the observed-data likelihood.
 */
#ifndef GMM_EM_MISSING_PASS_H
#define GMM_EM_MISSING_PASS_H

#include "model/params.h"
#include "model/stats.h"
#include "rows/missing.h"

/* Add the statistics of m's incomplete rows under p (double), shifted by
 * total->shifts, into total, their weighted log-likelihood included. The
 * result does not depend on n_threads. */
gmm_status gmm_missing_estep_pass(const gmm_missing_rows *m, const gmm_params *p,
                                  int n_threads, gmm_stats *total,
                                  gmm_error *err);

#endif
