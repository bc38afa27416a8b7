/*
 * vlog.h — the vector log of the E-step's log-sum-exp (kernels/log_sum_exp.h),
 * in double for either element type: once per row, where glibc's scalar
 * call cost a large share of an iteration, and no vector libm is assumed.
 */
#ifndef GMM_KERNELS_VLOG_H
#define GMM_KERNELS_VLOG_H

#include "kernels/chunk.h"

/* log(x) for x >= 1 (a row's sum of exps, whose largest term is 1), four
 * at a time: x = 2^e m with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s),
 * s = (m - 1)/(m + 1), |s| <= 0.172, summed to s^23 (truncation 3e-19),
 * plus e ln2 in two parts (ln2_hi e is exact). Within 2 ulp of glibc's
 * log, itself within 1 ulp of the exact value (bench/RESULTS.md note 11,
 * which also says what glibc's scalar log cost). */
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

#endif
