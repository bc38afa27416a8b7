/*
 * scatter.h — kernel template (kernels/real.h): the M-step's
 * accumulation of a chunk into sufficient statistics, in float64 or
 * float32. Included by kernels/instance.h once per element type; no
 * include guard.
 *
 * Full and tied read the chunk row-major, rows zero-padded to a stride
 * rs = d rounded up to GMM_VL (gmm_row_stride): the D x D scatter is then
 * a gemm-shaped sum of outer products whose accumulators are vector-wide
 * pieces of q itself, with no horizontal sums. Diag and spherical read
 * the transposed chunk of kernels/chunk.h, vectorised across rows, as the
 * E-step does.
 *
 * Partial sums are GMM_R vectors over a batch of kept rows (full,
 * tied) or GMM_R sums over a chunk's rows (diag, spherical); they
 * leave the kernels in double and are added to the double statistics, so
 * the sums across sub-blocks, chunks, blocks, threads and processes are
 * double whatever the element type.
 *
 * The row-major form replaced a dot-product form (rows in lanes, one
 * horizontal sum per entry and chunk, a separate weighing pass) that was
 * bound by its loads from L2 (bench/RESULTS.md note 7).
 */
#include "kernels/real.h"

/* Rows of a sub-block: at most 8 KiB of Z (in L1), a multiple of 4, and
 * in float at most GMM_SUB_ROWS_MAX, the length of a float partial sum.
 * Double sub-blocks may span the chunk: a cap costs its per-sub-block
 * work on tiny data (note 24). Float sums of 128 rows rather than 64
 * convert fewer tile sums to double, for a slightly larger rounding
 * (note 19). */
#define GMM_SUB_ROWS_MAX 128
GMM_INLINE size_t GMM_K(sub_rows)(size_t rs)
{
    size_t cap = sizeof(GMM_R) < sizeof(double) ? GMM_SUB_ROWS_MAX : GMM_CHUNK_ROWS;
    size_t n = 8192 / (rs * sizeof(GMM_R)) / 4 * 4;
    return n < 4 ? 4 : n > cap ? cap : n;
}

/* The tiles of the product Z^T Z over the n kept rows of a batch
 * (kept_rows, below; row i of Z is row kept[i] of XR, or row i when kept
 * is NULL), where
 * Z = sqrt(r) (XR - shift) (stride rs, shift zero-padded to rs) and
 * root = sqrt(r). Weighing by sqrt(r) makes the product symmetric: one
 * operand stream, no centring or weighing in the inner products. The
 * first row of tiles (a0 = 0) spans every column: it makes Z as it goes
 * (from XR, stored for the later rows of tiles, its own broadcasts read
 * back from the stored row) and adds the root row that gives the first
 * moment sum_i r_i (x_i - shift) = sum_i root_i z_i. A separate pass
 * making Z was bound by its stores; inside the tiles the stores and the
 * few multiplies overlap the FMAs (note 8). */

/* qp[a][b] += sum_i z_ia z_ib for a in [a0, a0 + 4) and b in [b0, b0 +
 * nv GMM_VL); qp is rs x rs doubles. With first (a0 = 0): Z's columns
 * [b0, b0 + nv GMM_VL) are made here, and sp[b] += sum_i root_i z_ib.
 * 4 x nv accumulators (12 at nv = 3: with nv loaded vectors and one
 * broadcast, all 16 AVX registers; nv <= 2 for the first row, which has
 * the root row too), each a chain of one FMA per row; the partial sums
 * (over a batch of rows) leave in double. */
GMM_INLINE void GMM_K(tile_row)(const GMM_R *XR, const unsigned *kept,
                                const GMM_R *c, const GMM_R *root, GMM_R *Z,
                                size_t rs, size_t i, size_t a0, size_t b0,
                                int nv, int first, GMM_V acc[5][3])
{
    GMM_R *z = Z + i * rs;
    const GMM_R *x = first ? XR + (kept ? kept[i] : i) * rs : NULL;
    GMM_V zb[3];
    for (int v = 0; v < nv; v++) {
        size_t b = b0 + (size_t)v * GMM_VL;
        if (first) {
            zb[v] = root[i] * (GMM_VLOAD(x + b) - GMM_VLOAD(c + b));
            GMM_VSTORE(z + b, zb[v]);
        } else {
            zb[v] = GMM_VLOAD(z + b);
        }
    }
    for (int a = 0; a < 4 + first; a++) {
        GMM_R za = a < 4 ? z[a0 + a] : root[i];
        for (int v = 0; v < nv; v++)
            acc[a][v] += za * zb[v];
    }
}

