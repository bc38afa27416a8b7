/*
 * dgemm_peak.c — the machine's measured dgemm rate, the yardstick for
 * GFLOP/s fractions: OpenBLAS dgemm on 4000 x 4000 matrices (large enough
 * to reach its plateau), best of 3, with the thread count given.
 *
 * Usage: dgemm_peak THREADS
 * Prints: GFLOP per wall second, GFLOP per CPU second (best runs)
 */
#include <cblas.h>

#include "bench_common.h"

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    openblas_set_num_threads(threads);
    const int n = 4000;
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n),
           *c = malloc(sizeof(double) * n * n);
    for (long i = 0; i < (long)n * n; i++)
        a[i] = 1.0 / (double)(i % 97 + 1), b[i] = (double)(i % 13), c[i] = 0.0;
    double best = 1e30, best_cpu = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double start = bench_seconds(), cpu_start = bench_cpu_seconds();
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b,
                    n, 0.0, c, n);
        double t = bench_seconds() - start, cpu = bench_cpu_seconds() - cpu_start;
        if (t < best)
            best = t;
        if (cpu < best_cpu)
            best_cpu = cpu;
    }
    double flops = 2.0 * n * (double)n * n;
    printf("%.2f %.2f\n", flops / best * 1e-9, flops / best_cpu * 1e-9);
    free(a), free(b), free(c);
    return 0;
}
