/*
 * real.h — the parameters of an element type, for the kernel templates
 * (kernels/kernels.h says why one source serves every type).
 *
 * The float and double kernels are the same loops over the same chunk
 * layout (kernels/chunk.h); only the element type, the vector width, the
 * helpers and a few constants change. Each kernel template is written
 * once against the names below; kernels/instance.h includes them all for
 * the element type GMM_CHUNK_F32 selects:
 *
 *     #define GMM_CHUNK_F32 0                (kernels_f64.c)
 *     #include "kernels/instance.h"    -> triangular_distances_f64, ...,
 *                                         gmm_kernels_f64
 *
 * GMM_CHUNK_WIDE selects the vector width the same way: 0, 32-byte
 * vectors (AVX2: 4 doubles, 8 floats); 1, 64-byte vectors (AVX-512: 8
 * doubles, 16 floats), in the translation units compiled for x86-64-v4
 * (kernels_f64_wide.c, kernels_f32_wide.c; kernels/dispatch.h picks).
 * Every loop is written per vector, so the width changes what one
 * instruction covers and nothing in the templates' text.
 *
 * Each template includes this file first. No include guard, on purpose:
 * every inclusion redefines the names for the current GMM_CHUNK_F32 and
 * GMM_CHUNK_WIDE.
 *
 *   GMM_R        the element type (double, float)
 *   GMM_DTYPE    its gmm_dtype
 *   GMM_V        a vector of it (gmm_v4d, gmm_v8f; wide gmm_v8d, gmm_v16f)
 *   GMM_VI       the integer vector of its bits (gmm_v4l, gmm_v8i, ...)
 *   GMM_VL       lanes per vector (4, 8; wide 8, 16)
 *   GMM_VLOAD, GMM_VSTORE   unaligned vector load and store
 *   GMM_VHSUM    horizontal sum, returned as double
 *   GMM_VHSUMS   the horizontal sums of GMM_VL vectors, as one vector
 *   GMM_VQUARTER(v, q)  lanes 4q .. 4q + 3 of v, in double
 *   GMM_K(name)  the kernel's name with its suffix (name_f64, name_f32,
 *                name_f64_wide, name_f32_wide)
 *   GMM_SQRT     square root of one element
 *   GMM_VADD_DOUBLE  q[0 .. GMM_VL) += a vector, in double
 *   GMM_CENTRES_ROWS  1 when rows are centred on an origin before they
 *                are rounded (float: kernels.h's centres_rows)
 *   GMM_RELATIVE_LOG_PROB  1 when the E-step's log-probabilities are
 *                held relative to a constant of the chunk (float: the
 *                absolute values' digits would not fit; log_sum_exp.h)
 *   GMM_EXP_*    the vector exp's constants (kernels/vexp.h): its
 *                range's floor, the Taylor degree that keeps the
 *                truncation below the type's rounding, and the float
 *                format's exponent bias and mantissa bits
 */
#include "kernels/chunk.h"
#include "kernels/wide.h"

