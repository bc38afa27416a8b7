/*
 * scatter_lanes.h — kernel template (kernels/real.h): full and tied
 * statistics for D <= GMM_LANES_MAX_FEATURES (8), from the transposed chunk,
 * GMM_VL rows to a register, as the diagonal statistics and the E-step
 * already work. Included by kernels/instance.h once per element type; no
 * include guard.
 *
 * kernels/scatter.h's row-major tiles are shaped for large D, where a row is
 * many vectors. At D = 2 a row is padded to one vector, so each row and
 * component costs a vector subtraction, multiply and store and five FMAs
 * (three of them on padding), plus the padded copy of the chunk. Across
 * rows, GMM_VL rows and a component cost D subtractions, D multiplies,
 * D(D+1)/2 FMAs and D + 1 additions (10 vector operations at D = 2 where
 * the tiles take ~50), with no padding and no copy (bench/RESULTS.md
 * note 15). In float32 the tiles' rows are 8 wide, so a D = 2 row is
 * three quarters padding (note 22).
 *
 * The lane form wins up to D = GMM_LANES_MAX_FEATURES, in passes above
 * D = 4 (below): note 23.
 *
 * Sums: each accumulator is one lane-wise chain over the chunk's rows
 * (GMM_R), summed across lanes once per chunk, in double; rows are shifted
 * by the component's shift first, as everywhere (model/stats.h).
 */
#include "kernels/real.h"

/* One component, d <= 4: nk += sum r, sk += sum r y, q (d x d, upper
 * triangle) += sum r y y^T, y = x - shift. Called with a constant d, so
 * that the loops unroll and the D(D+1)/2 + D + 1 accumulators live in
 * registers. */
GMM_INLINE void GMM_K(lanes_component)(const GMM_R *XT, size_t lanes,
                                       size_t d, const GMM_R *r,
                                       const GMM_R *shift, double *nk,
                                       double *sk, double *q)
{
    enum { MAX_D = 4 };
    GMM_V n = {0}, s[MAX_D] = {{0}}, qq[MAX_D][MAX_D] = {{{0}}};
    for (size_t i = 0; i < lanes; i += GMM_VL) {
        GMM_V rv = GMM_VLOAD(r + i), y[MAX_D], w[MAX_D];
        n += rv;
        for (size_t a = 0; a < d; a++) {
            y[a] = GMM_VLOAD(XT + a * GMM_LANE_STRIDE + i) - shift[a];
            w[a] = rv * y[a];
            s[a] += w[a];
        }
        for (size_t a = 0; a < d; a++)
            for (size_t b = a; b < d; b++)
                qq[a][b] += w[a] * y[b];
    }
    *nk += GMM_VHSUM(n);
    for (size_t a = 0; a < d; a++) {
        sk[a] += GMM_VHSUM(s[a]);
        for (size_t b = a; b < d; b++)
            q[a * d + b] += GMM_VHSUM(qq[a][b]);
    }
}

/* For 4 < d <= 8 the D(D+1)/2 + D + 1 accumulators (45 at D = 8) do not
 * fit in registers, so the sums are taken in passes over the chunk that
 * each fit: the first moments, then blocks of q. A pass recomputes the y
 * it needs from XT (in L1). */

/* nk += sum r, sk += sum r y over the d features. */
GMM_INLINE void GMM_K(lanes_moments)(const GMM_R *XT, size_t lanes, size_t d,
                                     const GMM_R *r, const GMM_R *shift,
                                     double *nk, double *sk)
{
    GMM_V n = {0}, s[8] = {{0}};
    for (size_t i = 0; i < lanes; i += GMM_VL) {
        GMM_V rv = GMM_VLOAD(r + i);
        n += rv;
        for (size_t a = 0; a < d; a++)
            s[a] += rv * (GMM_VLOAD(XT + a * GMM_LANE_STRIDE + i) - shift[a]);
    }
    *nk += GMM_VHSUM(n);
    for (size_t a = 0; a < d; a++)
        sk[a] += GMM_VHSUM(s[a]);
}

/* q[a][b] += sum r y_a y_b for a in [a0, a1), b in [b0, b1), b >= a: at
 * most 4 x 4 accumulators, with the 4 y_b and the weighted y_a. */
