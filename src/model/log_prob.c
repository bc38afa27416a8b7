/*
 * log_prob.c — log-densities of a chunk of rows under the mixture, and the
 * log-sum-exp that turns them into responsibilities: the E-step's kernels,
 * also behind predict, predict_proba and score.
 *
 * We always centre before multiplying: y = (x - mu) U. scikit-learn computes
 * x U - mu U instead, which cancels catastrophically when the data sit far
 * from the origin (features near 1e9 with unit spread lose all digits).
 *
 * Everything works on the transposed chunk of model/chunk.h, vectorised
 * across rows. Costs per row and component (flops; a multiply-add is 2):
 * full/tied D centre + D(D+1) triangular product + 2D squared norm; diag 4D;
 * spherical 4D; then ~30 for the exp of the log-sum-exp.
 */
#include "model/chunk.h"
#include "model/params.h"

#include <math.h>
#include <stdint.h>

/* log(2 pi), to 17 digits. */
#define GMM_LOG_2PI 1.8378770664093455

typedef int64_t gmm_v4l __attribute__((vector_size(32)));

/* Four rows at a time: each feature's four values (D apart) made into
 * one vector and stored once. Measured (perf, Old Faithful, D = 2): the
 * element-by-element copy was 12% of an iteration, ~3 cycles per value. */
GMM_KERNEL
void gmm_chunk_transpose(const double *X, size_t n_rows, size_t d, double *XT)
{
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d), i = 0;
    for (; i + 4 <= n_rows; i += 4) {
        const double *x = X + i * d;
        for (size_t j = 0; j < d; j++) {
            gmm_v4d v = {x[j], x[d + j], x[2 * d + j], x[3 * d + j]};
            gmm_store4(XT + j * GMM_LANE_STRIDE + i, v);
        }
    }
    for (; i < n_rows; i++)
        for (size_t j = 0; j < d; j++)
            XT[j * GMM_LANE_STRIDE + i] = X[i * d + j];
    for (size_t j = 0; j < pd; j++)
        for (size_t r = j < d ? n_rows : 0; r < lanes; r++)
            XT[j * GMM_LANE_STRIDE + r] = 0.0;
}

/* Row by row: each row's D doubles are read once, contiguously, centred
 * and rounded as a vector, and scattered to the D feature rows (D write
 * streams, which L1 absorbs) and, for full and tied, copied to XR.
 * Measured (perf, N = 1M, D = K = 16, full, one thread): the
 * feature-by-feature gather of gmm_chunk_transpose, compiled for the
 * baseline ISA, was 7.5% of a float32 iteration. */
GMM_KERNEL
void gmm_chunk_transpose_f32(const double *X, size_t n_rows, size_t d,
                             const double *origin, float *XT, float *XR)
{
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d);
    size_t rs = gmm_row_stride(d, 8);
    for (size_t i = 0; i < n_rows; i++) {
        const double *x = X + i * d;
        for (size_t j = 0; j < d; j++)
            XT[j * GMM_LANE_STRIDE + i] = (float)(x[j] - origin[j]);
        if (XR)
            for (size_t j = 0; j < rs; j++)
                XR[i * rs + j] = j < d ? XT[j * GMM_LANE_STRIDE + i] : 0.0f;
    }
    for (size_t j = 0; j < pd; j++)
        for (size_t i = j < d ? n_rows : 0; i < lanes; i++)
            XT[j * GMM_LANE_STRIDE + i] = 0.0f;
}

size_t gmm_log_prob_work_size(const gmm_params *params, size_t n_rows)
{
    (void)n_rows; /* predict's chunks are at most GMM_CHUNK_ROWS rows */
    size_t k = params->n_components, d = params->n_features;
    return gmm_chunk_size(d) + k * GMM_LANE_STRIDE +
           gmm_chunk_log_prob_work_size(params);
}

size_t gmm_chunk_log_prob_work_size(const gmm_params *params)
{
    /* The padded triangle and mean of full and tied; diag and spherical
     * read theirs in place (a D x D scratch there is what a D = 100000
     * diag model cannot afford). */
    size_t pd = gmm_padded_features(params->n_features);
    int triangle = params->covariance_type == GMM_COVARIANCE_FULL ||
                   params->covariance_type == GMM_COVARIANCE_TIED;
    return triangle ? pd * pd + pd : 0;
}

void gmm_params_log_weights(const gmm_params *params, double *log_weights)
{
    for (size_t k = 0; k < params->n_components; k++)
        log_weights[k] = log(params->weights[k]);
}

/* The distance kernels, in float64 and float32 (model/chunk_real.h). */
#define GMM_CHUNK_F32 0
#include "model/distances.h"
#undef GMM_CHUNK_F32
#define GMM_CHUNK_F32 1
#include "model/distances.h"
#undef GMM_CHUNK_F32

