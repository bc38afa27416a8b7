/*
 * screen.c — the product-form screen of nearest centres (screen.h), in
 * float: 8 rows a register, twice the double form's rate.
 *
 * The bound. Let u = 2^-24 (float's rounding), r the origin, b_k =
 * fl32(c_k - r) the shifted centres and a = fl32(x - r) the shifted row
 * (the subtractions in double, then rounded once more: each within u' =
 * u (1 + 2^-28) of the exact shift), f_k = |b_k|, e >= |a|, F >= max f_k.
 * The form computes v_k = fl32(n_k - 2 fl32(a.b_k)) with n_k =
 * fl32(|b_k|^2), its float sums in any order, fused or not: a dot product
 * of D terms is within D u (1 + D u) sum |a_j b_kj| <= D u'' e f_k of the
 * true one, n_k within u f_k^2 (its sum is in double) and the last
 * rounding adds u (f_k^2 + 2 e f_k). So sigma_k = |a|^2 + v_k is within
 * (D + 2) u'' (e + f_k)^2 of |a - b_k|^2. The true distance |x - c_k|
 * differs from |a - b_k| by at most u' (|x - r| + |c_k - r|), the
 * roundings of the two shifts: 2.01 u (e + f_k)^2 on the squares. The
 * exact kernel's rounded square is within (D + 2) 2^-53 of the true one
 * (em/bounds.c), and |a|^2 in double adds less than u. In all, within
 * (D + 6) u (e + F)^2 of the exact kernel's value: E below takes four
 * times that, plus TINY for float squares and products that underflow
 * (each loses at most 2^-150; with e + F above 1e-12, D 2^-150 is far
 * below u (e + F)^2). A row is certain when its second-best form value
 * exceeds its best by more than 2 E: every other centre's exact value is
 * then strictly above the best's, so the exact kernel picks the same
 * centre, ties included. Rows with e + F outside (1e-12, 1e18) (float
 * squares near underflow or overflow) and NaNs (every comparison false)
 * are never certain: the exact kernel decides them.
 *
 * Compiled with contraction allowed (kernels/CMakeLists.txt): the form's
 * values never reach a result, only this yes or no, which the bound makes
 * hold for fused and unfused arithmetic alike.
 */
#include "kernels/screen.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "kernels/chunk.h"

#define TINY 1e-40

size_t gmm_screen_memory(size_t k, size_t d)
{
    /* The origin in double; the shifted centres and norms in float. */
    return d + (k * d + k + 1) / 2;
}

gmm_screen gmm_screen_prepare(const double *centers, size_t k, size_t d,
                              double *memory)
{
    double *origin = memory;
    float *shifted = (float *)(memory + d), *norms = shifted + k * d;
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
            float y = (float)(centers[c * d + j] - origin[j]);
            shifted[c * d + j] = y;
            norm += (double)y * (double)y;
        }
        norms[c] = (float)norm;
        largest = norm > largest || isnan(norm) ? norm : largest;
    }
    /* Up past the rounding of the norms. */
    double reach = sqrt(largest) * (1.0 + (double)(d + 2) * DBL_EPSILON);
    return (gmm_screen){origin, shifted, norms, reach, k, d};
}

size_t gmm_screen_scratch_size(size_t d)
{
    /* The shifted chunk in float, then each row's |x - r|^2. */
    return gmm_chunk_size(d) / 2 + GMM_LANE_STRIDE;
}

GMM_INLINE gmm_v8f select8(gmm_v8i mask, gmm_v8f yes, gmm_v8f no)
{
    return (gmm_v8f)(((gmm_v8i)yes & mask) | ((gmm_v8i)no & ~mask));
}

/* Rows [i0, i0 + 16) of the shifted chunk XC against centres [k0, k0 +
 * NC): their form values n_k - 2 a.b_k into v[c][h], lanes of rows. */
