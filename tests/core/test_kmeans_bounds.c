/*
 * test_kmeans_bounds.c — Lloyd with Hamerly's bounds (em/bounds.h) gives
 * plain Lloyd's labels, centres and inertia bit for bit after every
 * iteration (runs of 1, 2, ... iterations from the same centres), on
 * 1, 2 and 3 threads: separated blobs (where the bounds keep most rows,
 * which is checked, so the comparison is not empty), weighted rows, data
 * far from the origin, integer data full of exact ties (rows equidistant
 * from several centres, duplicated centres, where the lower index must
 * win), K = 1 and K = n.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "em/kmeans.h"
#include "rows/check.h"

typedef struct run {
    double *centers;
    int *labels;
    gmm_kmeans_result result;
    size_t work[2];
} run;

static void run_kmeans(const double *X, size_t n, size_t d, const double *w,
                       const double *init, size_t k, int iters, int threads,
                       int bounded, run *out)
{
    gmm_kmeans_options o;
    gmm_kmeans_options_init(&o);
    o.n_clusters = k;
    o.init_centers = init;
    o.max_iter = iters;
    o.tol = 0.0;
    o.n_threads = threads;
    gmm_rows rows;
    double *owned = NULL;
    gmm_error err;
    CHECK_OK(gmm_rows_init(&rows, X, n, d, w, k, threads, &owned, &err));
    CHECK_OK(gmm_kmeans_rows_work(&o, &rows, bounded, out->centers,
                                  out->labels, &out->result, out->work, &err));
    free(owned);
}

/* Bounded against plain after 1 .. iters iterations; returns the rows
 * the bounds kept (not recomputed) over all bounded runs. */
static size_t compare(const char *name, const double *X, size_t n, size_t d,
                      const double *w, const double *init, size_t k, int iters)
{
    run plain, bounded;
    memset(&plain, 0, sizeof plain);
    memset(&bounded, 0, sizeof bounded);
    plain.centers = malloc(k * d * sizeof(double));
    bounded.centers = malloc(k * d * sizeof(double));
    plain.labels = malloc(n * sizeof(int));
    bounded.labels = malloc(n * sizeof(int));
    size_t kept = 0;
    for (int it = 1; it <= iters; it++) {
        run_kmeans(X, n, d, w, init, k, it, 1, 0, &plain);
        CHECK(plain.work[0] == plain.work[1], "%s: plain Lloyd skipped rows", name);
        for (int threads = 1; threads <= 3; threads++) {
            run_kmeans(X, n, d, w, init, k, it, threads, 1, &bounded);
            kept += bounded.work[0] - bounded.work[1];
            size_t wrong = 0;
            for (size_t i = 0; i < n; i++)
                wrong += plain.labels[i] != bounded.labels[i];
            CHECK(wrong == 0 &&
                      memcmp(plain.centers, bounded.centers,
                             k * d * sizeof(double)) == 0 &&
                      memcmp(&plain.result.inertia, &bounded.result.inertia,
                             sizeof(double)) == 0 &&
                      plain.result.n_iter == bounded.result.n_iter,
                  "%s (K = %zu, D = %zu), %d iterations, %d threads: %zu "
                  "labels differ, inertia %.17g against plain %.17g", name, k,
                  d, it, threads, wrong, bounded.result.inertia,
                  plain.result.inertia);
        }
    }
    free(plain.centers);
    free(plain.labels);
    free(bounded.centers);
    free(bounded.labels);
    return kept;
}

int main(void)
{
    /* Separated blobs, a few centres per blob: most rows keep their
     * labels by the bounds once the centres settle. */
    size_t n = 1500;
    for (size_t d = 1; d <= 17; d += 8)
        for (size_t k = 1; k <= 40; k = k * 4 + 3) {
            double *X = blobs(n, d, 5, 30.0, 0.0, 7 + d * k);
            size_t kept = compare("blobs", X, n, d, NULL, X + 7 * d, k, 8);
            CHECK(k == 1 || kept > 0, "blobs K = %zu, D = %zu: the bounds "
                  "kept no row", k, d);
            free(X);
        }

    /* Weights, and data far from the origin, where the squares round. */
    double *X = blobs(n, 9, 6, 8.0, 0.0, 21), *w = malloc(n * sizeof *w);
    for (size_t i = 0; i < n; i++)
        w[i] = 0.25 + (double)(i % 7);
    compare("weighted", X, n, 9, w, X, 12, 8);
    free(X);
    X = blobs(n, 6, 4, 3.0, 1e8, 5);
    CHECK(compare("far from the origin", X, n, 6, NULL, X + 60, 10, 10) > 0,
          "far from the origin: the bounds kept no row");
    free(X);

    /* Integers in [0, 3]: rows at equal distance from several centres,
     * and centres duplicated (2 = 0, 5 = 4), every tie to the first. */
    gmm_rng rng;
    gmm_rng_seed(&rng, 99);
    for (size_t d = 1; d <= 6; d += 5) {
        X = malloc(n * d * sizeof *X);
        for (size_t i = 0; i < n * d; i++)
            X[i] = (double)(int)(4.0 * gmm_rng_uniform(&rng));
        double init[9 * 6];
        memcpy(init, X + 100 * d, 9 * d * sizeof *init);
        memcpy(init + 2 * d, init, d * sizeof *init);
        memcpy(init + 5 * d, init + 4 * d, d * sizeof *init);
        compare("ties", X, n, d, NULL, init, 9, 6);
        free(X);
    }

    /* K = n: every row its own centre. */
    X = blobs(64, 3, 4, 10.0, 0.0, 3);
    compare("K = n", X, 64, 3, NULL, X, 64, 3);
    free(X);
    free(w);
    return check_failures() != 0;
}
