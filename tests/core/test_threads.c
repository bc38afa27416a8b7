/*
 * test_threads.c — a fit is bit-identical for any thread count (the block
 * partition of util/blocks.h does not depend on it), for every covariance
 * type, with shapes that exercise the kernels' padding: D = 5 (not a
 * multiple of the 4-feature blocks) and N = 40001 (a last chunk of 65 rows,
 * not a multiple of the 32-row lane blocks), large enough that passes do
 * run threaded; in float64 and in float32 (gmm_options.dtype).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gmm.h"

#define N_ROWS 40001
#define N_FEATURES 5

static double *blobs(void)
{
    double *X = malloc(N_ROWS * N_FEATURES * sizeof *X);
    uint64_t state = 42;
    for (size_t i = 0; i < N_ROWS * N_FEATURES; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(state >> 11) / 9007199254740992.0;
        X[i] = u + (double)((i / N_FEATURES) % 3) * 2.0 + 1e3;
    }
    return X;
}

static gmm_model *fit(const double *X, gmm_covariance_type type, gmm_dtype dtype,
                      int threads)
{
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = 3;
    o.covariance_type = type;
    o.max_iter = 20;
    o.tol = 0.0;
    o.n_threads = threads;
    o.dtype = dtype;
    gmm_model *model = gmm_model_new(&o, NULL);
    CHECK_OK(gmm_fit(model, X, N_ROWS, N_FEATURES, NULL, &check_err_));
    return model;
}

int main(void)
{
    double *X = blobs();
    for (int t = 0; t < 8; t++) {
        gmm_covariance_type type = (gmm_covariance_type)(t % 4);
        gmm_dtype dtype = t < 4 ? GMM_DTYPE_FLOAT64 : GMM_DTYPE_FLOAT32;
        const char *dtype_name = gmm_dtype_name(dtype);
        gmm_model *one = fit(X, type, dtype, 1);
        for (int threads = 2; threads <= 3; threads++) {
            gmm_model *many = fit(X, type, dtype, threads);
            size_t k = 3, d = N_FEATURES, n_cov = gmm_model_covariance_size(one);
            CHECK(memcmp(gmm_model_weights(one), gmm_model_weights(many),
                         k * sizeof(double)) == 0,
                  "%s %s: weights differ with %d threads",
                  gmm_covariance_type_name(type), dtype_name, threads);
            CHECK(memcmp(gmm_model_means(one), gmm_model_means(many),
                         k * d * sizeof(double)) == 0,
                  "%s %s: means differ with %d threads",
                  gmm_covariance_type_name(type), dtype_name, threads);
            CHECK(memcmp(gmm_model_covariances(one), gmm_model_covariances(many),
                         n_cov * sizeof(double)) == 0,
                  "%s %s: covariances differ with %d threads",
                  gmm_covariance_type_name(type), dtype_name, threads);
            CHECK(gmm_model_lower_bound(one) == gmm_model_lower_bound(many),
                  "%s %s: lower bounds differ with %d threads",
                  gmm_covariance_type_name(type), dtype_name, threads);
            gmm_model_free(many);
        }
        gmm_model_free(one);
    }
    free(X);
    return check_failures() != 0;
}
