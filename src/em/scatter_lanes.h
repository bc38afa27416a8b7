/*
 * scatter_lanes.h — kernel template (model/chunk_real.h): full and tied
 * statistics for D <= GMM_LANES_MAX_FEATURES, from the transposed chunk,
 * GMM_VL rows to a register, as the diagonal statistics and the E-step
 * already work. Included by em/stats.c once per element type; no include
 * guard.
 *
 * em/scatter.h's row-major tiles are shaped for large D, where a row is
 * many vectors. At D = 2 a row is padded to one vector, so each row and
 * component costs a vector subtraction, multiply and store and five FMAs
 * (three of them on padding), plus the padded copy of the chunk:
 * gmm_stats_accumulate was a third of an Old Faithful (D = 2, K = 2)
 * iteration (perf). Across rows, GMM_VL rows and a component cost D
 * subtractions, D multiplies, D(D+1)/2 FMAs and D + 1 additions (10
 * vector operations at D = 2 where the tiles take ~50), with no padding
 * and no copy. In float32 the tiles' rows are 8 wide, so a D = 2 row was
 * three quarters padding: with them, float32 Old Faithful iterations took
 * twice float64's time.
 *
 * Sums: each accumulator is one lane-wise chain over the chunk's rows
 * (GMM_R), summed across lanes once per chunk, in double; rows are shifted
 * by the component's shift first, as everywhere (em/stats.h).
 */
#include "model/chunk_real.h"

/* Up to this many features the lane form is the faster one; beyond it,
 * em/scatter.h's row-major tiles. */
#undef GMM_LANES_MAX_FEATURES
#define GMM_LANES_MAX_FEATURES 4

/* One component: nk += sum r, sk += sum r y, q (d x d, upper triangle)
 * += sum r y y^T, y = x - shift. Called with a constant d, so that the
 * loops unroll and the D(D+1)/2 + D + 1 accumulators live in registers. */
GMM_INLINE void GMM_K(lanes_component)(const GMM_R *XT, size_t lanes,
                                       size_t d, const GMM_R *r,
                                       const GMM_R *shift, double *nk,
                                       double *sk, double *q)
{
    enum { MAX_D = GMM_LANES_MAX_FEATURES };
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

/* All components at one constant d (tied: every component into the one
 * matrix); component k's shift at shifts + k * shift_stride. */
GMM_INLINE void GMM_K(lanes_all)(gmm_stats *stats, const GMM_R *XT,
                                 size_t lanes, size_t d, const GMM_R *resp,
                                 const GMM_R *shifts, size_t shift_stride)
{
    int tied = stats->covariance_type == GMM_COVARIANCE_TIED;
    for (size_t k = 0; k < stats->n_components; k++)
        GMM_K(lanes_component)(XT, lanes, d, resp + k * GMM_LANE_STRIDE,
                               shifts + k * shift_stride, &stats->nk[k],
                               stats->sk + k * d,
                               stats->qk + (tied ? 0 : k * d * d));
}

/* Full or tied statistics of a chunk with n_features <=
 * GMM_LANES_MAX_FEATURES, reading only XT; needs no work. */
GMM_INLINE void GMM_K(accumulate_lanes)(gmm_stats *stats, const GMM_R *XT,
                                        size_t n_rows, const GMM_R *resp,
                                        const GMM_R *shifts,
                                        size_t shift_stride)
{
    size_t lanes = gmm_lanes(n_rows); /* padded rows carry r = 0 */
    switch (stats->n_features) {
    case 1: GMM_K(lanes_all)(stats, XT, lanes, 1, resp, shifts, shift_stride); break;
    case 2: GMM_K(lanes_all)(stats, XT, lanes, 2, resp, shifts, shift_stride); break;
    case 3: GMM_K(lanes_all)(stats, XT, lanes, 3, resp, shifts, shift_stride); break;
    case 4: GMM_K(lanes_all)(stats, XT, lanes, 4, resp, shifts, shift_stride); break;
    }
}
