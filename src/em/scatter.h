/*
 * scatter.h — kernel template (model/chunk_real.h): the M-step's
 * accumulation of a transposed chunk into sufficient statistics, in
 * float64 or float32. Included by em/stats.c once per element type; no
 * include guard.
 *
 * The chunk's partial sums are GMM_R vectors (in float32: at most
 * GMM_LANE_STRIDE / 8 = 33 terms per lane, a relative rounding of ~1e-6 at
 * worst); each leaves the kernel through GMM_VHSUM in double and is added
 * to the double statistics, so the sums across chunks, blocks, threads
 * and processes are double whatever the element type.
 */
#include "model/chunk_real.h"

/* wT = r (XT - shift) over pd features (padded ones are 0); adds sum_i r_i
 * to *nk and sum_i w_i to sk. Cost per row: D subtractions, D multiplies,
 * D additions, one stream of stores. */
GMM_INLINE void GMM_K(weigh)(const GMM_R *XT, size_t lanes, size_t d,
                             size_t pd, const GMM_R *r, const GMM_R *shift,
                             double *nk, double *sk, GMM_R *wT)
{
    GMM_V n_sum = {0};
    for (size_t i = 0; i < lanes; i += GMM_VL)
        n_sum += GMM_VLOAD(r + i);
    *nk += GMM_VHSUM(n_sum);
    for (size_t j = 0; j < pd; j++) {
        const GMM_R *x = XT + j * GMM_LANE_STRIDE;
        GMM_R *w = wT + j * GMM_LANE_STRIDE, c = j < d ? shift[j] : 0;
        GMM_V s_sum = {0};
        for (size_t i = 0; i < lanes; i += GMM_VL) {
            GMM_V wv = GMM_VLOAD(r + i) * (GMM_VLOAD(x + i) - c);
            GMM_VSTORE(w + i, wv);
            s_sum += wv;
        }
        if (j < d)
            sk[j] += GMM_VHSUM(s_sum);
    }
}

/* q += W^T Y on the upper triangle (full and tied): q[a][b] += sum_i
 * w_ia y_ib for a <= b, as dot products across rows, with y = x - shift
 * recomputed on the FP-add pipes (shift zero-padded to pd).
 * Cost per row: D(D+1)/2 multiply-adds, executed in 2 x 4 blocks along the
 * diagonal (at D = 16: 160 for 136). Form: 2 features of W by 4 of Y are 8
 * accumulators (8 independent FMA chains per register of rows), reduced
 * once per chunk. Measured (perf, N = 1M, D = K = 16, one thread, float64,
 * whole M-step): with Y stored by the weighing pass 0.33 s per iteration,
 * with Y recomputed here (one stream of stores less) 0.285 s; the former
 * sqrt(r) scaling + cblas_dsyrk per chunk and component was most of the
 * 1.3 s iteration of log_prob.c's note. */
GMM_INLINE void GMM_K(scatter_upper)(const GMM_R *wT, const GMM_R *XT,
                                     const GMM_R *shift, size_t lanes,
                                     size_t d, size_t pd, double *q)
{
    for (size_t a0 = 0; a0 < d; a0 += 2) { /* rows a >= d of W are 0 */
        for (size_t b0 = a0 / 4 * 4; b0 < pd; b0 += 4) {
            GMM_V q00 = {0}, q01 = {0}, q02 = {0}, q03 = {0};
            GMM_V q10 = {0}, q11 = {0}, q12 = {0}, q13 = {0};
            const GMM_R *w0 = wT + a0 * GMM_LANE_STRIDE, *w1 = w0 + GMM_LANE_STRIDE;
            const GMM_R *x = XT + b0 * GMM_LANE_STRIDE;
            const GMM_R *c = shift + b0;
            for (size_t i = 0; i < lanes; i += GMM_VL) {
                GMM_V wa = GMM_VLOAD(w0 + i), wb = GMM_VLOAD(w1 + i);
                GMM_V y0 = GMM_VLOAD(x + i) - c[0];
                GMM_V y1 = GMM_VLOAD(x + GMM_LANE_STRIDE + i) - c[1];
                GMM_V y2 = GMM_VLOAD(x + 2 * GMM_LANE_STRIDE + i) - c[2];
                GMM_V y3 = GMM_VLOAD(x + 3 * GMM_LANE_STRIDE + i) - c[3];
                q00 += wa * y0, q01 += wa * y1, q02 += wa * y2, q03 += wa * y3;
                q10 += wb * y0, q11 += wb * y1, q12 += wb * y2, q13 += wb * y3;
            }
            GMM_V acc[2][4] = {{q00, q01, q02, q03}, {q10, q11, q12, q13}};
            for (size_t a = 0; a < 2; a++)
                for (size_t b = 0; b < 4; b++)
                    if (a0 + a <= b0 + b && b0 + b < d)
                        q[(a0 + a) * d + b0 + b] += GMM_VHSUM(acc[a][b]);
        }
    }
}

/* Diag (q per feature) and spherical (q summed over features):
 * y = x - shift, w = r y, sk += w, q += w y. Cost per row and feature: a
 * subtraction and an addition (FP-add pipes), a multiply and an FMA (FMA
 * pipes); 4 registers of rows per step keep 4 independent chains per sum. */
GMM_INLINE void GMM_K(accumulate_diagonal)(const GMM_R *XT, size_t lanes,
                                           size_t d, const GMM_R *r,
                                           const GMM_R *shift, double *nk,
                                           double *sk, double *q,
                                           int per_feature)
{
    GMM_V n_sum = {0};
    for (size_t i = 0; i < lanes; i += GMM_VL)
        n_sum += GMM_VLOAD(r + i);
    *nk += GMM_VHSUM(n_sum);
    double trace = 0.0;
    for (size_t j = 0; j < d; j++) {
        const GMM_R *x = XT + j * GMM_LANE_STRIDE;
        GMM_R c = shift[j];
        GMM_V s[4] = {{0}}, qq[4] = {{0}};
        for (size_t i = 0; i < lanes; i += 4 * GMM_VL)
            for (int v = 0; v < 4; v++) {
                GMM_V y = GMM_VLOAD(x + i + GMM_VL * v) - c;
                GMM_V w = GMM_VLOAD(r + i + GMM_VL * v) * y;
                s[v] += w;
                qq[v] += w * y;
            }
        sk[j] += GMM_VHSUM((s[0] + s[1]) + (s[2] + s[3]));
        double qj = GMM_VHSUM((qq[0] + qq[1]) + (qq[2] + qq[3]));
        if (per_feature)
            q[j] += qj;
        else
            trace += qj;
    }
    if (!per_feature)
        q[0] += trace;
}
