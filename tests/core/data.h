/*
 * data.h — seeded synthetic mixtures for the C tests.
 */
#ifndef GMM_TESTS_DATA_H
#define GMM_TESTS_DATA_H

#include <stdlib.h>

#include "util/rng.h"

/* n rows of d features from k well-separated spherical blobs (unit spread,
 * centres `separation` apart along a random direction), plus offset. */
static inline double *blobs(size_t n, size_t d, size_t k, double separation,
                            double offset, uint64_t seed)
{
    gmm_rng rng;
    gmm_rng_seed(&rng, seed);
    double *centers = malloc(k * d * sizeof *centers);
    double *X = malloc(n * d * sizeof *X);
    for (size_t i = 0; i < k * d; i++)
        centers[i] = separation * (gmm_rng_uniform(&rng) - 0.5) * 2.0;
    for (size_t i = 0; i < n; i++) {
        size_t c = i % k;
        for (size_t j = 0; j < d; j++)
            X[i * d + j] = offset + centers[c * d + j] +
                           (0.5 + 0.25 * (double)j) * gmm_rng_normal(&rng);
    }
    free(centers);
    return X;
}

#endif
