/*
 * mem_bandwidth.c — the machine's measured read bandwidth from memory, the
 * yardstick for the data read rates in the tables: what an EM pass must
 * at least do is read the data once. THREADS OpenMP threads sum a 1 GiB
 * array of doubles (32 times the L3), each thread its contiguous share,
 * as our passes read their blocks; best of 5 passes.
 *
 * Usage: mem_bandwidth THREADS
 * Prints: GB (1e9 bytes) read per wall second, the best pass
 */
#include <omp.h>

#include "bench_common.h"

typedef double v4d __attribute__((vector_size(32)));

/* The sum of x[0 .. n), n a multiple of 16, in 4 independent vector
 * chains so that the additions never wait on each other: memory is the
 * only bound left. */
static double read_all(const double *x, size_t n)
{
    v4d s[4] = {{0}};
    for (size_t i = 0; i < n; i += 16)
        for (int c = 0; c < 4; c++) {
            v4d v;
            memcpy(&v, x + i + 4 * c, sizeof v);
            s[c] += v;
        }
    v4d t = (s[0] + s[1]) + (s[2] + s[3]);
    return (t[0] + t[1]) + (t[2] + t[3]);
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    const size_t n = (size_t)1 << 27; /* 1 GiB of doubles */
    double *x = (double *)malloc(n * sizeof *x);
    if (!x)
        bench_die("mem_bandwidth", "out of memory");
    /* Touched by the threads that will read it, so that the pages are
     * mapped before any timing. */
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < n; i++)
        x[i] = (double)(i & 1023);
    double best = 1e30, sink = 0.0;
    for (int rep = 0; rep < 5; rep++) {
        double start = bench_seconds(), total = 0.0;
#pragma omp parallel num_threads(threads) reduction(+ : total)
        {
            size_t t = (size_t)omp_get_thread_num(), nt = (size_t)omp_get_num_threads();
            size_t share = n / nt / 16 * 16, begin = t * share;
            size_t end = t + 1 == nt ? n : begin + share;
            total += read_all(x + begin, end - begin);
        }
        double elapsed = bench_seconds() - start;
        sink += total;
        if (elapsed < best)
            best = elapsed;
    }
    /* The sums are printed to stderr so that no pass can be optimised
     * away. */
    fprintf(stderr, "checksum %g\n", sink);
    printf("%.2f\n", (double)(n * sizeof *x) / best * 1e-9);
    free(x);
    return 0;
}
