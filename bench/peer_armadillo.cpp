/*
 * peer_armadillo.cpp — Armadillo's gmm_full / gmm_diag (Debian's
 * libarmadillo-dev) on a benchmark case: same data, same initial
 * parameters (set_params, then learn with keep_existing and no k-means),
 * a fixed number of EM iterations, var_floor 1e-6 (Armadillo's nearest to
 * reg_covar: a floor, not an addition). Armadillo parallelises its EM with
 * OpenMP, so the thread count is OMP_NUM_THREADS. Armadillo stores data
 * column-major D x N, which is exactly our row-major N x D: no copy.
 *
 * Usage: peer_armadillo DATA.npy INIT.json ITERATIONS OUT.json
 * Prints: seconds_per_iteration n_iter cpu_seconds_per_iteration (medians
 * over repeated fits, bench_common.h)
 */
#include <armadillo>

#include "bench_common.h"

int main(int argc, char **argv)
{
    if (argc < 5)
        bench_die("usage", "peer_armadillo DATA.npy INIT.json ITERATIONS OUT.json");
    size_t n_rows, d;
    double *X = bench_load_npy(argv[1], &n_rows, &d);
    bench_init init = bench_load_init(argv[2]);
    size_t k = init.n_components;
    int iters = atoi(argv[3]);
    arma::mat data(X, d, n_rows, false, true);
    arma::mat means(init.means, d, k);
    arma::rowvec hefts(init.weights, k);
    bool full = strcmp(init.covariance_type, "full") == 0;
    if (!full && strcmp(init.covariance_type, "diag") != 0)
        bench_die("peer_armadillo", "Armadillo has full and diag only");

    /* Repeated fits (bench_common.h), each from the initial parameters. */
    static bench_repeats r;
    if (full) {
        arma::gmm_full model;
        arma::cube covs(init.covariances, d, d, k);
        while (bench_more(&r)) {
            model.set_params(means, covs, hefts);
            bench_begin(&r);
            if (!model.learn(data, k, arma::maha_dist, arma::keep_existing, 0, iters,
                             1e-6, false))
                bench_die("gmm_full", "learn failed");
            bench_end(&r, iters);
        }
        bench_save(argv[4], "full", k, d, model.hefts.memptr(), model.means.memptr(),
                   model.fcovs.memptr(), k * d * d);
    } else {
        arma::gmm_diag model;
        arma::mat covs(init.covariances, d, k);
        while (bench_more(&r)) {
            model.set_params(means, covs, hefts);
            bench_begin(&r);
            if (!model.learn(data, k, arma::maha_dist, arma::keep_existing, 0, iters,
                             1e-6, false))
                bench_die("gmm_diag", "learn failed");
            bench_end(&r, iters);
        }
        bench_save(argv[4], "diag", k, d, model.hefts.memptr(), model.means.memptr(),
                   model.dcovs.memptr(), k * d);
    }
    printf("%.9g %d %.9g\n", bench_median(r.wall, r.n), iters, bench_median(r.cpu, r.n));
    free(X);
    return 0;
}
