/*
 * rng.h — the library's own random numbers: xoshiro256** seeded through
 * splitmix64, plus a stateless counter-based hash.
 *
 * Why our own: results must be reproducible from a seed on every platform
 * and must not depend on the number of threads. A sequential generator
 * serves choices made in one place (k-means++ seeds, sampling); the
 * counter-based hash serves per-row choices made in parallel (random
 * responsibilities), where row j's numbers depend only on (seed, j).
 */
#ifndef GMM_UTIL_RNG_H
#define GMM_UTIL_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct gmm_rng {
    uint64_t state[4];
} gmm_rng;

void gmm_rng_seed(gmm_rng *rng, uint64_t seed);
uint64_t gmm_rng_next(gmm_rng *rng);
double gmm_rng_uniform(gmm_rng *rng);           /* [0, 1), 53 bits        */
size_t gmm_rng_below(gmm_rng *rng, size_t n);   /* uniform in [0, n), n>0 */
double gmm_rng_normal(gmm_rng *rng);            /* standard normal        */

/* A well-mixed 64-bit function of (key, counter): splitmix64's finalizer. */
uint64_t gmm_rng_hash(uint64_t key, uint64_t counter);
/* The hash as a uniform double in (0, 1). */
double gmm_rng_hash_uniform(uint64_t key, uint64_t counter);

#endif
