/*
 * test_scatter.c — the full and tied statistics of the row-major tiles
 * (kernels/scatter.h) against sums taken row by row in long double, for
 * responsibilities with zeros in every pattern the batching of kept rows
 * meets: none, most, one row a component, whole sub-blocks without (and
 * then with) rows, a component with no row at all. A kept row lost from a
 * batch, counted twice, or read from the wrong place moves a sum by a
 * whole row's share, far beyond the tolerance (rounding: 1e-12 relative
 * in float64, 1e-5 in float32). Both element types, at the process's
 * width and at AVX2's; D from 9 (the first that reads rows) to 64; chunks
 * of 256, 37 and 1 rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kernels/chunk.h"
#include "kernels/dispatch.h"
#include "kernels/kernels.h"
#include "util/blocks.h"

#define K 5

static uint64_t rng_state = 29;
static double uniform(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* A value on a grid of 1/64 in [-4, 4): exact in float, so that the
 * float32 kernels see the rows and shifts the reference does. */
static double grid(void) { return floor(uniform() * 512.0) / 64.0 - 4.0; }

enum pattern {
    DENSE,          /* every row of every component kept          */
    MOSTLY_ZERO,    /* nine rows in ten zero, at random           */
    ONE_ROW,        /* component k keeps row (7 k) mod n only     */
    ZERO_THEN_FULL, /* a component's first 23 rows zero, then all */
    ALTERNATING,    /* runs of 13 rows zero and 13 kept           */
    N_PATTERNS
};

static double responsibility(enum pattern p, size_t k, size_t i, size_t n)
{
    /* Component K - 1 has no row in the sparse patterns. */
    if (p != DENSE && k == K - 1)
        return 0.0;
    double r = (1.0 + floor(uniform() * 1023.0)) / 1024.0;
    switch (p) {
    case DENSE: return r;
    case MOSTLY_ZERO: return uniform() < 0.9 ? 0.0 : r;
    case ONE_ROW: return i == 7 * k % n ? r : 0.0;
    case ZERO_THEN_FULL: return i < 23 ? 0.0 : r;
    case ALTERNATING: return (i / 13) % 2 ? r : 0.0;
    default: return 0.0;
    }
}

static void check_close(const double *got, const long double *want, size_t n,
                        double rel, const char *what, const char *name)
{
    double scale = 1e-300;
    for (size_t i = 0; i < n; i++)
        scale = fmax(scale, fabs((double)want[i]));
    for (size_t i = 0; i < n; i++)
        if (!close_to(got[i], (double)want[i], rel, scale)) {
            CHECK(0, "%s: %s[%zu] %.17g against %.17g", what, name, i, got[i],
                  (double)want[i]);
            return;
        }
}

static void check_case(const gmm_kernels *kernels, const char *table,
                       int shared, size_t d, size_t n, enum pattern p)
{
    char what[96];
    snprintf(what, sizeof what, "%s, %s, D = %zu, %zu rows, pattern %d", table,
             shared ? "tied" : "full", d, n, (int)p);
    size_t es = kernels->element_size, blocks = shared ? 1 : K;
    gmm_covariance_layout layout = {GMM_COVARIANCE_BLOCK_MATRIX, shared};
    double *X = malloc(n * d * sizeof *X), *shifts = malloc(K * d * sizeof *shifts);
    double *r = calloc(K * GMM_LANE_STRIDE, sizeof *r);
    double *origin = calloc(d, sizeof *origin);
    for (size_t i = 0; i < n * d; i++)
        X[i] = grid();
    for (size_t i = 0; i < K * d; i++)
        shifts[i] = grid() / 4.0;
    for (size_t k = 0; k < K; k++)
        for (size_t i = 0; i < n; i++)
            r[k * GMM_LANE_STRIDE + i] = responsibility(p, k, i, n);

    /* The kernels' inputs in their element type (every value exact). */
    unsigned char *XT = calloc(gmm_chunk_size(d), es);
    unsigned char *XR = calloc(GMM_CHUNK_ROWS * gmm_row_stride(d, kernels->lanes), es);
    unsigned char *resp = calloc(K * GMM_LANE_STRIDE, es);
    unsigned char *shift_e = calloc(K * d, es);
    double *copy = malloc(K * GMM_LANE_STRIDE * sizeof *copy);
    memcpy(copy, r, K * GMM_LANE_STRIDE * sizeof *copy);
    kernels->store(resp, copy, K * GMM_LANE_STRIDE);
    memcpy(copy, shifts, K * d * sizeof *copy);
    kernels->store(shift_e, copy, K * d);
    const void *rows = kernels->convert(X, n, d, origin, XT, XR);

    double *nk = calloc(K, sizeof *nk), *sk = calloc(K * d, sizeof *sk);
    double *qk = calloc(blocks * d * d, sizeof *qk);
    double *work = calloc(kernels->accumulate_work_size(layout, K, d) + 1,
                          sizeof *work);
    gmm_sums sums = {K, d, layout, nk, sk, qk, 0};
    kernels->accumulate(&sums, XT, rows, n, resp, shift_e, d, work);

    long double *want_n = calloc(K, sizeof *want_n);
    long double *want_s = calloc(K * d, sizeof *want_s);
    long double *want_q = calloc(blocks * d * d, sizeof *want_q);
    for (size_t k = 0; k < K; k++)
        for (size_t i = 0; i < n; i++) {
            long double w = r[k * GMM_LANE_STRIDE + i];
            long double *q = want_q + (shared ? 0 : k) * d * d;
            want_n[k] += w;
            for (size_t a = 0; a < d; a++) {
                long double ya = (long double)X[i * d + a] - shifts[k * d + a];
                want_s[k * d + a] += w * ya;
                for (size_t b = a; b < d; b++)
                    q[a * d + b] += w * ya *
                                    ((long double)X[i * d + b] - shifts[k * d + b]);
            }
        }
    /* Only the upper triangles are the kernels' to fill. */
    for (size_t b = 0; b < blocks; b++)
        for (size_t i = 0; i < d; i++)
            for (size_t j = 0; j < i; j++)
                qk[b * d * d + i * d + j] = 0.0;
    double rel = kernels->dtype == GMM_DTYPE_FLOAT32 ? 1e-5 : 1e-12;
    check_close(nk, want_n, K, rel, what, "nk");
    check_close(sk, want_s, K * d, rel, what, "sk");
    check_close(qk, want_q, blocks * d * d, rel, what, "qk");

    free(X), free(shifts), free(r), free(origin), free(XT), free(XR);
    free(resp), free(shift_e), free(copy), free(nk), free(sk), free(qk);
    free(work), free(want_n), free(want_s), free(want_q);
}

int main(void)
{
    const struct {
        const gmm_kernels *kernels;
        const char *name;
    } tables[] = {{&gmm_kernels_f64, "float64 (AVX2)"},
                  {&gmm_kernels_f32, "float32 (AVX2)"},
                  {gmm_kernels_of(GMM_DTYPE_FLOAT64), "float64 (this CPU)"},
                  {gmm_kernels_of(GMM_DTYPE_FLOAT32), "float32 (this CPU)"}};
    static const size_t dims[] = {9, 16, 17, 33, 64};
    static const size_t chunks[] = {GMM_CHUNK_ROWS, 37, 1};
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (int shared = 0; shared < 2; shared++)
            for (size_t i = 0; i < sizeof dims / sizeof *dims; i++)
                for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++)
                    for (int p = 0; p < N_PATTERNS; p++)
                        check_case(tables[t].kernels, tables[t].name, shared,
                                   dims[i], chunks[c], (enum pattern)p);
    return check_failures() != 0;
}
