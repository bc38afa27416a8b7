/*
 * log_sum_exp.h — kernel template (model/chunk_real.h): the E-step's
 * log-sum-exp on a chunk of log-probabilities, responsibilities in
 * float64 (in place) or float32 (into a float array). Included by
 * model/log_prob.c once per element type; no include guard.
 *
 * What is double in both: the log-probabilities, each row's maximum and
 * log_norm = max + log(sum). What follows the element type: the
 * differences lp - max (computed in double, then rounded), their exps,
 * sum and the responsibilities. The float path's exps are float on
 * purpose: the double log-sum-exp was 24% of a float32 diag iteration
 * (perf, N = 1M, D = K = 16, one thread); float exps and sum put ~K x
 * 6e-8 relative on the sum, ~1e-7 absolute on a row's log-likelihood.
 * The log stays double (log4) in both: it runs once per row, not K times.
 *
 * log_prob.c defines, for each suffix (GMM_K), before including this:
 *   GMM_V  exp_f64/exp_f32(GMM_V x)    exp of x <= 0 (0 below the range)
 *   GMM_V  diff_f64/diff_f32(const double *lp, const gmm_v4d *max)
 *          the GMM_VL values at lp minus max, rounded to GMM_R
 *   gmm_v4d quarter_f64/quarter_f32(GMM_V v, int q)
 *          lanes 4q .. 4q + 3 of v, in double
 * and select4 (bitwise x where mask else y, doubles).
 */
#include "model/chunk_real.h"

/* A vector of GMM_VL rows is GMM_VL / 4 vectors of doubles. */
#undef GMM_QUARTERS
#define GMM_QUARTERS (GMM_VL / 4)

/* x where mask is set, else y (bitwise), in the element type. */
GMM_INLINE GMM_V GMM_K(select)(__typeof__((GMM_V){0} == 0) mask, GMM_V x,
                               GMM_V y)
{
    typedef __typeof__(mask) bits;
    return (GMM_V)(((bits)x & mask) | ((bits)y & ~mask));
}

/* The GMM_VL rows at lp (component k at lp + k * GMM_LANE_STRIDE), their
 * maximum over the K components, in double. */
GMM_INLINE void GMM_K(row_max)(const double *lp, size_t n_comp,
                               gmm_v4d max[GMM_QUARTERS])
{
    for (int q = 0; q < GMM_QUARTERS; q++)
        max[q] = gmm_load4(lp + 4 * q);
    for (size_t k = 1; k < n_comp; k++)
        for (int q = 0; q < GMM_QUARTERS; q++) {
            gmm_v4d x = gmm_load4(lp + k * GMM_LANE_STRIDE + 4 * q);
            max[q] = select4(x > max[q], x, max[q]);
        }
}

/* out (same layout) = exp(lp - max); returns their sum, in component
 * order. */
GMM_INLINE GMM_V GMM_K(exps)(const double *lp, size_t n_comp,
                             const gmm_v4d *max, GMM_R *out)
{
    GMM_V sum = {0};
    for (size_t k = 0; k < n_comp; k++) {
        GMM_V e = GMM_K(exp)(GMM_K(diff)(lp + k * GMM_LANE_STRIDE, max));
        GMM_VSTORE(out + k * GMM_LANE_STRIDE, e);
        sum += e;
    }
    return sum;
}

/* The same for K = 2 with one exp per row instead of two. Of the two
 * differences d0, d1, the larger value's is max - max = +0 (NaN where max
 * is infinite or NaN), so d0 + d1 is the other one's difference, exactly
 * (or NaN, or -inf, whose exp is 0, as the other's is then too), and the
 * larger value's term, exp(0), is exactly 1 in both exps. Every value and
 * the sum are bit for bit those of exps(). The masks are taken on the
 * rounded differences, so no double mask is narrowed to float lanes (a
 * difference that rounds to -0 has exp 1 too). */
GMM_INLINE GMM_V GMM_K(exps_of_two)(const double *lp, const gmm_v4d *max,
                                    GMM_R *out)
{
    GMM_V d0 = GMM_K(diff)(lp, max), d1 = GMM_K(diff)(lp + GMM_LANE_STRIDE, max);
    GMM_V zero = {0}, one = zero + 1;
    GMM_V e_other = GMM_K(exp)(d0 + d1);
    GMM_V e0 = GMM_K(select)(d0 == zero, one, e_other);
    GMM_V e1 = GMM_K(select)(d1 == zero, one, e_other);
    GMM_VSTORE(out, e0);
    GMM_VSTORE(out + GMM_LANE_STRIDE, e1);
    return (zero + e0) + e1;
}

/* Per row: log_norm = logsumexp over k (max + log(sum), as scipy's
 * logsumexp), and resp = exp(lp - max) / sum, 0 on padded rows. resp may
 * be log_prob itself (float64, in place): each value is read before it is
 * written.
 * Cost per row: K exps (~25 flops each, vectorised; K - 1 at K = 2), one
 * log, two divisions.
 * Form: the exps and the log are long chains of dependent FMAs (Horner),
 * ~80 cycles each in double. One step of exps, sum, division and log made
 * a ~180-cycle chain of ~100 instructions, more than the core's
 * out-of-order window covers, so the steps hardly overlapped. So the rows
 * go in blocks of GMM_LANE_BLOCK, first every step's exps, sum and
 * division, then every step's log: two loops of chains half as long.
 * Measured, float64 (one 256-row chunk, K = 2, CPU time, min of 7): 2.6
 * us one step at a time, 2.0 us in two loops, 1.5 us with exps_of_two. A
 * third loop for the divisions gained nothing. float32: see log_prob.c. */
GMM_INLINE void GMM_K(normalize)(const double *log_prob, size_t n_rows,
                                 size_t n_comp, GMM_R *resp, double *log_norm)
{
    enum { STEPS = GMM_LANE_BLOCK / GMM_VL };
    size_t lanes = gmm_lanes(n_rows);
    for (size_t i0 = 0; i0 < lanes; i0 += GMM_LANE_BLOCK) {
        gmm_v4d maxs[STEPS][GMM_QUARTERS];
        GMM_V sums[STEPS];
        for (size_t v = 0; v < STEPS; v++) {
            const double *lp = log_prob + i0 + GMM_VL * v;
            GMM_R *out = resp + i0 + GMM_VL * v;
            GMM_K(row_max)(lp, n_comp, maxs[v]);
            sums[v] = n_comp == 2 ? GMM_K(exps_of_two)(lp, maxs[v], out)
                                  : GMM_K(exps)(lp, n_comp, maxs[v], out);
            /* Dividing by the sum normalizes exactly what was summed. */
            GMM_V inv = 1 / sums[v];
            for (size_t k = 0; k < n_comp; k++)
                GMM_VSTORE(out + k * GMM_LANE_STRIDE,
                           GMM_VLOAD(out + k * GMM_LANE_STRIDE) * inv);
        }
        for (size_t v = 0; v < STEPS; v++)
            for (int q = 0; q < GMM_QUARTERS; q++)
                gmm_store4(log_norm + i0 + GMM_VL * v + 4 * q,
                           maxs[v][q] + log4(GMM_K(quarter)(sums[v], q)));
    }
    for (size_t k = 0; k < n_comp; k++)
        for (size_t i = n_rows; i < lanes; i++)
            resp[k * GMM_LANE_STRIDE + i] = 0;
}
