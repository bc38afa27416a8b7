/*
 * screen.c — the product-form screen of nearest centres (screen.h).
 *
 * The bound. Let u = 2^-53, r the origin, b_k = fl(c_k - r) the shifted
 * centres, a = fl(x - r) the shifted row (both stored: the form works on
 * these exact doubles), f_k = |b_k|, e = |a|, F >= max f_k. The form
 * computes v_k = fl(n_k - 2 fl(a.b_k)) with n_k = fl(|b_k|^2), in any
 * order, fused or not: a dot product of D terms is within D u (1 + D u)
 * sum |a_j b_kj| <= D u' e f_k of the true one, n_k within D u' f_k^2 and
 * the last rounding adds u (f_k^2 + 2 e f_k). So sigma_k = |a|^2 + v_k is
 * within (D + 1) u' (e + f_k)^2 of |a - b_k|^2. The true distance |x - c_k|
 * differs from |a - b_k| by at most u (|x - r| + |c_k - r|), the roundings
 * of the two shifts: 2.01 u (e + f_k)^2 on the squares. The exact kernel's
 * rounded square is within (D + 2) u of the true one (em/bounds.c). And
 * the computed |a|^2, e and the sums below add D u and a few u more. In
 * all, within (3 D + 9) u (e + F)^2 of the exact kernel's value: E below
 * uses 4 (D + 8) u, plus TINY for squares and products that underflow
 * (each loses at most 2^-1075). A row is certain when its second-best
 * form value exceeds its best by more than 2 E (rounded down, so by more
 * than the true 2 E): every other centre's exact value is then strictly
 * above the best's, so the exact kernel picks the same centre, ties
 * included. Rows with e + F above 1e150 (squares near overflow) and NaNs
 * (every comparison false) are never certain.
 *
 * Compiled with contraction allowed (kernels/CMakeLists.txt): the form's
 * values never reach a result, only this yes or no, which the bound makes
 * hold for fused and unfused arithmetic alike.
 */
#include "kernels/screen.h"

#include <float.h>
#include <math.h>

#include "kernels/chunk.h"

#define TINY 1e-290

size_t gmm_screen_memory(size_t k, size_t d) { return d + k * d + k; }

gmm_screen gmm_screen_prepare(const double *centers, size_t k, size_t d,
                              double *memory)
{
    double *origin = memory, *shifted = memory + d, *norms = shifted + k * d;
    for (size_t j = 0; j < d; j++) {
        double sum = 0.0;
        for (size_t c = 0; c < k; c++)
            sum += centers[c * d + j];
        origin[j] = sum / (double)k;
    }
    double largest = 0.0;
    for (size_t c = 0; c < k; c++) {
        double norm = 0.0;
        for (size_t j = 0; j < d; j++) {
            double y = centers[c * d + j] - origin[j];
            shifted[c * d + j] = y;
            norm += y * y;
        }
        norms[c] = norm;
        largest = norm > largest || isnan(norm) ? norm : largest;
    }
    /* Up past the rounding of the norms. */
    double reach = sqrt(largest) * (1.0 + (double)(d + 2) * DBL_EPSILON);
    return (gmm_screen){origin, shifted, norms, reach, k, d};
}

size_t gmm_screen_scratch_size(size_t d)
{
    return gmm_chunk_size(d) + GMM_LANE_STRIDE;
}

GMM_INLINE gmm_v4d select4(gmm_v4l mask, gmm_v4d yes, gmm_v4d no)
{
    return (gmm_v4d)(((gmm_v4l)yes & mask) | ((gmm_v4l)no & ~mask));
}

/* Rows [i0, i0 + 8) of the shifted chunk XC against centres [k0, k0 +
 * NC): their form values n_k - 2 a.b_k into v[c][h], lanes of rows. */
