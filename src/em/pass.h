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

/* Sum statistics over all rows, shifted by shifts (K x D), into total. */
gmm_status gmm_stats_pass(const gmm_rows *rows, gmm_resp_source source,
                          const double *shifts, int n_threads,
                          gmm_stats *total, gmm_error *err);

/* The buffers of a pass (per-block statistics, the threads' scratch),
 * kept from one pass to the next by a caller that makes many passes of
 * one shape, as the fit loop does (rows/runner.h says why). Start zeroed
 * ({0}); a pass grows it as needed; free it with
 * gmm_stats_pass_work_free. */
typedef struct gmm_stats_pass_work {
    gmm_stats *partial;  /* n_partial per-block statistics               */
    size_t n_partial;
    gmm_pass_buffers buffers;
} gmm_stats_pass_work;
void gmm_stats_pass_work_free(gmm_stats_pass_work *work);

/* gmm_stats_pass with its buffers in work (NULL: allocated and freed
 * here). The result does not depend on work. */
gmm_status gmm_stats_pass_reusing(const gmm_rows *rows, gmm_resp_source source,
                                  const double *shifts, int n_threads,
                                  gmm_stats_pass_work *work, gmm_stats *total,
                                  gmm_error *err);

/* The float32 path (gmm_options.dtype): an E-step pass whose kernels run
 * in float on each chunk rounded around params->origin (model/params.h),
 * with the log-sum-exp, the log-likelihood and all sums across chunks in
 * double. The statistics are shifted by gmm_params_f32_shifts(params):
 * give those to the M-step. work: as gmm_stats_pass_reusing's. */
gmm_status gmm_stats_pass_f32(const gmm_rows *rows,
                              const gmm_estep_f32_context *estep, int n_threads,
                              gmm_stats_pass_work *work, gmm_stats *total,
                              gmm_error *err);

#endif
