/*
 * nearest.c — each row's nearest centre, blocked (nearest.h).
 */
#include "kernels/nearest.h"

#include <math.h>

#include "kernels/chunk.h"
#include "kernels/screen.h"
#include "kernels/transpose.h"

/* The chunk, gathered rows, then the screen's scratch or the uncertain
 * rows. */
size_t gmm_nearest_scratch_size(size_t d)
{
    size_t screen = gmm_screen_scratch_size(d), chunk = gmm_chunk_size(d);
    return 2 * chunk + (screen > chunk ? screen : chunk);
}

/* Rows [i0, i0 + 8) of XT against centres [k0, k0 + NC): their squared
 * distances into dist[c][v], lanes of rows. */
#define NEAREST_TILE(NC)                                                      \
    GMM_INLINE void nearest_tile_##NC(const double *XT, size_t i0, size_t d, \
                                      const double *centers, size_t k0,       \
                                      gmm_v4d dist[4][2])                     \
    {                                                                         \
        gmm_v4d acc[NC][2];                                                   \
        for (int c = 0; c < NC; c++)                                          \
            acc[c][0] = acc[c][1] = (gmm_v4d){0, 0, 0, 0};                    \
        for (size_t j = 0; j < d; j++) {                                      \
            const double *x = XT + j * GMM_LANE_STRIDE + i0;                  \
            gmm_v4d x0 = gmm_load4(x), x1 = gmm_load4(x + 4);                 \
            for (int c = 0; c < NC; c++) {                                    \
                double value = centers[(k0 + (size_t)c) * d + j];             \
                gmm_v4d y0 = x0 - value, y1 = x1 - value;                     \
                acc[c][0] = acc[c][0] + y0 * y0;                              \
                acc[c][1] = acc[c][1] + y1 * y1;                              \
            }                                                                 \
        }                                                                     \
        for (int c = 0; c < NC; c++)                                          \
            dist[c][0] = acc[c][0], dist[c][1] = acc[c][1];                   \
    }
NEAREST_TILE(4)
NEAREST_TILE(1)

/* The next tile from centre k0: four centres while four are left, then
 * one at a time; how many it took. */
GMM_INLINE size_t nearest_tile(const double *XT, size_t i0, size_t d,
                               const double *centers, size_t k0,
                               size_t n_centers, gmm_v4d dist[4][2])
{
    if (n_centers - k0 >= 4) {
        nearest_tile_4(XT, i0, d, centers, k0, dist);
        return 4;
    }
    nearest_tile_1(XT, i0, d, centers, k0, dist);
    return 1;
}

/* The exact kernel on the transposed rows XT (n_rows of them). */
GMM_INLINE void exact_rows(const double *XT, size_t n_rows, size_t d,
                           const double *centers, size_t n_centers,
                           size_t *label, double *dist_sq, double *second_sq)
{
    for (size_t i0 = 0; i0 < n_rows; i0 += 8) {
        gmm_v4d best[2] = {{INFINITY, INFINITY, INFINITY, INFINITY},
                           {INFINITY, INFINITY, INFINITY, INFINITY}};
        gmm_v4d second[2] = {{INFINITY, INFINITY, INFINITY, INFINITY},
                             {INFINITY, INFINITY, INFINITY, INFINITY}};
        gmm_v4l best_k[2] = {{0, 0, 0, 0}, {0, 0, 0, 0}};
        for (size_t k0 = 0; k0 < n_centers;) {
            gmm_v4d dist[4][2];
            size_t nc = nearest_tile(XT, i0, d, centers, k0, n_centers, dist);
            for (size_t c = 0; c < nc; c++)
                for (int v = 0; v < 2; v++) {
                    gmm_v4l nearer = dist[c][v] < best[v];
                    gmm_v4l k = {0, 0, 0, 0};
                    k += (int64_t)(k0 + c);
                    /* The runner-up: the old best when displaced, else
                     * the smaller of it and this distance. */
                    if (second_sq) {
                        gmm_v4l less = dist[c][v] < second[v];
                        gmm_v4l other = ((gmm_v4l)dist[c][v] & less) |
                                        ((gmm_v4l)second[v] & ~less);
                        second[v] = (gmm_v4d)(((gmm_v4l)best[v] & nearer) |
                                              (other & ~nearer));
                    }
                    best[v] = (gmm_v4d)(((gmm_v4l)dist[c][v] & nearer) |
                                        ((gmm_v4l)best[v] & ~nearer));
                    best_k[v] = (k & nearer) | (best_k[v] & ~nearer);
                }
            k0 += nc;
        }
        size_t n = n_rows - i0 < 8 ? n_rows - i0 : 8;
        for (size_t i = 0; i < n; i++) {
            label[i0 + i] = (size_t)best_k[i / 4][i % 4];
            if (dist_sq)
                dist_sq[i0 + i] = best[i / 4][i % 4];
            if (second_sq)
                second_sq[i0 + i] = second[i / 4][i % 4];
        }
    }
}

/* dist[i] the exact kernel's squared distance from row i of XT to its
 * centre label[i]: the same per-lane arithmetic, the centres' values
 * gathered into the lanes. */
GMM_INLINE void own_distances(const double *XT, size_t n_rows, size_t d,
                              const double *centers, const size_t *label,
                              double *dist)
{
    for (size_t i0 = 0; i0 < n_rows; i0 += 4) {
        size_t n = n_rows - i0 < 4 ? n_rows - i0 : 4;
        const double *c[4];
        for (size_t i = 0; i < 4; i++)
            c[i] = centers + (i < n ? label[i0 + i] : label[i0]) * d;
        gmm_v4d acc = {0, 0, 0, 0};
        for (size_t j = 0; j < d; j++) {
            gmm_v4d value = {c[0][j], c[1][j], c[2][j], c[3][j]};
            gmm_v4d y = gmm_load4(XT + j * GMM_LANE_STRIDE + i0) - value;
            acc = acc + y * y;
        }
        for (size_t i = 0; i < n; i++)
            dist[i0 + i] = acc[i];
    }
}

