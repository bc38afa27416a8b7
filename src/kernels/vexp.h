/*
 * vexp.h — kernel template (kernels/real.h): exp(x) for x <= 0, a vector
 * at a time, the E-step's log-sum-exp's exps (glibc's scalar exp would
 * cost a large share of an iteration). No include guard: one inclusion
 * per element type.
 *
 * Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, then the Taylor
 * polynomial of degree GMM_EXP_DEGREE (its truncation below the type's
 * rounding) by Horner, and 2^n built in the exponent bits. x below
 * GMM_EXP_MIN gives 0: those terms are far below any row's sum, whose
 * largest term is exp(0) = 1. float64: within 1 ulp of glibc's exp;
 * float32: within 2 ulp of float (bench/RESULTS.md notes 2 and 17).
 * Constant vectors are written zero + c, not c + r * 0: GCC may not fold
 * r * 0 (NaN for infinite r, -0 for negative r), which would cost an FMA
 * each; the two forms differ only in lanes that are NaN or below the
 * range, which end as 0 either way.
 */
#include "kernels/real.h"

GMM_INLINE GMM_V GMM_K(vexp)(GMM_V x)
{
    static const GMM_R coefficient[GMM_EXP_DEGREE + 1] = GMM_EXP_COEFFICIENTS;
    const GMM_R log2e = GMM_EXP_LOG2E, shifter = GMM_EXP_SHIFTER;
    const GMM_R ln2_hi = GMM_EXP_LN2_HI, ln2_lo = GMM_EXP_LN2_LO;
    const GMM_V zero = {0};
    GMM_VI keep = x >= GMM_EXP_MIN;
    GMM_VI x_bits = (GMM_VI)x, floor_bits = (GMM_VI)(zero + GMM_EXP_MIN);
    x = (GMM_V)((x_bits & keep) | (floor_bits & ~keep));
    GMM_V t = x * log2e + shifter;
    GMM_V n = t - shifter;
    GMM_V r = (x - n * ln2_hi) - n * ln2_lo;
    /* Horner from the highest coefficient down. The steps are written out
     * (those past the type's degree drop out at compile time): as a loop
     * over the table, fully unrolled all the same, GCC kept more of the
     * constants on the stack (bench/RESULTS.md note 24). */
    GMM_V p = zero + coefficient[GMM_EXP_DEGREE];
    _Static_assert(GMM_EXP_DEGREE <= 13, "vexp: at most degree 13");
#define GMM_EXP_STEP(i)                                                       \
    if ((i) < GMM_EXP_DEGREE)                                                 \
        p = p * r + coefficient[(i) < GMM_EXP_DEGREE ? (i) : 0]
    GMM_EXP_STEP(12); GMM_EXP_STEP(11); GMM_EXP_STEP(10); GMM_EXP_STEP(9);
    GMM_EXP_STEP(8); GMM_EXP_STEP(7); GMM_EXP_STEP(6); GMM_EXP_STEP(5);
    GMM_EXP_STEP(4); GMM_EXP_STEP(3); GMM_EXP_STEP(2); GMM_EXP_STEP(1);
    GMM_EXP_STEP(0);
#undef GMM_EXP_STEP
    GMM_VI two_n = ((GMM_VI)t - (GMM_VI)(zero + shifter) + GMM_EXP_BIAS)
                   << GMM_EXP_MANTISSA;
    return (GMM_V)((GMM_VI)(p * (GMM_V)two_n) & keep);
}
