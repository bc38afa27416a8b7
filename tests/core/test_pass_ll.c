/*
 * test_pass_ll.c — the E-step's log-likelihood alone
 * (gmm_estep_log_likelihood, em/pass.h), which the k-means start uses to
 * choose among its candidates, is bit for bit the log-likelihood of the
 * whole E-step pass, for every covariance layout, one to three threads,
 * and more rows than one block holds: a difference would change which
 * candidate a fit keeps, so it must be none, not a rounding.
 */
#include <string.h>

#include "check.h"
#include "data.h"
#include "em/pass.h"
#include "kernels/dispatch.h"
#include "model/covariance.h"
#include "model/kernel_params.h"
#include "model/params.h"
#include "model/stats.h"
#include "rows/rows.h"

#define K 4
#define D 5
#define N_ROWS 40000

/* Means on the blobs' first rows; every covariance the identity scaled by
 * 1 + k / 2 (one shared block for tied). */
static void set_params(gmm_params *p, const double *X)
{
    const gmm_covariance_model *m = gmm_covariance_model_of(p->covariance_type);
    size_t blocks = m->covariances.shared ? 1 : K;
    for (size_t k = 0; k < K; k++) {
        p->weights[k] = 1.0 / K;
        memcpy(p->means + k * D, X + k * D, D * sizeof *X);
    }
    for (size_t b = 0; b < blocks; b++) {
        double scale = 1.0 + 0.5 * (double)b;
        if (m->covariances.block == GMM_COVARIANCE_BLOCK_MATRIX)
            for (size_t i = 0; i < D * D; i++)
                p->covariances[b * D * D + i] = i % (D + 1) == 0 ? scale : 0.0;
        else if (m->covariances.block == GMM_COVARIANCE_BLOCK_DIAGONAL)
            for (size_t j = 0; j < D; j++)
                p->covariances[b * D + j] = scale;
        else
            p->covariances[b] = scale;
    }
}

static void check_type(gmm_covariance_type type, const gmm_rows *rows,
                       const double *X)
{
    const gmm_covariance_model *m = gmm_covariance_model_of(type);
    gmm_error err;
    gmm_params params;
    gmm_kernel_params kp;
    gmm_stats whole, alone;
    CHECK_OK(gmm_params_alloc(&params, K, D, type, &err));
    set_params(&params, X);
    CHECK_OK(gmm_params_update_precisions(&params, &err));
    CHECK_OK(gmm_kernel_params_alloc(&kp, gmm_kernels_of(GMM_DTYPE_FLOAT64),
                                     K, D, type, &err));
    gmm_kernel_params_set(&kp, &params);
    CHECK_OK(gmm_stats_alloc(&whole, K, D, m->statistics, &err));
    CHECK_OK(gmm_stats_alloc(&alone, K, D, m->statistics, &err));
    for (int threads = 1; threads <= 3; threads++) {
        CHECK_OK(gmm_estep_pass(rows, &kp, threads, NULL, &whole, &err));
        CHECK_OK(gmm_estep_log_likelihood(rows, &kp, threads, &alone, &err));
        CHECK(memcmp(&whole.log_likelihood, &alone.log_likelihood,
                     sizeof(double)) == 0,
              "%s, %d threads: log-likelihood alone %.17g, with the "
              "statistics %.17g", m->name, threads, alone.log_likelihood,
              whole.log_likelihood);
    }
    gmm_stats_release(&whole);
    gmm_stats_release(&alone);
    gmm_kernel_params_free(&kp);
    gmm_params_free(&params);
}

int main(void)
{
    double *X = blobs(N_ROWS, D, K, 6.0, 1e3, 5);
    gmm_rows rows = gmm_rows_of_memory(X, N_ROWS, D);
    static const gmm_covariance_type types[] = {
        GMM_COVARIANCE_FULL, GMM_COVARIANCE_TIED, GMM_COVARIANCE_DIAG,
        GMM_COVARIANCE_SPHERICAL};
    for (size_t t = 0; t < sizeof types / sizeof *types; t++)
        check_type(types[t], &rows, X);
    free(X);
    return check_failures() != 0;
}
