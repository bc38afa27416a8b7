/*
 * log_sum_exp.h — kernel template (kernels/real.h): the E-step's
 * log-sum-exp on a chunk of log-probabilities, in place, into
 * responsibilities, in float64 or float32. Included by
 * kernels/instance.h once per element type; no include guard.
 *
 * The log-probabilities are held relative to a constant of the chunk,
 * shift (0 in float64): log p = shift + lp. The float32 E-step takes out
 * the part every component shares and the largest log-weight and
 * log-determinant (kernels/instance.h's log_prob), so that lp holds only
 * -0.5 dist plus offsets up to 0, which float carries to its rounding of
 * the distance itself. Everything else follows the element type: each
 * row's maximum, the differences lp - max, their exps, the sum and the
 * responsibilities. What is double in both: log_norm = shift + max +
 * log(sum), the log (log4) once per row. Double log-probabilities, with
 * their maxima and differences in double, made this kernel float32's
 * second largest cost (bench/RESULTS.md note 21). Float exps and sums
 * put ~K x 6e-8 (float's rounding) relative on the sum, ~1e-7 absolute
 * on a row's log-likelihood.
 */
#include "kernels/real.h"
#include "kernels/vexp.h"
#include "kernels/vlog.h"

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
 * maximum over the K components. */
GMM_INLINE GMM_V GMM_K(row_max)(const GMM_R *lp, size_t n_comp)
{
    GMM_V max = GMM_VLOAD(lp);
    for (size_t k = 1; k < n_comp; k++) {
        GMM_V x = GMM_VLOAD(lp + k * GMM_LANE_STRIDE);
        max = GMM_K(select)(x > max, x, max);
    }
    return max;
}

/* out (same layout) = exp(lp - max); returns their sum, in component
 * order. */
GMM_INLINE GMM_V GMM_K(exps)(const GMM_R *lp, size_t n_comp, GMM_V max,
                             GMM_R *out)
{
    GMM_V sum = {0};
    for (size_t k = 0; k < n_comp; k++) {
        GMM_V e = GMM_K(vexp)(GMM_VLOAD(lp + k * GMM_LANE_STRIDE) - max);
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
 * the sum are bit for bit those of exps(). */
GMM_INLINE GMM_V GMM_K(exps_of_two)(const GMM_R *lp, GMM_V max, GMM_R *out)
{
    GMM_V d0 = GMM_VLOAD(lp) - max, d1 = GMM_VLOAD(lp + GMM_LANE_STRIDE) - max;
    GMM_V zero = {0}, one = zero + 1;
    GMM_V e_other = GMM_K(vexp)(d0 + d1);
    GMM_V e0 = GMM_K(select)(d0 == zero, one, e_other);
    GMM_V e1 = GMM_K(select)(d1 == zero, one, e_other);
    GMM_VSTORE(out, e0);
    GMM_VSTORE(out + GMM_LANE_STRIDE, e1);
    return (zero + e0) + e1;
}

/* Per row: log_norm = shift + logsumexp over k of lp (max + log(sum), as
 * scipy's logsumexp), and lp = exp(lp - max) / sum in place, 0 on padded
 * rows: each value is read before it is written.
 * Cost per row: K exps (~25 flops each, vectorised; K - 1 at K = 2), one
 * log, two divisions.
 * Form: the exps and the log are long chains of dependent FMAs (Horner).
 * One step of exps, sum, division and log made one dependent chain of
 * about a hundred instructions, more than the core's out-of-order window
 * covers, so the steps hardly overlapped. So the rows
 * go in blocks of 32, first every step's exps, sum and
 * division, then every step's log: two loops of chains half as long
 * (notes 14 and 24; a third loop for the divisions gained nothing). */
GMM_INLINE void GMM_K(normalize)(GMM_R *lp, size_t n_rows, size_t n_comp,
                                 double shift, double *log_norm)
{
    enum { BLOCK = 32, STEPS = BLOCK / GMM_VL };
    _Static_assert(GMM_LANE_BLOCK % BLOCK == 0, "normalize: whole blocks");
    size_t lanes = gmm_lanes(n_rows);
    for (size_t i0 = 0; i0 < lanes; i0 += BLOCK) {
        GMM_V maxs[STEPS], sums[STEPS];
        for (size_t v = 0; v < STEPS; v++) {
            GMM_R *row = lp + i0 + GMM_VL * v;
            maxs[v] = GMM_K(row_max)(row, n_comp);
            sums[v] = n_comp == 2 ? GMM_K(exps_of_two)(row, maxs[v], row)
                                  : GMM_K(exps)(row, n_comp, maxs[v], row);
            /* Dividing by the sum normalizes exactly what was summed. */
            GMM_V inv = 1 / sums[v];
            for (size_t k = 0; k < n_comp; k++)
                GMM_VSTORE(row + k * GMM_LANE_STRIDE,
                           GMM_VLOAD(row + k * GMM_LANE_STRIDE) * inv);
        }
        for (size_t v = 0; v < STEPS; v++)
            for (int q = 0; q < GMM_QUARTERS; q++)
                gmm_store4(log_norm + i0 + GMM_VL * v + 4 * q,
                           (GMM_VQUARTER(maxs[v], q) +
                            log4(GMM_VQUARTER(sums[v], q))) + shift);
    }
    for (size_t k = 0; k < n_comp; k++)
        for (size_t i = n_rows; i < lanes; i++)
            lp[k * GMM_LANE_STRIDE + i] = 0;
}