GMM_INLINE void GMM_K(lanes_block)(const GMM_R *XT, size_t lanes, size_t d,
                                   const GMM_R *r, const GMM_R *shift,
                                   double *q, size_t a0, size_t a1,
                                   size_t b0, size_t b1)
{
    GMM_V acc[4][4] = {{{0}}};
    for (size_t i = 0; i < lanes; i += GMM_VL) {
        GMM_V rv = GMM_VLOAD(r + i), yb[4];
        for (size_t b = b0; b < b1; b++)
            yb[b - b0] = GMM_VLOAD(XT + b * GMM_LANE_STRIDE + i) - shift[b];
        for (size_t a = a0; a < a1; a++) {
            GMM_V ya = a >= b0 ? yb[a - b0]
                               : GMM_VLOAD(XT + a * GMM_LANE_STRIDE + i) - shift[a];
            GMM_V w = rv * ya;
            for (size_t b = a > b0 ? a : b0; b < b1; b++)
                acc[a - a0][b - b0] += w * yb[b - b0];
        }
    }
    for (size_t a = a0; a < a1; a++)
        for (size_t b = a > b0 ? a : b0; b < b1; b++)
            q[a * d + b] += GMM_VHSUM(acc[a - a0][b - b0]);
}

/* One component, 4 < d <= 8, in five passes of at most 10 accumulators. */
GMM_INLINE void GMM_K(lanes_component_passes)(const GMM_R *XT, size_t lanes,
                                              size_t d, const GMM_R *r,
                                              const GMM_R *shift, double *nk,
                                              double *sk, double *q)
{
    GMM_K(lanes_moments)(XT, lanes, d, r, shift, nk, sk);
    GMM_K(lanes_block)(XT, lanes, d, r, shift, q, 0, 4, 0, 4);
    GMM_K(lanes_block)(XT, lanes, d, r, shift, q, 4, d, 4, d);
    GMM_K(lanes_block)(XT, lanes, d, r, shift, q, 0, 2, 4, d);
    GMM_K(lanes_block)(XT, lanes, d, r, shift, q, 2, 4, 4, d);
}

/* All components at one constant d (tied: every component into the one
 * matrix); component k's shift at shifts + k * shift_stride. */
GMM_INLINE void GMM_K(lanes_all)(const gmm_sums *sums, const GMM_R *XT,
                                 size_t lanes, size_t d, const GMM_R *resp,
                                 const GMM_R *shifts, size_t shift_stride)
{
    for (size_t k = 0; k < sums->n_components; k++)
        (d <= 4 ? GMM_K(lanes_component) : GMM_K(lanes_component_passes))(
            XT, lanes, d, resp + k * GMM_LANE_STRIDE, shifts + k * shift_stride,
            &sums->nk[k], sums->sk + k * d,
            sums->qk + gmm_layout_block_of(sums->layout, k) * d * d);
}

/* Full or tied statistics of a chunk with n_features <=
 * GMM_LANES_MAX_FEATURES, reading only XT; needs no work. */
GMM_INLINE void GMM_K(accumulate_lanes)(const gmm_sums *sums, const GMM_R *XT,
                                        size_t n_rows, const GMM_R *resp,
                                        const GMM_R *shifts,
                                        size_t shift_stride)
{
    size_t lanes = gmm_lanes(n_rows); /* padded rows carry r = 0 */
    switch (sums->n_features) {
    case 1: GMM_K(lanes_all)(sums, XT, lanes, 1, resp, shifts, shift_stride); break;
    case 2: GMM_K(lanes_all)(sums, XT, lanes, 2, resp, shifts, shift_stride); break;
    case 3: GMM_K(lanes_all)(sums, XT, lanes, 3, resp, shifts, shift_stride); break;
    case 4: GMM_K(lanes_all)(sums, XT, lanes, 4, resp, shifts, shift_stride); break;
    case 5: GMM_K(lanes_all)(sums, XT, lanes, 5, resp, shifts, shift_stride); break;
    case 6: GMM_K(lanes_all)(sums, XT, lanes, 6, resp, shifts, shift_stride); break;
    case 7: GMM_K(lanes_all)(sums, XT, lanes, 7, resp, shifts, shift_stride); break;
    case 8: GMM_K(lanes_all)(sums, XT, lanes, 8, resp, shifts, shift_stride); break;
    }
}