GMM_KERNEL
void gmm_chunk_log_prob(const gmm_params *params, const double *log_weights,
                        const double *XT, size_t n_rows, double *log_prob,
                        double *work)
{
    size_t n_comp = params->n_components, d = params->n_features;
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d);
    double *u = work, *mean_padded = work + pd * pd;
    double constant = (double)d * GMM_LOG_2PI;
    for (size_t k = 0; k < n_comp; k++) {
        const double *mean = params->means + k * d;
        double *dist = log_prob + k * GMM_LANE_STRIDE;
        switch (params->covariance_type) {
        case GMM_COVARIANCE_FULL:
        case GMM_COVARIANCE_TIED: {
            const double *chol = params->precisions_chol +
                (params->covariance_type == GMM_COVARIANCE_FULL ? k * d * d : 0);
            /* The upper triangle, zero-padded: pd^2 copies per chunk, under
             * 1% of the product at D = 16. */
            for (size_t j = 0; j < pd; j++)
                for (size_t c = 0; c < pd; c++)
                    u[j * pd + c] = j <= c && c < d ? chol[j * d + c] : 0.0;
            for (size_t j = 0; j < pd; j++)
                mean_padded[j] = j < d ? mean[j] : 0.0;
            triangular_distances_f64(XT, lanes, d, pd, mean_padded, u, dist);
            break;
        }
        case GMM_COVARIANCE_DIAG:
            diagonal_distances_f64(XT, lanes, d, mean, params->precisions_chol + k * d,
                               1, dist);
            break;
        case GMM_COVARIANCE_SPHERICAL:
            diagonal_distances_f64(XT, lanes, d, mean, params->precisions_chol + k, 0,
                               dist);
            break;
        }
        double offset = params->log_det_chol[k] + log_weights[k];
        for (size_t i = 0; i < lanes; i++)
            dist[i] = -0.5 * (constant + dist[i]) + offset;
    }
}

/* The float32 E-step (gmm_options.dtype): the distances in float on the
 * float chunk, from the factors and means that gmm_params_f32_set rounded
 * once per pass. Only what differs between components and rows is float:
 * log_prob = -0.5 dist + (offset_k - the largest offset), where offset_k =
 * log_det_chol_k + log_weight_k; the rest, the same for the whole chunk,
 * is returned in double (log_sum_exp.h). */
GMM_KERNEL
double gmm_chunk_log_prob_f32(const gmm_params_f32 *params,
                              const double *log_weights, const float *XT,
                              size_t n_rows, float *log_prob)
{
    size_t n_comp = params->n_components, d = params->n_features;
    size_t lanes = gmm_lanes(n_rows), pd = gmm_padded_features(d);
    double top = -INFINITY;
    for (size_t k = 0; k < n_comp; k++)
        if (params->log_det_chol[k] + log_weights[k] > top)
            top = params->log_det_chol[k] + log_weights[k];
    for (size_t k = 0; k < n_comp; k++) {
        const float *mean = params->means + k * pd;
        float *dist = log_prob + k * GMM_LANE_STRIDE;
        switch (params->covariance_type) {
        case GMM_COVARIANCE_FULL:
        case GMM_COVARIANCE_TIED:
            triangular_distances_f32(XT, lanes, d, pd, mean,
                                     params->precisions_chol +
                                     (params->covariance_type == GMM_COVARIANCE_FULL
                                      ? k * pd * pd : 0), dist);
            break;
        case GMM_COVARIANCE_DIAG:
            diagonal_distances_f32(XT, lanes, d, mean,
                                   params->precisions_chol + k * pd, 1, dist);
            break;
        case GMM_COVARIANCE_SPHERICAL:
            diagonal_distances_f32(XT, lanes, d, mean,
                                   params->precisions_chol + k, 0, dist);
            break;
        }
        float offset = (float)(params->log_det_chol[k] + log_weights[k] - top);
        for (size_t i = 0; i < lanes; i++)
            dist[i] = -0.5f * dist[i] + offset;
    }
    return top - 0.5 * (double)d * GMM_LOG_2PI;
}

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

/* What the log-sum-exp template (model/log_sum_exp.h) needs of each
 * element type: the exp, and a vector's lanes in double for the log. */
GMM_INLINE gmm_v4d exp_f64(gmm_v4d x) { return exp4(x); }
GMM_INLINE gmm_v8f exp_f32(gmm_v8f x) { return exp8f(x); }
GMM_INLINE gmm_v4d quarter_f64(gmm_v4d v, int q) { (void)q; return v; }
GMM_INLINE gmm_v4d quarter_f32(gmm_v8f v, int q)
{
    return q ? gmm_high8f(v) : gmm_low8f(v);
}

#define GMM_CHUNK_F32 0
#include "model/log_sum_exp.h"
#undef GMM_CHUNK_F32
#define GMM_CHUNK_F32 1
#include "model/log_sum_exp.h"
#undef GMM_CHUNK_F32