/* The tile's sums into qp (and sp with first), in double. */
GMM_INLINE void GMM_K(tile_add)(GMM_V acc[5][3], size_t rs, size_t a0,
                                size_t b0, int nv, int first, double *qp,
                                double *sp)
{
    for (int a = 0; a < 4 + first; a++)
        for (int v = 0; v < nv; v++)
            GMM_VADD_DOUBLE((a < 4 ? qp + (a0 + a) * rs : sp) + b0 + v * GMM_VL,
                            acc[a][v]);
}

GMM_INLINE void GMM_K(scatter_tile)(const GMM_R *XR, const unsigned *kept,
                                    const GMM_R *c, const GMM_R *root,
                                    GMM_R *Z, size_t rs,
                                    size_t n, size_t a0, size_t b0, int nv,
                                    int first, double *qp, double *sp)
{
    GMM_V acc[5][3] = {{{0}}};
    for (size_t i = 0; i < n; i++)
        GMM_K(tile_row)(XR, kept, c, root, Z, rs, i, a0, b0, nv, first, acc);
    GMM_K(tile_add)(acc, rs, a0, b0, nv, first, qp, sp);
}

/* The one-vector tile: 4 accumulators (5 with the root row) would be as
 * many chains, too few to cover the FMA latency (note 8), so even and odd
 * rows go to separate ones. */
GMM_INLINE void GMM_K(scatter_tile_1)(const GMM_R *XR, const unsigned *kept,
                                      const GMM_R *c, const GMM_R *root,
                                      GMM_R *Z, size_t rs,
                                      size_t n, size_t a0, size_t b0,
                                      int first, double *qp, double *sp)
{
    GMM_V even[5][3] = {{{0}}}, odd[5][3] = {{{0}}};
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        GMM_K(tile_row)(XR, kept, c, root, Z, rs, i, a0, b0, 1, first, even);
        GMM_K(tile_row)(XR, kept, c, root, Z, rs, i + 1, a0, b0, 1, first, odd);
    }
    if (i < n)
        GMM_K(tile_row)(XR, kept, c, root, Z, rs, i, a0, b0, 1, first, even);
    for (int a = 0; a < 4 + first; a++)
        even[a][0] += odd[a][0];
    GMM_K(tile_add)(even, rs, a0, b0, 1, first, qp, sp);
}

/* The rows of a sub-block whose responsibility r is not zero, appended
 * to a component's batch: their indices in the chunk (first + i) at
 * kept[0 .. n) and their roots sqrt(r) at root[0 .. n); returns n. A row
 * with r = 0 adds exactly zero to every sum, so leaving it out changes no
 * result. It changes the cost where responsibilities underflow, as they
 * do wherever components are apart: a float32 r is zero below about
 * e^-104, a float64 one below e^-708 (kernels/vexp.h), and float32 fits
 * leave most rows out after a few iterations (note 18). */
GMM_INLINE size_t GMM_K(kept_rows)(const GMM_R *r, size_t n_rows, size_t first,
                                   unsigned *kept, GMM_R *root)
{
    size_t n = 0;
    for (size_t i = 0; i < n_rows; i++) {
        kept[n] = (unsigned)(first + i);
        root[n] = r[i];
        n += r[i] > 0;
    }
    for (size_t i = 0; i < n; i++)
        root[i] = GMM_SQRT(root[i]);
    return n;
}

/* qp += the upper triangle of Z^T Z and sp += root^T Z over a batch of
 * n kept rows (at most a sub-block's): rows a < d by 4; columns from the
 * vector holding a, by tiles of 3 vectors (2 + 2 rather than 3 + 1; at most 2 in the
 * first row). Each tile call has constants for its shape, so that its
 * loops unroll and its accumulators live in registers. */
