/*
 * scale_data.h — what the out-of-core and MPI tests share: a seeded
 * mixture sample, written as an .npy file, and model comparisons.
 */
#ifndef GMM_TESTS_SCALE_DATA_H
#define GMM_TESTS_SCALE_DATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/check.h"
#include "gmm.h"

#define SCALE_K 4
#define SCALE_D 3

/* n rows drawn from a fixed 4-component mixture in 3-D, far from the
 * origin (as real data often sit), caller frees. */
static double *scale_sample(size_t n, uint64_t seed)
{
    static const double weights[SCALE_K] = {0.1, 0.2, 0.3, 0.4};
    static const double means[SCALE_K * SCALE_D] = {
        100, 100, 100, 104, 100, 100, 100, 105, 101, 103, 103, 96};
    static const double variances[SCALE_K * SCALE_D] = {
        1, 2, 0.5, 0.7, 0.7, 0.7, 2, 1, 1, 0.3, 3, 1};
    gmm_model *truth = gmm_model_from_params(SCALE_K, SCALE_D, GMM_COVARIANCE_DIAG,
                                             weights, means, variances, NULL);
    double *X = malloc(n * SCALE_D * sizeof *X);
    if (!truth || !X || gmm_sample(truth, n, seed, X, NULL, NULL) != GMM_OK) {
        fprintf(stderr, "cannot make test data\n");
        exit(1);
    }
    gmm_model_free(truth);
    return X;
}

/* Write X (n x d, native float64, C order) as an .npy version 1 file. */
static void scale_write_npy(const char *path, const double *X, size_t n, size_t d)
{
    char header[128];
    int length = snprintf(header, sizeof header,
                          "{'descr': '<f8', 'fortran_order': False, 'shape': (%zu, %zu), }",
                          n, d);
    /* Pad with spaces to a multiple of 64 bytes, ending in a newline. */
    size_t total = 10 + (size_t)length + 1, padded = (total + 63) / 64 * 64;
    size_t header_length = padded - 10;
    memset(header + length, ' ', header_length - (size_t)length - 1);
    header[header_length - 1] = '\n';
    unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                  (unsigned char)(header_length & 0xff),
                                  (unsigned char)(header_length >> 8)};
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(preamble, 1, 10, f) != 10 ||
        fwrite(header, 1, header_length, f) != header_length ||
        fwrite(X, sizeof *X, n * d, f) != n * d || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
}

/* Largest |a - b| over max |b| (0 when equal). */
static double scale_rel_diff(const double *a, const double *b, size_t count)
{
    double diff = 0.0, scale = 0.0;
    for (size_t i = 0; i < count; i++) {
        diff = fabs(a[i] - b[i]) > diff ? fabs(a[i] - b[i]) : diff;
        scale = fabs(b[i]) > scale ? fabs(b[i]) : scale;
    }
    return scale > 0.0 ? diff / scale : diff;
}

/* The largest relative difference of the two models' parameters and lower
 * bounds; n_iter and converged must agree (a failed check otherwise). */
static double scale_compare(const gmm_model *a, const gmm_model *b,
                            const char *what)
{
    size_t k = gmm_model_n_components(b), d = gmm_model_n_features(b);
    CHECK(gmm_model_n_iter(a) == gmm_model_n_iter(b), "%s: n_iter %d vs %d", what,
          gmm_model_n_iter(a), gmm_model_n_iter(b));
    CHECK(gmm_model_converged(a) == gmm_model_converged(b), "%s: converged", what);
    CHECK(gmm_model_n_features(a) == d, "%s: n_features", what);
    if (gmm_model_n_features(a) != d)
        return INFINITY;
    double lb_a = gmm_model_lower_bound(a), lb_b = gmm_model_lower_bound(b);
    double worst = scale_rel_diff(&lb_a, &lb_b, 1), r;
    if ((r = scale_rel_diff(gmm_model_weights(a), gmm_model_weights(b), k)) > worst)
        worst = r;
    if ((r = scale_rel_diff(gmm_model_means(a), gmm_model_means(b), k * d)) > worst)
        worst = r;
    if ((r = scale_rel_diff(gmm_model_covariances(a), gmm_model_covariances(b),
                            gmm_model_covariance_size(b))) > worst)
        worst = r;
    return worst;
}

static const gmm_covariance_type scale_types[] = {
    GMM_COVARIANCE_FULL, GMM_COVARIANCE_TIED, GMM_COVARIANCE_DIAG,
    GMM_COVARIANCE_SPHERICAL};
static const gmm_init_method scale_inits[] = {
    GMM_INIT_KMEANS, GMM_INIT_KMEANS_PLUSPLUS, GMM_INIT_RANDOM,
    GMM_INIT_RANDOM_FROM_DATA};

#endif
