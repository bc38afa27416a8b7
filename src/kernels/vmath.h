/*
 * vmath.h — the vector exp and log of the E-step's log-sum-exp
 * (kernels/log_sum_exp.h): glibc's scalar calls cost a large share of an
 * iteration, and no vector libm is assumed.
 */
#ifndef GMM_KERNELS_VMATH_H
#define GMM_KERNELS_VMATH_H

#include <stdint.h>

#include "kernels/chunk.h"

typedef int64_t gmm_v4l __attribute__((vector_size(32)));

/* exp(x) for x <= 0, four at a time, within 1 ulp of glibc's exp (max
 * difference measured over 1e8 random points of [-708, 0]: 1.000 ulp);
 * x < -708 gives 0 (glibc gives subnormals there, which are below
 * 1e-307 of any row's sum and do not change it).
 * Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, then the Taylor
 * polynomial of degree 13 (truncation error 4e-18) and 2^n built in the
 * exponent bits. glibc's scalar exp was 10% of a D = K = 16 full
 * iteration (perf); this is 4x cheaper per value.
 * Constant vectors are written zero + c, not c + r * 0: GCC may not fold
 * r * 0 (NaN for infinite r, -0 for negative r), so that cost one FMA
 * each, 3 of the ~30 vector instructions (the log-sum-exp template, one
 * 256-row chunk, K = 16: float32 17.8 -> 15.3 ns per row, float64 38 ->
 * 35, with the blocks below). Same results: the two forms differ only
 * in lanes that are NaN or below the range, which end as 0 either way. */
GMM_INLINE gmm_v4d exp4(gmm_v4d x)
{
    const double log2e = 1.4426950408889634, shifter = 0x1.8p52;
    const double ln2_hi = 6.93147180369123816490e-01;
    const double ln2_lo = 1.90821492927058770002e-10;
    const gmm_v4d zero = {0};
    gmm_v4l keep = x >= -708.0;
    gmm_v4l x_bits = (gmm_v4l)x, floor_bits = (gmm_v4l)(zero - 708.0);
    x = (gmm_v4d)((x_bits & keep) | (floor_bits & ~keep));
    gmm_v4d t = x * log2e + shifter;
    gmm_v4d n = t - shifter;
    gmm_v4d r = (x - n * ln2_hi) - n * ln2_lo;
    gmm_v4d p = zero + 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    gmm_v4l two_n = ((gmm_v4l)t - (gmm_v4l)(zero + shifter) + 1023) << 52;
    return (gmm_v4d)((gmm_v4l)(p * (gmm_v4d)two_n) & keep);
}

/* log(x) for x >= 1 (a row's sum of exps, whose largest term is 1), four
 * at a time: x = 2^e m with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s),
 * s = (m - 1)/(m + 1), |s| <= 0.172, summed to s^23 (truncation 3e-19),
 * plus e ln2 in two parts (ln2_hi e is exact). glibc's scalar log was 19%
 * of an iteration at N = 100k, D = 2, K = 3 (perf). Measured against
 * glibc over 1e7 random points of [1, 4] and [1, 1e4]: at most 2 ulp
 * apart (glibc is within 1 ulp of the exact value). */
GMM_INLINE gmm_v4d log4(gmm_v4d x)
{
    const double ln2_hi = 6.93147180369123816490e-01;
    const double ln2_lo = 1.90821492927058770002e-10;
    gmm_v4l bits = (gmm_v4l)x;
    gmm_v4l e = (bits >> 52) - 1023;
    gmm_v4d m = (gmm_v4d)((bits & 0xfffffffffffffLL) | 0x3ff0000000000000LL);
    gmm_v4l big = m > 1.4142135623730951;
    m = (gmm_v4d)(((gmm_v4l)(m * 0.5) & big) | ((gmm_v4l)m & ~big));
    e -= big; /* big is -1 where true */
    gmm_v4d s = (m - 1.0) / (m + 1.0), s2 = s * s;
    gmm_v4d p = (gmm_v4d){0} + 1.0 / 23.0;
    p = p * s2 + 1.0 / 21.0;
    p = p * s2 + 1.0 / 19.0;
    p = p * s2 + 1.0 / 17.0;
    p = p * s2 + 1.0 / 15.0;
    p = p * s2 + 1.0 / 13.0;
    p = p * s2 + 1.0 / 11.0;
    p = p * s2 + 1.0 / 9.0;
    p = p * s2 + 1.0 / 7.0;
    p = p * s2 + 1.0 / 5.0;
    p = p * s2 + 1.0 / 3.0;
    /* e as a double, exactly, without AVX2's missing int64 -> double
     * conversion (GCC made it 4 scalar conversions through general
     * registers, on the critical path): 1.5 * 2^52 + e has e in its low
     * mantissa bits for |e| < 2^51. */
    gmm_v4d en = (gmm_v4d)(e + 0x4338000000000000LL) - 0x1.8p52;
    return en * ln2_hi + (2.0 * s + (2.0 * s * s2 * p + en * ln2_lo));
}

typedef int32_t gmm_v8i __attribute__((vector_size(32)));

/* exp(x) for x <= 0 in float, eight at a time; x < -87 gives 0 (below
 * 2^-125, under 1e-37 of a row's sum, which holds exp(0) = 1).
 * Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, then the Taylor
 * polynomial of degree 7 (truncation error 5e-9, below float's 6e-8
 * rounding) and 2^n built in the exponent bits. Measured: max relative
 * error 1.2e-7 against double exp over [-87, 0] (2 ulp of float).
 * Constants as in exp4. */
GMM_INLINE gmm_v8f exp8f(gmm_v8f x)
{
    const float log2e = 1.44269504f, shifter = 0x1.8p23f;
    const float ln2_hi = 0.693145752f, ln2_lo = 1.42860677e-6f;
    const gmm_v8f zero = {0};
    gmm_v8i keep = x >= -87.0f;
    gmm_v8i x_bits = (gmm_v8i)x, floor_bits = (gmm_v8i)(zero - 87.0f);
    x = (gmm_v8f)((x_bits & keep) | (floor_bits & ~keep));
    gmm_v8f t = x * log2e + shifter;
    gmm_v8f n = t - shifter;
    gmm_v8f r = (x - n * ln2_hi) - n * ln2_lo;
    gmm_v8f p = zero + 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    gmm_v8i two_n = ((gmm_v8i)t - (gmm_v8i)(zero + shifter) + 127) << 23;
    return (gmm_v8f)((gmm_v8i)(p * (gmm_v8f)two_n) & keep);
}

#endif
