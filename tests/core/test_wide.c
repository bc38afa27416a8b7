/*
 * test_wide.c — the AVX-512 kernels (kernels/real.h's GMM_CHUNK_WIDE)
 * against the AVX2 ones, the same templates at twice the width: for each
 * element type, covariance type, D in {1, 2, 3, 5, 8, 9, 16, 17, 33}
 * (every padding case of 4, 8 and 16 lanes, the lane statistics up to 8
 * and the row-major tiles beyond) and chunks of 256, 37 and 1 rows,
 *   - the E-step's responsibilities and log-norms per row are bit for bit
 *     the same (each lane runs the same operations in the same order);
 *   - a whole pass's log-likelihood is the same, and its statistics agree
 *     to rounding (sums are split across lanes differently: DESIGN.md,
 *     "Vector width"), 1e-12 relative in float64, 1e-5 in float32.
 * Skips (77) where the process does not run the wide kernels (no
 * AVX-512, a build without them, or GMM_ISA=avx2).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "em/pass.h"
#include "kernels/chunk.h"
#include "kernels/dispatch.h"
#include "model/covariance.h"
#include "model/kernel_params.h"
#include "model/params.h"
#include "model/stats.h"
#include "rows/rows.h"

#define K 3
#define N_ROWS 1061 /* four chunks and a last one of 37 rows */

static uint64_t rng_state = 11;
static double uniform(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((double)(rng_state >> 11) + 0.5) / 9007199254740992.0;
}

/* Random parameters of type's shape: means apart, covariances A A^T / d
 * + I/2 (matrix), 1/2 + u (variances). */
static void make_params(gmm_params *p, size_t d)
{
    const gmm_covariance_model *m = gmm_covariance_model_of(p->covariance_type);
    size_t blocks = m->covariances.shared ? 1 : K;
    for (size_t k = 0; k < K; k++) {
        p->weights[k] = (1.0 + (double)k) / (K * (K + 1) / 2.0);
        for (size_t j = 0; j < d; j++)
            p->means[k * d + j] = 4.0 * (double)k + uniform();
    }
    for (size_t b = 0; b < blocks; b++) {
        if (m->covariances.block == GMM_COVARIANCE_BLOCK_MATRIX) {
            double *a = malloc(d * d * sizeof *a), *c = p->covariances + b * d * d;
            for (size_t i = 0; i < d * d; i++)
                a[i] = uniform() - 0.5;
            for (size_t i = 0; i < d; i++)
                for (size_t j = 0; j < d; j++) {
                    double s = i == j ? 0.5 : 0.0;
                    for (size_t l = 0; l < d; l++)
                        s += a[i * d + l] * a[j * d + l] / (double)d;
                    c[i * d + j] = s;
                }
            free(a);
        } else if (m->covariances.block == GMM_COVARIANCE_BLOCK_DIAGONAL) {
            for (size_t j = 0; j < d; j++)
                p->covariances[b * d + j] = 0.5 + uniform();
        } else {
            p->covariances[b] = 0.5 + uniform();
        }
    }
}

static int same_bits(const void *a, const void *b, size_t size)
{
    return memcmp(a, b, size) == 0;
}

/* One chunk of n rows through convert, log_prob and normalize under both
 * tables: the same bits. */
static void check_chunk(const gmm_kernel_params *narrow,
                        const gmm_kernel_params *wide, const double *X,
                        size_t n, size_t d, const char *what)
{
    size_t es = narrow->kernels->element_size;
    size_t rs = gmm_row_stride(d, wide->kernels->lanes);
    unsigned char *buf[2][2];
    double *norm[2];
    const gmm_kernel_params *p[2] = {narrow, wide};
    for (int w = 0; w < 2; w++) {
        buf[w][0] = calloc(gmm_chunk_size(d) + GMM_CHUNK_ROWS * rs, es);
        buf[w][1] = calloc(K * GMM_LANE_STRIDE, es);
        norm[w] = calloc(GMM_LANE_STRIDE, sizeof *norm[w]);
        p[w]->kernels->convert(X, n, d, p[w]->origin, buf[w][0], NULL);
        double shift = p[w]->kernels->log_prob(p[w], buf[w][0], n, buf[w][1]);
        p[w]->kernels->normalize(buf[w][1], n, K, shift, norm[w]);
    }
    for (size_t k = 0; k < K; k++)
        CHECK(same_bits(buf[0][1] + k * GMM_LANE_STRIDE * es,
                        buf[1][1] + k * GMM_LANE_STRIDE * es, n * es),
              "%s, %zu rows: responsibilities of component %zu differ", what,
              n, k);
    CHECK(same_bits(norm[0], norm[1], n * sizeof *norm[0]),
          "%s, %zu rows: log-norms differ", what, n);
    for (int w = 0; w < 2; w++)
        free(buf[w][0]), free(buf[w][1]), free(norm[w]);
}

