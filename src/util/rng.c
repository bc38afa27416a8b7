/*
 * rng.c — xoshiro256** (Blackman & Vigna, 2018) and splitmix64; see rng.h.
 */
#include "util/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void gmm_rng_seed(gmm_rng *rng, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        rng->state[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t gmm_rng_next(gmm_rng *rng)
{
    uint64_t *s = rng->state;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double gmm_rng_uniform(gmm_rng *rng)
{
    return (double)(gmm_rng_next(rng) >> 11) * 0x1.0p-53;
}

size_t gmm_rng_below(gmm_rng *rng, size_t n)
{
    /* Rejection removes the modulo bias: draws past the largest multiple
     * of n are thrown away. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
        x = gmm_rng_next(rng);
    } while (x >= limit);
    return (size_t)(x % n);
}

double gmm_rng_normal(gmm_rng *rng)
{
    /* Marsaglia's polar method; the second value is dropped so that the
     * generator carries no hidden state beyond its four words. */
    double u, v, s;
    do {
        u = 2.0 * gmm_rng_uniform(rng) - 1.0;
        v = 2.0 * gmm_rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * sqrt(-2.0 * log(s) / s);
}

uint64_t gmm_rng_hash(uint64_t key, uint64_t counter)
{
    uint64_t x = key ^ (counter * 0xD1B54A32D192ED03ull);
    return splitmix64(&x);
}

double gmm_rng_hash_uniform(uint64_t key, uint64_t counter)
{
    return ((double)(gmm_rng_hash(key, counter) >> 11) + 0.5) * 0x1.0p-53;
}
