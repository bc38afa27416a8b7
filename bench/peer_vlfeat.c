/*
 * peer_vlfeat.c — VLFeat's vl_gmm (Debian's libvlfeat-dev; diagonal
 * covariances only) on a benchmark case: same data, same initial
 * parameters (VlGMMCustom), covariance lower bound 1e-6, OpenMP threads
 * from the command line. vl_gmm_em may stop early (relative change below
 * 1e-5), so its verbose output is counted to learn how many M-steps ran;
 * it also runs one E-step more than M-steps, which is charged to it.
 *
 * Usage: peer_vlfeat DATA.npy INIT.json ITERATIONS THREADS OUT.json
 * Prints: seconds_per_iteration n_iter cpu_seconds_per_iteration (medians
 * over repeated fits, bench_common.h)
 */
#include <stdarg.h>
#include <vl/generic.h>
#include <vl/gmm.h>

#include "bench_common.h"

static int n_estep_lines;

/* VLFeat prints one "gmm: em: iteration" line per E-step when verbose. */
static int count_iterations(char const *format, ...)
{
    if (strstr(format, "iteration %d"))
        n_estep_lines++;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 6)
        bench_die("usage", "peer_vlfeat DATA.npy INIT.json ITERATIONS THREADS OUT.json");
    size_t n_rows, d;
    double *X = bench_load_npy(argv[1], &n_rows, &d);
    bench_init init = bench_load_init(argv[2]);
    size_t k = init.n_components;
    if (strcmp(init.covariance_type, "diag") != 0)
        bench_die("peer_vlfeat", "VLFeat has diagonal covariances only");
    vl_set_num_threads(atoi(argv[4]));
    vl_set_printf_func(count_iterations);

    VlGMM *gmm = vl_gmm_new(VL_TYPE_DOUBLE, d, k);
    vl_gmm_set_initialization(gmm, VlGMMCustom);
    vl_gmm_set_max_num_iterations(gmm, (vl_size)atoi(argv[3]));
    vl_gmm_set_covariance_lower_bound(gmm, 1e-6);
    vl_gmm_set_verbosity(gmm, 1);
    /* Repeated fits (bench_common.h), each from the initial parameters. */
    static bench_repeats r;
    int n_iter = 0;
    while (bench_more(&r)) {
        vl_gmm_set_means(gmm, init.means);
        vl_gmm_set_covariances(gmm, init.covariances);
        vl_gmm_set_priors(gmm, init.weights);
        n_estep_lines = 0;
        bench_begin(&r);
        vl_gmm_em(gmm, X, n_rows);
        n_iter = n_estep_lines - 1;
        bench_end(&r, n_iter);
    }
    bench_save(argv[5], "diag", k, d, vl_gmm_get_priors(gmm), vl_gmm_get_means(gmm),
               vl_gmm_get_covariances(gmm), k * d);
    printf("%.9g %d %.9g\n", bench_median(r.wall, r.n), n_iter, bench_median(r.cpu, r.n));
    vl_gmm_delete(gmm);
    free(X);
    return 0;
}