GMM_INLINE void GMM_K(scatter_rows)(const GMM_R *XR, const unsigned *kept,
                                    const GMM_R *root, size_t n,
                                    const GMM_R *c, size_t rs, size_t d,
                                    GMM_R *Z, double *qp, double *sp)
{
    for (size_t b0 = 0; b0 < rs; b0 += 2 * GMM_VL) {
        if (b0 + GMM_VL < rs)
            GMM_K(scatter_tile)(XR, kept, c, root, Z, rs, n, 0, b0, 2, 1, qp, sp);
        else
            GMM_K(scatter_tile_1)(XR, kept, c, root, Z, rs, n, 0, b0, 1, qp, sp);
    }
    for (size_t a0 = 4; a0 < d; a0 += 4) {
        size_t b0 = a0 / GMM_VL * GMM_VL;
        size_t left = (rs - b0) / GMM_VL;
        while (left > 0) {
            int nv = left == 4 ? 2 : left >= 3 ? 3 : (int)left;
            if (nv == 3)
                GMM_K(scatter_tile)(XR, kept, c, root, Z, rs, n, a0, b0, 3, 0, qp, sp);
            else if (nv == 2)
                GMM_K(scatter_tile)(XR, kept, c, root, Z, rs, n, a0, b0, 2, 0, qp, sp);
            else
                GMM_K(scatter_tile_1)(XR, kept, c, root, Z, rs, n, a0, b0, 0, qp, sp);
            b0 += (size_t)nv * GMM_VL;
            left -= (size_t)nv;
        }
    }
}

/* Features per row of the row-major chunk: d rounded up to a vector. */
GMM_INLINE size_t GMM_K(row_stride)(size_t d)
{
    return gmm_row_stride(d, GMM_VL);
}

/* Components whose tile sums are kept at once: as many as fit in
 * GMM_TILE_SUMS_MAX doubles (at least one). Each component's sums over a
 * chunk are the same whatever the group, so this bounds a thread's work
 * (all K components' D x D tile sums would be another K x D^2 per
 * thread) without changing a bit; at small D the group is every
 * component, and at large D a sub-block's tiles are far more work than
 * reading it again for the next group. */
#define GMM_TILE_SUMS_MAX ((size_t)1 << 19)
GMM_INLINE size_t GMM_K(full_group)(size_t n_comp, size_t rs)
{
    size_t group = GMM_TILE_SUMS_MAX / (rs * rs + rs);
    return group < 1 ? 1 : group > n_comp ? n_comp : group;
}

/* Doubles of accumulate_full's work: per component of a group the tile
 * sums qp (rs x rs) and sp (rs), then per component its padded shift,
 * one sub-block of Z, and per component of a group a batch of up to two
 * sub-blocks' roots and kept rows' indices (indices no wider than
 * GMM_R), and its count. */
GMM_INLINE size_t GMM_K(full_work_size)(size_t n_comp, size_t d)
{
    size_t rs = GMM_K(row_stride)(d);
    size_t sub = GMM_K(sub_rows)(rs), group = GMM_K(full_group)(n_comp, rs);
    size_t reals = n_comp * rs + sub * rs + group * sub * 4 + group;
    return group * (rs * rs + rs) + (reals * sizeof(GMM_R) + 7) / 8;
}

/* The tiles of a component's batch of n kept rows (indices into the
 * chunk XR): a run of consecutive rows, the rule where components
 * overlap, is read without looking its rows up, which the first row of
 * tiles would pay for (note 24); the bits are the same either way. */
GMM_INLINE void GMM_K(scatter_batch)(const GMM_R *XR, const unsigned *kept,
                                     const GMM_R *root, size_t n,
                                     const GMM_R *c, size_t rs, size_t d,
                                     GMM_R *Z, double *qp, double *sp)
{
    if (kept[n - 1] - kept[0] == n - 1)
        GMM_K(scatter_rows)(XR + (size_t)kept[0] * rs, NULL, root, n, c, rs,
                            d, Z, qp, sp);
    else
        GMM_K(scatter_rows)(XR, kept, root, n, c, rs, d, Z, qp, sp);
}