#define SCREEN_TILE(NC)                                                       \
    GMM_INLINE void screen_tile_##NC(const double *XC, size_t i0, size_t d,  \
                                     const gmm_screen *s, size_t k0,          \
                                     gmm_v4d v[6][2])                         \
    {                                                                         \
        gmm_v4d acc[NC][2];                                                   \
        for (int c = 0; c < NC; c++)                                          \
            acc[c][0] = acc[c][1] = (gmm_v4d){0, 0, 0, 0};                    \
        const double *b = s->shifted + k0 * d;                                \
        for (size_t j = 0; j < d; j++) {                                      \
            const double *x = XC + j * GMM_LANE_STRIDE + i0;                  \
            gmm_v4d x0 = gmm_load4(x), x1 = gmm_load4(x + 4);                 \
            for (int c = 0; c < NC; c++) {                                    \
                double value = b[(size_t)c * d + j];                          \
                acc[c][0] += x0 * value;                                      \
                acc[c][1] += x1 * value;                                      \
            }                                                                 \
        }                                                                     \
        for (int c = 0; c < NC; c++) {                                        \
            double norm = s->norms[k0 + (size_t)c];                           \
            v[c][0] = norm - 2.0 * acc[c][0];                                 \
            v[c][1] = norm - 2.0 * acc[c][1];                                 \
        }                                                                     \
    }
SCREEN_TILE(6)
SCREEN_TILE(3)
SCREEN_TILE(1)

GMM_KERNEL
void gmm_screen_chunk(const gmm_screen *s, const double *XT, size_t n_rows,
                      double *scratch, size_t *label, unsigned char *certain,
                      double *second_sq)
{
    size_t d = s->n_features, k = s->n_centers, lanes = (n_rows + 7) / 8 * 8;
    double *XC = scratch, *e2 = scratch + gmm_chunk_size(d);
    for (size_t i0 = 0; i0 < lanes; i0 += 4) {
        gmm_v4d sum = {0, 0, 0, 0};
        for (size_t j = 0; j < d; j++) {
            gmm_v4d y = gmm_load4(XT + j * GMM_LANE_STRIDE + i0) - s->origin[j];
            gmm_store4(XC + j * GMM_LANE_STRIDE + i0, y);
            sum += y * y;
        }
        gmm_store4(e2 + i0, sum);
    }
    double kappa = 2.0 * (double)(d + 8) * DBL_EPSILON;
    for (size_t i0 = 0; i0 < n_rows; i0 += 8) {
        gmm_v4d best[2], second[2];
        gmm_v4l best_k[2] = {{0, 0, 0, 0}, {0, 0, 0, 0}};
        best[0] = best[1] = second[0] = second[1] =
            (gmm_v4d){INFINITY, INFINITY, INFINITY, INFINITY};
        for (size_t k0 = 0; k0 < k;) {
            gmm_v4d v[6][2];
            size_t nc = k - k0 >= 6 ? 6 : k - k0 >= 3 ? 3 : 1;
            if (nc == 6)
                screen_tile_6(XC, i0, d, s, k0, v);
            else if (nc == 3)
                screen_tile_3(XC, i0, d, s, k0, v);
            else
                screen_tile_1(XC, i0, d, s, k0, v);
            for (size_t c = 0; c < nc; c++)
                for (int h = 0; h < 2; h++) {
                    gmm_v4l nearer = v[c][h] < best[h];
                    /* The runner-up: the larger of this value and the
                     * best, if below the runner-up so far. */
                    gmm_v4d loser = select4(nearer, best[h], v[c][h]);
                    second[h] = select4(loser < second[h], loser, second[h]);
                    best[h] = select4(nearer, v[c][h], best[h]);
                    gmm_v4l index = {0, 0, 0, 0};
                    index += (int64_t)(k0 + c);
                    best_k[h] = (index & nearer) | (best_k[h] & ~nearer);
                }
            k0 += nc;
        }
        size_t n = n_rows - i0 < 8 ? n_rows - i0 : 8;
        for (size_t i = 0; i < n; i++) {
            double sq = e2[i0 + i];
            double e = sqrt(sq) * (1.0 + (double)(d + 2) * DBL_EPSILON);
            double spread = e + s->reach;
            double bound = kappa * spread * spread + TINY;
            double b = best[i / 4][i % 4], r = second[i / 4][i % 4];
            label[i0 + i] = (size_t)best_k[i / 4][i % 4];
            certain[i0 + i] = spread < 1e150 && r - b > 2.0 * bound;
            second_sq[i0 + i] = fmax(0.0, sq + r - bound);
        }
    }
}