/* float64: responsibilities in place (params.h). */
GMM_KERNEL
void gmm_chunk_normalize(double *log_prob, size_t n_rows, size_t n_comp,
                         double *log_norm)
{
    normalize_f64(log_prob, n_rows, n_comp, 0.0, log_norm);
}

/* float32: the same in float, around the chunk's shift (log_sum_exp.h
 * says what is float and why). A step is 8 rows, a block of 32 rows 4
 * steps; each step's log is two log4. Measured (one 256-row chunk, CPU
 * time, min of 9, interleaved with the former one-step-at-a-time
 * kernel): K = 2 5.3 -> 3.7 ns per row, K = 3 6.4 -> 4.9, K = 16 17.8 ->
 * 15.3; bit-identical results. */
GMM_KERNEL
void gmm_chunk_normalize_f32(float *log_prob, size_t n_rows, size_t n_comp,
                             double shift, double *log_norm)
{
    normalize_f32(log_prob, n_rows, n_comp, shift, log_norm);
}

/* log w_k + log N(x | mean_k, cov_k) for a row whose squared distance
 * overflowed in the kernels (deviations of about 1e154 or more, squared
 * past DBL_MAX), where the density itself may still be a double: the row
 * and the mean are scaled by 2^-e (exact), |x|, |mean| < 2^e, before they
 * are centred and multiplied, and the distance, sum * 2^2e, is halved in
 * that form, so that only a log-density below -DBL_MAX gives -inf. */
static double far_row_log_prob(const gmm_params *params,
                               const double *log_weights, const double *x,
                               size_t k)
{
    size_t d = params->n_features;
    const double *mean = params->means + k * d;
    double largest = 0.0;
    for (size_t j = 0; j < d; j++)
        largest = fmax(largest, fmax(fabs(x[j]), fabs(mean[j])));
    int e;
    frexp(largest, &e);
    double sum = 0.0;
    gmm_covariance_type type = params->covariance_type;
    if (type == GMM_COVARIANCE_FULL || type == GMM_COVARIANCE_TIED) {
        const double *u = params->precisions_chol +
                          (type == GMM_COVARIANCE_FULL ? k * d * d : 0);
        for (size_t c = 0; c < d; c++) {
            double y = 0.0;
            for (size_t j = 0; j <= c; j++)
                y += (ldexp(x[j], -e) - ldexp(mean[j], -e)) * u[j * d + c];
            sum += y * y;
        }
    } else {
        int per_feature = type == GMM_COVARIANCE_DIAG;
        for (size_t j = 0; j < d; j++) {
            double y = (ldexp(x[j], -e) - ldexp(mean[j], -e)) *
                       params->precisions_chol[per_feature ? k * d + j : k];
            sum += y * y;
        }
    }
    double half_distance = ldexp(sum, 2 * e - 1);
    return -half_distance - 0.5 * (double)d * GMM_LOG_2PI +
           params->log_det_chol[k] + log_weights[k];
}

/* Row-major wrappers for predict (chunks of at most GMM_CHUNK_ROWS rows):
 * the transposed kernels, then one transpose of the K x n result; a value
 * the kernels could not hold is computed again by far_row_log_prob. */
void gmm_weighted_log_prob(const gmm_params *params, const double *log_weights,
                           const double *X, size_t n_rows, double *log_prob,
                           double *work)
{
    size_t n_comp = params->n_components, d = params->n_features;
    double *XT = work, *chunk = work + gmm_chunk_size(d);
    gmm_chunk_transpose(X, n_rows, d, XT);
    gmm_chunk_log_prob(params, log_weights, XT, n_rows, chunk,
                       chunk + n_comp * GMM_LANE_STRIDE);
    for (size_t i = 0; i < n_rows; i++)
        for (size_t k = 0; k < n_comp; k++) {
            double value = chunk[k * GMM_LANE_STRIDE + i];
            log_prob[i * n_comp + k] =
                isfinite(value) ? value
                                : far_row_log_prob(params, log_weights, X + i * d, k);
        }
}

void gmm_normalize_log_prob(double *log_prob, size_t n_rows, size_t n_components,
                            double *log_norm)
{
    for (size_t i = 0; i < n_rows; i++) {
        double *row = log_prob + i * n_components;
        double max = row[0];
        for (size_t k = 1; k < n_components; k++)
            if (row[k] > max)
                max = row[k];
        /* Below the range under every component: p(x) is 0 in doubles,
         * its log -inf (scikit-learn's score_samples), and there are no
         * responsibilities to give (NaN, which the caller refuses). */
        if (max == -INFINITY) {
            for (size_t k = 0; k < n_components; k++)
                row[k] = NAN;
            log_norm[i] = -INFINITY;
            continue;
        }
        double sum = 0.0;
        for (size_t k = 0; k < n_components; k++) {
            row[k] = exp(row[k] - max);
            sum += row[k];
        }
        double inv = 1.0 / sum;
        for (size_t k = 0; k < n_components; k++)
            row[k] *= inv;
        log_norm[i] = max + log(sum);
    }
}