/* Full and tied: a chunk of n_rows rows XR (row-major, stride
 * row_stride(d), zero-padded) into stats, with resp in the lane layout and
 * component k's shift at shifts + k * shift_stride. Sub-blocks outside,
 * components inside: each sub-block of XR is read from L1 by all K
 * components, where components outside read the whole chunk from L2 K
 * times, its loads waiting on L2 (note 8). So every component of a
 * group (full_group) keeps its own tile sums until the chunk's end.
 * Each sub-block's kept rows are found for all components before
 * the tiles run: inside the tile loops the search had no registers left
 * and reloaded its pointers for every row (note 18).
 *
 * A component's kept rows go to the tiles in batches of a sub-block's
 * rows, gathered across sub-blocks: where most responsibilities are zero
 * (components apart) a sub-block keeps a row or two of a component, and
 * tiles of so few rows cost more in their sums into qp, a component's
 * rs x rs doubles (in L3 at large K and D), than in their products
 * (note 49). Where every row is kept a batch is a sub-block, as it was.
 * The batches depend on the responsibilities and the chunk only, so the
 * sums are the same for any thread count. */
GMM_INLINE void GMM_K(accumulate_full)(const gmm_sums *sums, const GMM_R *XR,
                                       size_t n_rows, const GMM_R *resp,
                                       const GMM_R *shifts,
                                       size_t shift_stride, double *work)
{
    size_t n_comp = sums->n_components, d = sums->n_features;
    size_t rs = GMM_K(row_stride)(d), sub = GMM_K(sub_rows)(rs);
    size_t group = GMM_K(full_group)(n_comp, rs);
    double *qp = work, *sp = qp + group * rs * rs;
    GMM_R *c = (GMM_R *)(sp + group * rs), *Z = c + n_comp * rs;
    GMM_R *root = Z + sub * rs;
    unsigned *kept = (unsigned *)(root + group * 2 * sub);
    unsigned *n_kept = kept + group * 2 * sub;
    for (size_t k = 0; k < n_comp; k++) {
        const GMM_R *r = resp + k * GMM_LANE_STRIDE;
        GMM_V nk = {0}; /* padded lanes carry r = 0 */
        for (size_t i = 0; i < gmm_lanes(n_rows); i += GMM_VL)
            nk += GMM_VLOAD(r + i);
        sums->nk[k] += GMM_VHSUM(nk);
        for (size_t j = 0; j < rs; j++)
            c[k * rs + j] = j < d ? shifts[k * shift_stride + j] : 0;
    }
    for (size_t g0 = 0; g0 < n_comp; g0 += group) {
        size_t n_group = n_comp - g0 < group ? n_comp - g0 : group;
        memset(qp, 0, n_group * rs * rs * sizeof *qp);
        memset(sp, 0, n_group * rs * sizeof *sp);
        memset(n_kept, 0, n_group * sizeof *n_kept);
        for (size_t i0 = 0; i0 < n_rows; i0 += sub) {
            size_t n = n_rows - i0 < sub ? n_rows - i0 : sub;
            int last = i0 + n == n_rows;
            for (size_t g = 0; g < n_group; g++) {
                unsigned *kg = kept + g * 2 * sub;
                GMM_R *rg = root + g * 2 * sub;
                n_kept[g] += (unsigned)GMM_K(kept_rows)(
                    resp + (g0 + g) * GMM_LANE_STRIDE + i0, n, i0,
                    kg + n_kept[g], rg + n_kept[g]);
            }
            for (size_t g = 0; g < n_group; g++) {
                unsigned *kg = kept + g * 2 * sub;
                GMM_R *rg = root + g * 2 * sub;
                while (n_kept[g] >= sub || (last && n_kept[g] > 0)) {
                    size_t m = n_kept[g] < sub ? n_kept[g] : sub;
                    GMM_K(scatter_batch)(XR, kg, rg, m, c + (g0 + g) * rs, rs,
                                         d, Z, qp + g * rs * rs, sp + g * rs);
                    n_kept[g] -= (unsigned)m;
                    memmove(kg, kg + m, n_kept[g] * sizeof *kg);
                    memmove(rg, rg + m, n_kept[g] * sizeof *rg);
                }
            }
        }
        /* Row a of a block starts at a d, or packed at a d - a (a - 1) / 2
         * with its diagonal first. */
        size_t block_size = sums->packed ? d * (d + 1) / 2 : d * d;
        for (size_t g = 0; g < n_group; g++) {
            size_t k = g0 + g;
            const double *qk = qp + g * rs * rs, *sk = sp + g * rs;
            double *q = sums->qk + gmm_layout_block_of(sums->layout, k) * block_size;
            for (size_t a = 0; a < d; a++) {
                double *row = q + (sums->packed ? a * d - a * (a - 1) / 2 - a
                                                : a * d);
                sums->sk[k * d + a] += sk[a];
                for (size_t b = a; b < d; b++)
                    row[b] += qk[a * rs + b];
            }
        }
    }
}