#undef GMM_R
#undef GMM_DTYPE
#undef GMM_V
#undef GMM_VI
#undef GMM_VL
#undef GMM_VLOAD
#undef GMM_VSTORE
#undef GMM_VHSUM
#undef GMM_VHSUMS
#undef GMM_VQUARTER
#undef GMM_K
#undef GMM_SQRT
#undef GMM_VADD_DOUBLE
#undef GMM_CENTRES_ROWS
#undef GMM_RELATIVE_LOG_PROB
#undef GMM_EXP_MIN
#undef GMM_EXP_DEGREE
#undef GMM_EXP_COEFFICIENTS
#undef GMM_EXP_BIAS
#undef GMM_EXP_MANTISSA
#undef GMM_EXP_LOG2E
#undef GMM_EXP_SHIFTER
#undef GMM_EXP_LN2_HI
#undef GMM_EXP_LN2_LO
#ifndef GMM_CHUNK_WIDE
#define GMM_CHUNK_WIDE 0
#endif
#if GMM_CHUNK_F32 && GMM_CHUNK_WIDE
#define GMM_V gmm_v16f
#define GMM_VI gmm_v16i
#define GMM_VL 16
#define GMM_VLOAD gmm_load16f
#define GMM_VSTORE gmm_store16f
#define GMM_VHSUM gmm_hsum16f
#define GMM_VHSUMS gmm_hsums16f
#define GMM_VQUARTER(v, q) gmm_quarter16f(v, q)
#define GMM_K(name) name##_f32_wide
#define GMM_VADD_DOUBLE gmm_add16f_to_double
#elif GMM_CHUNK_F32
#define GMM_V gmm_v8f
#define GMM_VI gmm_v8i
#define GMM_VL 8
#define GMM_VLOAD gmm_load8f
#define GMM_VSTORE gmm_store8f
#define GMM_VHSUM gmm_hsum8f
#define GMM_VHSUMS gmm_hsums8f
#define GMM_VQUARTER(v, q) ((q) ? gmm_high8f(v) : gmm_low8f(v))
#define GMM_K(name) name##_f32
#define GMM_VADD_DOUBLE gmm_add8f_to_double
#elif GMM_CHUNK_WIDE
#define GMM_V gmm_v8d
#define GMM_VI gmm_v8l
#define GMM_VL 8
#define GMM_VLOAD gmm_load8d
#define GMM_VSTORE gmm_store8d
#define GMM_VHSUM gmm_hsum8d
#define GMM_VHSUMS gmm_hsums8d
#define GMM_VQUARTER(v, q) ((q) ? gmm_high8d(v) : gmm_low8d(v))
#define GMM_K(name) name##_f64_wide
#define GMM_VADD_DOUBLE gmm_add8d_to_double
#else
#define GMM_V gmm_v4d
#define GMM_VI gmm_v4l
#define GMM_VL 4
#define GMM_VLOAD gmm_load4
#define GMM_VSTORE gmm_store4
#define GMM_VHSUM gmm_hsum4
#define GMM_VHSUMS gmm_hsums4
#define GMM_VQUARTER(v, q) ((void)(q), (v))
#define GMM_K(name) name##_f64
#define GMM_VADD_DOUBLE gmm_add4_to_double
#endif
#if GMM_CHUNK_F32
#define GMM_R float
#define GMM_DTYPE GMM_DTYPE_FLOAT32
#define GMM_SQRT __builtin_sqrtf
#define GMM_CENTRES_ROWS 1
#define GMM_RELATIVE_LOG_PROB 1
/* Below -87, exp is under 2^-125: under 1e-37 of a row's sum, which
 * holds exp(0) = 1. Degree 7 truncates at 5e-9, below float's 6e-8. */
#define GMM_EXP_MIN -87.0f
#define GMM_EXP_DEGREE 7
#define GMM_EXP_COEFFICIENTS                                                  \
    {1.0f, 1.0f, 0.5f, 1.0f / 6.0f, 1.0f / 24.0f, 1.0f / 120.0f,              \
     1.0f / 720.0f, 1.0f / 5040.0f}
#define GMM_EXP_BIAS 127
#define GMM_EXP_MANTISSA 23
#define GMM_EXP_LOG2E 1.44269504f
#define GMM_EXP_SHIFTER 0x1.8p23f
#define GMM_EXP_LN2_HI 0.693145752f
#define GMM_EXP_LN2_LO 1.42860677e-6f
#else
#define GMM_R double
#define GMM_DTYPE GMM_DTYPE_FLOAT64
#define GMM_SQRT __builtin_sqrt
#define GMM_CENTRES_ROWS 0
#define GMM_RELATIVE_LOG_PROB 0
/* Below -708, glibc's exp gives subnormals, under 1e-307 of any row's
 * sum. Degree 13 truncates at 4e-18, below double's rounding. */
#define GMM_EXP_MIN -708.0
#define GMM_EXP_DEGREE 13
#define GMM_EXP_COEFFICIENTS                                                  \
    {1.0, 1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0,          \
     1.0 / 5040.0, 1.0 / 40320.0, 1.0 / 362880.0, 1.0 / 3628800.0,            \
     1.0 / 39916800.0, 1.0 / 479001600.0, 1.0 / 6227020800.0}
#define GMM_EXP_BIAS 1023
#define GMM_EXP_MANTISSA 52
#define GMM_EXP_LOG2E 1.4426950408889634
#define GMM_EXP_SHIFTER 0x1.8p52
#define GMM_EXP_LN2_HI 6.93147180369123816490e-01
#define GMM_EXP_LN2_LO 1.90821492927058770002e-10
#endif
