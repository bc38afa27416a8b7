/*
 * kmeans_bounds_work.c — how much of Lloyd's distance work Hamerly's
 * bounds (em/bounds.h) skip: k-means from the first K rows, tol 0, the
 * given iterations, and the rows assigned over all passes against those
 * that went through the kernel (all K distances; the rest took one).
 *
 * Usage: kmeans_bounds_work FILE N D K ITERS   (FILE: N x D raw doubles)
 * Prints: assigned recomputed
 * Build: cc -O2 -Isrc -Iinclude bench/kmeans_bounds_work.c build/src/libgmm.a
 *        -lopenblas -lgomp -lm   (the flags of the build's libgmm.a)
 */
#include <stdio.h>
#include <stdlib.h>

#include "em/kmeans.h"
#include "rows/check.h"

int main(int argc, char **argv)
{
    if (argc != 6)
        return 2;
    size_t n = strtoul(argv[2], NULL, 10), d = strtoul(argv[3], NULL, 10);
    size_t k = strtoul(argv[4], NULL, 10);
    double *X = malloc(n * d * sizeof *X), *centers = malloc(k * d * sizeof *X);
    int *labels = malloc(n * sizeof *labels);
    FILE *f = fopen(argv[1], "rb");
    if (!X || !centers || !labels || !f || fread(X, sizeof *X, n * d, f) != n * d)
        return 1;
    fclose(f);
    gmm_kmeans_options o;
    gmm_kmeans_options_init(&o);
    o.n_clusters = k;
    o.init_centers = X;
    o.max_iter = atoi(argv[5]);
    o.tol = 0.0;
    gmm_rows rows;
    double *owned = NULL;
    gmm_error err;
    size_t work[2];
    gmm_kmeans_result result;
    if (gmm_rows_init(&rows, X, n, d, NULL, k, 0, &owned, &err) != GMM_OK ||
        gmm_kmeans_rows_work(&o, &rows, 1, centers, labels, &result, work,
                             &err) != GMM_OK)
        return 1;
    printf("%zu %zu\n", work[0], work[1]);
    free(owned);
    return 0;
}