#define SCREEN_TILE(NC)                                                       \
    GMM_INLINE void screen_tile_##NC(const float *XC, size_t i0, size_t d,   \
                                     const gmm_screen *s, size_t k0,          \
                                     gmm_v8f v[6][2])                         \
    {                                                                         \
        gmm_v8f acc[NC][2];                                                   \
        for (int c = 0; c < NC; c++)                                          \
            acc[c][0] = acc[c][1] = (gmm_v8f){0};                             \
        const float *b = s->shifted + k0 * d;                                 \
        for (size_t j = 0; j < d; j++) {                                      \
            const float *x = XC + j * GMM_LANE_STRIDE + i0;                   \
            gmm_v8f x0 = gmm_load8f(x), x1 = gmm_load8f(x + 8);               \
            for (int c = 0; c < NC; c++) {                                    \
                float value = b[(size_t)c * d + j];                           \
                acc[c][0] += x0 * value;                                      \
                acc[c][1] += x1 * value;                                      \
            }                                                                 \
        }                                                                     \
        for (int c = 0; c < NC; c++) {                                        \
            float norm = s->norms[k0 + (size_t)c];                            \
            v[c][0] = norm - 2.0f * acc[c][0];                                \
            v[c][1] = norm - 2.0f * acc[c][1];                                \
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
    size_t d = s->n_features, k = s->n_centers, lanes = (n_rows + 15) / 16 * 16;
    float *XC = (float *)scratch;
    double *e2 = scratch + gmm_chunk_size(d) / 2;
    for (size_t i0 = 0; i0 < lanes; i0 += 4) {
        gmm_v4d sum = {0, 0, 0, 0};
        for (size_t j = 0; j < d; j++) {
            gmm_v4d y = gmm_load4(XT + j * GMM_LANE_STRIDE + i0) - s->origin[j];
            gmm_v4f f = __builtin_convertvector(y, gmm_v4f);
            memcpy(XC + j * GMM_LANE_STRIDE + i0, &f, sizeof f);
            sum += y * y;
        }
        gmm_store4(e2 + i0, sum);
    }
    double kappa = 2.0 * (double)(d + 6) * FLT_EPSILON;
    for (size_t i0 = 0; i0 < n_rows; i0 += 16) {
        gmm_v8f best[2], second[2];
        gmm_v8i best_k[2] = {{0}, {0}};
        best[0] = best[1] = second[0] = second[1] =
            (gmm_v8f){INFINITY, INFINITY, INFINITY, INFINITY,
                      INFINITY, INFINITY, INFINITY, INFINITY};
        for (size_t k0 = 0; k0 < k;) {
            gmm_v8f v[6][2];
            size_t nc = k - k0 >= 6 ? 6 : k - k0 >= 3 ? 3 : 1;
            if (nc == 6)
                screen_tile_6(XC, i0, d, s, k0, v);
            else if (nc == 3)
                screen_tile_3(XC, i0, d, s, k0, v);
            else
                screen_tile_1(XC, i0, d, s, k0, v);
            for (size_t c = 0; c < nc; c++)
                for (int h = 0; h < 2; h++) {
                    gmm_v8i nearer = v[c][h] < best[h];
                    /* The runner-up: the larger of this value and the
                     * best, if below the runner-up so far. */
                    gmm_v8f loser = select8(nearer, best[h], v[c][h]);
                    second[h] = select8(loser < second[h], loser, second[h]);
                    best[h] = select8(nearer, v[c][h], best[h]);
                    gmm_v8i index = {0};
                    index += (int32_t)(k0 + c);
                    best_k[h] = (index & nearer) | (best_k[h] & ~nearer);
                }
            k0 += nc;
        }
        /* The decision four rows at a time, as vectors. */
        size_t n = n_rows - i0 < 16 ? n_rows - i0 : 16;
        for (size_t q = 0; q < n; q += 4) {
            gmm_v4d sq = gmm_load4(e2 + i0 + q), e;
            for (int l = 0; l < 4; l++)
                e[l] = sqrt(sq[l]);
            e = e * (1.0 + (double)(d + 2) * DBL_EPSILON) * (1.0 + FLT_EPSILON);
            gmm_v4d spread = e + s->reach;
            gmm_v4d bound = kappa * spread * spread + TINY;
            gmm_v8f b8 = best[q / 8], r8 = second[q / 8];
            gmm_v4d b = q % 8 ? gmm_high8f(b8) : gmm_low8f(b8);
            gmm_v4d r = q % 8 ? gmm_high8f(r8) : gmm_low8f(r8);
            gmm_v4l sure = (spread > 1e-12) & (spread < 1e18) &
                           (r - b > 2.0 * bound);
            gmm_v4d lower = sq + r - bound;
            lower = (gmm_v4d)((gmm_v4l)lower & (lower > 0.0));
            for (size_t l = 0; l < 4 && q + l < n; l++) {
                size_t i = q + l;
                label[i0 + i] = (size_t)best_k[i / 8][i % 8];
                certain[i0 + i] = sure[l] != 0;
                second_sq[i0 + i] = lower[l];
            }
        }
    }
}