/* XU's first n lanes: rows which[0 .. n) of XT; zeros after them, up to
 * the 16 rows of the screen's tiles (the exact ones take 8). */
GMM_INLINE void gather_lanes(const double *XT, const size_t *which, size_t n,
                             size_t d, double *XU)
{
    size_t lanes = (n + 15) / 16 * 16;
    for (size_t j = 0; j < d; j++) {
        const double *from = XT + j * GMM_LANE_STRIDE;
        double *to = XU + j * GMM_LANE_STRIDE;
        for (size_t u = 0; u < n; u++)
            to[u] = from[which[u]];
        for (size_t u = n; u < lanes; u++)
            to[u] = 0.0;
    }
}

/* The nearest centres of the n rows in the lanes of XS, the screen first
 * when there is one; rest: the screen's scratch, then the uncertain
 * rows' lanes. */
GMM_INLINE void nearest_lanes(const double *XS, size_t n_rows, size_t d,
                              const double *centers, size_t n_centers,
                              const gmm_screen *screen, double *rest,
                              size_t *label, double *dist_sq,
                              double *second_sq)
{
    if (!screen) {
        exact_rows(XS, n_rows, d, centers, n_centers, label, dist_sq,
                   second_sq);
        return;
    }
    unsigned char certain[GMM_CHUNK_ROWS];
    double lower[GMM_CHUNK_ROWS], dist[GMM_CHUNK_ROWS];
    gmm_screen_chunk(screen, XS, n_rows, rest, label, certain, lower);
    own_distances(XS, n_rows, d, centers, label, dist);
    size_t which[GMM_CHUNK_ROWS], n = 0;
    for (size_t i = 0; i < n_rows; i++)
        if (!certain[i])
            which[n++] = i;
    if (n) {
        size_t exact_label[GMM_CHUNK_ROWS];
        double exact_dist[GMM_CHUNK_ROWS], exact_second[GMM_CHUNK_ROWS];
        gather_lanes(XS, which, n, d, rest);
        exact_rows(rest, n, d, centers, n_centers, exact_label, exact_dist,
                   exact_second);
        for (size_t u = 0; u < n; u++) {
            label[which[u]] = exact_label[u];
            dist[which[u]] = exact_dist[u];
            lower[which[u]] = exact_second[u];
        }
    }
    for (size_t i = 0; i < n_rows; i++) {
        if (dist_sq)
            dist_sq[i] = dist[i];
        if (second_sq)
            second_sq[i] = lower[i];
    }
}

void gmm_nearest_load(const double *X, size_t n_rows, size_t d,
                      double *scratch)
{
    gmm_chunk_convert_f64(X, n_rows, d, NULL, scratch, NULL);
}

GMM_KERNEL
void gmm_nearest_own(const double *scratch, size_t n_rows, size_t d,
                     const double *centers, const size_t *label, double *dist)
{
    own_distances(scratch, n_rows, d, centers, label, dist);
}

GMM_KERNEL
void gmm_nearest_rows(double *scratch, const size_t *which, size_t n, size_t d,
                      const double *centers, size_t n_centers,
                      const gmm_screen *screen, size_t *label,
                      double *dist_sq, double *second_sq)
{
    const double *XS = scratch;
    double *rest = scratch + gmm_chunk_size(d);
    if (which) {
        gather_lanes(scratch, which, n, d, rest);
        XS = rest;
        rest += gmm_chunk_size(d);
    }
    nearest_lanes(XS, n, d, centers, n_centers, screen, rest, label, dist_sq,
                  second_sq);
}

void gmm_nearest_chunk(const double *X, size_t n_rows, size_t d,
                       const double *centers, size_t n_centers,
                       const gmm_screen *screen, double *scratch,
                       size_t *label, double *dist_sq, double *second_sq)
{
    gmm_nearest_load(X, n_rows, d, scratch);
    gmm_nearest_rows(scratch, NULL, n_rows, d, centers, n_centers, screen,
                     label, dist_sq, second_sq);
}

GMM_KERNEL
void gmm_distances_chunk(const double *X, size_t n_rows, size_t d,
                         const double *centers, size_t n_centers,
                         double *scratch, double *dist)
{
    const double *XT = scratch;
    gmm_chunk_convert_f64(X, n_rows, d, NULL, scratch, NULL);
    for (size_t i0 = 0; i0 < n_rows; i0 += 8) {
        size_t n = n_rows - i0 < 8 ? n_rows - i0 : 8;
        for (size_t k0 = 0; k0 < n_centers;) {
            gmm_v4d tile[4][2];
            size_t nc = nearest_tile(XT, i0, d, centers, k0, n_centers, tile);
            for (size_t i = 0; i < n; i++)
                for (size_t c = 0; c < nc; c++)
                    dist[(i0 + i) * n_centers + k0 + c] = tile[c][i / 4][i % 4];
            k0 += nc;
        }
    }
}

GMM_KERNEL
void gmm_nearest_sums(const double *X, size_t n_rows, size_t d,
                      const double *centers, const size_t *label,
                      const double *weights, double *sums)
{
    for (size_t r = 0; r < n_rows; r++) {
        const double *x = X + r * d, *c = centers + label[r] * d;
        double *s = sums + label[r] * d, w = weights ? weights[r] : 1.0;
        for (size_t j = 0; j < d; j++)
            s[j] += w * (x[j] - c[j]);
    }
}
