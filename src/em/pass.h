/*
 * pass.h — one parallel pass over the rows that turns responsibilities into
 * sufficient statistics. The E-step and every initializer are passes that
 * differ only in where the responsibilities come from (a gmm_resp_source).
 */
#ifndef GMM_EM_PASS_H
#define GMM_EM_PASS_H

#include "em/resp.h"
#include "model/stats.h"
#include "rows/runner.h"

/* The buffers of a pass (per-thread statistics, the threads' scratch),
 * kept from one pass to the next by a caller that makes many passes of
 * one shape, as the fit loop does (rows/runner.h says why). Start zeroed
 * ({0}); a pass grows it as needed; free it with
 * gmm_stats_pass_work_free. */
typedef struct gmm_stats_pass_work {
    gmm_stats *partial;  /* n_partial per-thread statistics              */
    size_t n_partial;
    gmm_pass_buffers buffers;
} gmm_stats_pass_work;
void gmm_stats_pass_work_free(gmm_stats_pass_work *work);

/* Sum statistics over all rows into total: the responsibilities from
 * source (one of the initializers', in double), the statistics shifted by
 * shifts (K x D). */
gmm_status gmm_stats_pass(const gmm_rows *rows, gmm_resp_source source,
                          const double *shifts, int n_threads,
                          gmm_stats *total, gmm_error *err);

/* The E-step's pass under params, in their element type
 * (model/kernel_params.h): the kernels run on each chunk converted to
 * that type; the log-likelihood and every sum across chunks are double.
 * The statistics are shifted by params->shifts (recorded in total), and
 * a float E-step that left float's range fails here (GMM_ERR_NUMERIC).
 * work: the buffers kept between passes, or NULL. The result does not
 * depend on work. */
gmm_status gmm_estep_pass(const gmm_rows *rows, const gmm_kernel_params *params,
                          int n_threads, gmm_stats_pass_work *work,
                          gmm_stats *total, gmm_error *err);

/* The log-likelihood of gmm_estep_pass alone, bit for bit, into
 * total->log_likelihood (its other sums are left zero): the same pass
 * without the statistics' accumulation, for callers that only compare
 * parameters (the k-means start's candidates). params in float64. */
gmm_status gmm_estep_log_likelihood(const gmm_rows *rows,
                                    const gmm_kernel_params *params,
                                    int n_threads, gmm_stats *total,
                                    gmm_error *err);

/* Add the statistics of all processes holding rows, in place (nothing
 * to do for one); local as for gmm_rows_sum. The passes above end with
 * it; a caller that adds statistics of its own after a pass (em/fit.c,
 * rows with missing entries) sums those with it too. */
gmm_status gmm_stats_sum_processes(const gmm_rows *rows, gmm_stats *total,
                                   gmm_status local, gmm_error *err);

#endif
