/*
 * stats_lanes.c — full and tied statistics for D <= 4 (stats_lanes.h),
 * from the transposed chunk, four rows to a register, as the diagonal
 * statistics and the E-step already work.
 *
 * em/scatter.h's row-major tiles are shaped for large D, where a row is
 * many vectors. At D = 2 a row is padded to one vector of 4, so each row
 * and component costs a vector subtraction, multiply and store and five
 * FMAs (three of them on padding), plus the padded copy of the chunk:
 * gmm_stats_accumulate was a third of an Old Faithful (D = 2, K = 2)
 * iteration (perf). Across rows, 4 rows and a component cost D
 * subtractions, D multiplies, D(D+1)/2 FMAs and D + 1 additions (10
 * vector operations at D = 2 where the tiles take ~50), with no padding
 * and no copy.
 *
 * Sums: each accumulator is one lane-wise chain over the chunk's rows,
 * summed across lanes once per chunk, in double; rows are shifted by the
 * component's shift first, as everywhere (em/stats.h).
 */
#include "em/stats_lanes.h"

#include "model/chunk.h"

#define MAX_D GMM_STATS_LANES_MAX_FEATURES

/* One component: nk += sum r, sk += sum r y, q (d x d, upper triangle)
 * += sum r y y^T, y = x - shift. Called with a constant d, so that the
 * loops unroll and the D(D+1)/2 + D + 1 accumulators live in registers. */
GMM_INLINE void accumulate_component(const double *XT, size_t lanes,
                                     size_t d, const double *r,
                                     const double *shift, double *nk,
                                     double *sk, double *q)
{
    gmm_v4d n = {0}, s[MAX_D] = {{0}}, qq[MAX_D][MAX_D] = {{{0}}};
    for (size_t i = 0; i < lanes; i += 4) {
        gmm_v4d rv = gmm_load4(r + i), y[MAX_D], w[MAX_D];
        n += rv;
        for (size_t a = 0; a < d; a++) {
            y[a] = gmm_load4(XT + a * GMM_LANE_STRIDE + i) - shift[a];
            w[a] = rv * y[a];
            s[a] += w[a];
        }
        for (size_t a = 0; a < d; a++)
            for (size_t b = a; b < d; b++)
                qq[a][b] += w[a] * y[b];
    }
    *nk += gmm_hsum4(n);
    for (size_t a = 0; a < d; a++) {
        sk[a] += gmm_hsum4(s[a]);
        for (size_t b = a; b < d; b++)
            q[a * d + b] += gmm_hsum4(qq[a][b]);
    }
}

/* All components at one constant d (tied: every component into the one
 * matrix). */
GMM_INLINE void accumulate_all(gmm_stats *stats, const double *XT,
                               size_t lanes, size_t d, const double *resp,
                               const double *shifts)
{
    int tied = stats->covariance_type == GMM_COVARIANCE_TIED;
    for (size_t k = 0; k < stats->n_components; k++)
        accumulate_component(XT, lanes, d, resp + k * GMM_LANE_STRIDE,
                             shifts + k * d, &stats->nk[k], stats->sk + k * d,
                             stats->qk + (tied ? 0 : k * d * d));
}

GMM_KERNEL
void gmm_stats_accumulate_lanes(gmm_stats *stats, const double *XT,
                                size_t n_rows, const double *resp,
                                const double *shifts)
{
    size_t lanes = gmm_lanes(n_rows); /* padded rows carry r = 0 */
    switch (stats->n_features) {
    case 1: accumulate_all(stats, XT, lanes, 1, resp, shifts); break;
    case 2: accumulate_all(stats, XT, lanes, 2, resp, shifts); break;
    case 3: accumulate_all(stats, XT, lanes, 3, resp, shifts); break;
    case 4: accumulate_all(stats, XT, lanes, 4, resp, shifts); break;
    }
}