/* Diag (q per feature) and spherical (q summed over features):
 * y = x - shift, w = r y, sk += w, q += w y. Cost per row and feature: a
 * subtraction and an addition (FP-add pipes), a multiply and an FMA (FMA
 * pipes); 4 registers of rows per step keep 4 independent chains per sum.
 * The features go GMM_VL at a time, so that their horizontal sums are
 * taken together (GMM_VHSUMS): one float sum at a time, with each lane
 * converted to double, was most of a float32 diag M-step (note 20). */
GMM_INLINE void GMM_K(accumulate_diagonal)(const GMM_R *XT, size_t lanes,
                                           size_t d, const GMM_R *r,
                                           const GMM_R *shift, double *nk,
                                           double *sk, double *q,
                                           int per_feature)
{
    GMM_V zero = {0}, n_sum[4] = {zero, zero, zero, zero};
    for (size_t i = 0; i < lanes; i += 4 * GMM_VL)
        for (int v = 0; v < 4; v++)
            n_sum[v] += GMM_VLOAD(r + i + GMM_VL * v);
    *nk += GMM_VHSUM((n_sum[0] + n_sum[1]) + (n_sum[2] + n_sum[3]));
    double trace = 0.0;
    for (size_t j0 = 0; j0 < d; j0 += GMM_VL) {
        /* Only the features past d are cleared: clearing all of them
         * first became two rep stos (note 20). */
        GMM_V s_j[GMM_VL], q_j[GMM_VL];
        size_t j_end = d < j0 + GMM_VL ? d : j0 + GMM_VL;
        for (size_t j = j_end; j < j0 + GMM_VL; j++)
            s_j[j - j0] = q_j[j - j0] = zero;
        for (size_t j = j0; j < j_end; j++) {
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
            s_j[j - j0] = (s[0] + s[1]) + (s[2] + s[3]);
            q_j[j - j0] = (qq[0] + qq[1]) + (qq[2] + qq[3]);
        }
        double s_sum[GMM_VL] = {0}, q_sum[GMM_VL] = {0};
        GMM_VADD_DOUBLE(s_sum, GMM_VHSUMS(s_j));
        GMM_VADD_DOUBLE(q_sum, GMM_VHSUMS(q_j));
        for (size_t j = j0; j < j_end; j++) {
            sk[j] += s_sum[j - j0];
            if (per_feature)
                q[j] += q_sum[j - j0];
            else
                trace += q_sum[j - j0];
        }
    }
    if (!per_feature)
        q[0] += trace;
}

/* Fold a chunk into stats: full and tied from the row-major XR, diag and
 * spherical from the transposed XT (stats.h says what the sums are). */
GMM_INLINE void GMM_K(accumulate_chunk)(const gmm_sums *sums, const GMM_R *XT,
                                        const GMM_R *XR, size_t n_rows,
                                        const GMM_R *resp, const GMM_R *shifts,
                                        size_t shift_stride, double *work)
{
    size_t n_comp = sums->n_components, d = sums->n_features;
    gmm_covariance_layout layout = sums->layout;
    if (gmm_layout_is_matrix(layout)) {
        GMM_K(accumulate_full)(sums, XR, n_rows, resp, shifts, shift_stride,
                               work);
        return;
    }
    size_t size = gmm_layout_block_size(layout, d);
    for (size_t k = 0; k < n_comp; k++)
        GMM_K(accumulate_diagonal)(XT, gmm_lanes(n_rows), d,
                                   resp + k * GMM_LANE_STRIDE,
                                   shifts + k * shift_stride, &sums->nk[k],
                                   sums->sk + k * d,
                                   sums->qk + gmm_layout_block_of(layout, k) * size,
                                   gmm_layout_variance_stride(layout) != 0);
}