static void check_close(const double *a, const double *b, size_t n,
                        double rel, const char *what, const char *name)
{
    double scale = 0.0;
    for (size_t i = 0; i < n; i++)
        scale = fmax(scale, fabs(b[i]));
    for (size_t i = 0; i < n; i++)
        if (!close_to(a[i], b[i], rel, scale)) {
            CHECK(0, "%s: %s[%zu] %.17g (wide) against %.17g", what, name, i,
                  a[i], b[i]);
            return;
        }
}

static void check_case(gmm_dtype dtype, gmm_covariance_type type, size_t d)
{
    char what[80];
    snprintf(what, sizeof what, "%s, %s, D = %zu",
             dtype == GMM_DTYPE_FLOAT32 ? "float32" : "float64",
             gmm_covariance_model_of(type)->name, d);
    gmm_error err;
    gmm_params params;
    CHECK_OK(gmm_params_alloc(&params, K, d, type, &err));
    make_params(&params, d);
    CHECK_OK(gmm_params_update_precisions(&params, &err));
    double *X = malloc(N_ROWS * d * sizeof *X);
    for (size_t i = 0; i < N_ROWS; i++)
        for (size_t j = 0; j < d; j++)
            X[i * d + j] = params.means[(i % K) * d + j] + 2.0 * (uniform() - 0.5);

    const gmm_kernels *tables[2] = {
        dtype == GMM_DTYPE_FLOAT32 ? &gmm_kernels_f32 : &gmm_kernels_f64,
        gmm_kernels_of(dtype)};
    gmm_kernel_params kp[2];
    gmm_stats stats[2];
    gmm_rows rows = gmm_rows_of_memory(X, N_ROWS, d);
    const gmm_covariance_model *m = gmm_covariance_model_of(type);
    for (int w = 0; w < 2; w++) {
        CHECK_OK(gmm_kernel_params_alloc(&kp[w], tables[w], K, d, type, &err));
        gmm_kernel_params_set(&kp[w], &params);
        CHECK_OK(gmm_stats_alloc(&stats[w], K, d, m->statistics, &err));
        CHECK_OK(gmm_estep_pass(&rows, &kp[w], 1, NULL, &stats[w], &err));
    }
    check_chunk(&kp[0], &kp[1], X, GMM_CHUNK_ROWS, d, what);
    check_chunk(&kp[0], &kp[1], X, 37, d, what);
    check_chunk(&kp[0], &kp[1], X, 1, d, what);
    CHECK(stats[0].log_likelihood == stats[1].log_likelihood,
          "%s: log-likelihood %.17g (wide) against %.17g", what,
          stats[1].log_likelihood, stats[0].log_likelihood);
    double rel = dtype == GMM_DTYPE_FLOAT32 ? 1e-5 : 1e-12;
    check_close(stats[1].nk, stats[0].nk, K, rel, what, "nk");
    check_close(stats[1].sk, stats[0].sk, K * d, rel, what, "sk");
    check_close(stats[1].qk, stats[0].qk, gmm_stats_q_size(&stats[0]), rel,
                what, "qk");
    for (int w = 0; w < 2; w++)
        gmm_kernel_params_free(&kp[w]), gmm_stats_release(&stats[w]);
    gmm_params_free(&params);
    free(X);
}

int main(void)
{
    if (strcmp(gmm_kernels_isa(), "avx512") != 0) {
        printf("skipped: this process runs the AVX2 kernels\n");
        return 77;
    }
    static const size_t dims[] = {1, 2, 3, 5, 8, 9, 16, 17, 33};
    static const gmm_covariance_type types[] = {
        GMM_COVARIANCE_FULL, GMM_COVARIANCE_TIED, GMM_COVARIANCE_DIAG,
        GMM_COVARIANCE_SPHERICAL};
    for (int t = 0; t < 2; t++)
        for (size_t c = 0; c < sizeof types / sizeof *types; c++)
            for (size_t i = 0; i < sizeof dims / sizeof *dims; i++)
                check_case(t ? GMM_DTYPE_FLOAT32 : GMM_DTYPE_FLOAT64, types[c],
                           dims[i]);
    return check_failures() != 0;
}
