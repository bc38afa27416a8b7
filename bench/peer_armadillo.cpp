/*
 * peer_armadillo.cpp — Armadillo's gmm_full / gmm_diag (Debian's
 * libarmadillo-dev) on a benchmark case: same data, same initial
 * parameters (set_params, then learn with keep_existing and no k-means),
 * at most ITERATIONS EM iterations (see below), var_floor 1e-6 (Armadillo's
 * nearest to reg_covar: a floor, not an addition). Armadillo parallelises
 * its EM with OpenMP, so the thread count is OMP_NUM_THREADS. Armadillo
 * stores data column-major D x N, which is exactly our row-major N x D: no
 * copy.
 *
 * Armadillo's EM cannot be told to run exactly ITERATIONS iterations: its
 * em_iterate (gmm_full_meat.hpp / gmm_diag_meat.hpp) breaks out of the loop
 * as soon as |avg_log_p - previous avg_log_p| <= machine epsilon, and that
 * test cannot be switched off (tol 0 is not an option; calling learn one
 * iteration at a time would add learn's own data passes, X.is_finite() and
 * var(X), to every iteration). So the iterations it really ran are counted
 * and the time is divided by them: one untimed fit with print_mode on, its
 * output sent to a string stream (arma::set_cout_stream), counts the lines
 * "EM: iteration:" that em_iterate prints once per completed iteration (E-
 * and M-step, then the test); the timed fits run with print_mode off, and
 * each must end bit-identical to the counted fit (Armadillo's EM is
 * deterministic: fixed per-thread row ranges, summed in order), or the
 * program stops. The count is printed as n_iter; run.py records it and
 * table.py flags a cell whose n_iter is below the case's iterations.
 *
 * Usage: peer_armadillo DATA.npy INIT.json ITERATIONS OUT.json
 * Prints: seconds_per_iteration n_iter cpu_seconds_per_iteration (medians
 * over repeated fits, bench_common.h), n_iter being the iterations Armadillo
 * really ran (at most ITERATIONS)
 */
#include <armadillo>
#include <sstream>
#include <string>

#include "bench_common.h"

/* Lines of em_iterate's verbose output, one per completed EM iteration. */
static int count_em_iterations(const std::string &log)
{
    int n = 0;
    for (size_t at = log.find("EM: iteration:"); at != std::string::npos;
         at = log.find("EM: iteration:", at + 1))
        n++;
    return n;
}

/* The counted fit and a timed fit must agree to the bit. */
static bool same_values(const double *x, const double *y, size_t n)
{
    return memcmp(x, y, n * sizeof(double)) == 0;
}

static bool same_fit(const arma::gmm_full &a, const arma::gmm_full &b)
{
    return same_values(a.hefts.memptr(), b.hefts.memptr(), a.hefts.n_elem) &&
           same_values(a.means.memptr(), b.means.memptr(), a.means.n_elem) &&
           same_values(a.fcovs.memptr(), b.fcovs.memptr(), a.fcovs.n_elem);
}

static bool same_fit(const arma::gmm_diag &a, const arma::gmm_diag &b)
{
    return same_values(a.hefts.memptr(), b.hefts.memptr(), a.hefts.n_elem) &&
           same_values(a.means.memptr(), b.means.memptr(), a.means.n_elem) &&
           same_values(a.dcovs.memptr(), b.dcovs.memptr(), a.dcovs.n_elem);
}

/* Fit from the initial parameters: once untimed with print_mode on to count
 * the iterations Armadillo really runs, then repeatedly timed (bench_common.h),
 * charging each timed fit for the counted iterations. */
template <typename Model, typename Covs>
static int fit(Model &model, const arma::mat &data, const arma::mat &means,
               const Covs &covs, const arma::rowvec &hefts, int iters, bench_repeats *r)
{
    size_t k = means.n_cols;
    Model counted;
    counted.set_params(means, covs, hefts);
    std::ostringstream log;
    arma::set_cout_stream(log);
    bool ok = counted.learn(data, k, arma::maha_dist, arma::keep_existing, 0, iters, 1e-6,
                            true);
    arma::set_cout_stream(std::cout);
    if (!ok)
        bench_die("peer_armadillo", "learn failed");
    int n_iter = count_em_iterations(log.str());
    if (n_iter < 1 || n_iter > iters)
        bench_die("peer_armadillo", "cannot count the EM iterations from print_mode output");
    while (bench_more(r)) {
        model.set_params(means, covs, hefts);
        bench_begin(r);
        if (!model.learn(data, k, arma::maha_dist, arma::keep_existing, 0, iters, 1e-6,
                         false))
            bench_die("peer_armadillo", "learn failed");
        bench_end(r, n_iter);
        if (!same_fit(model, counted))
            bench_die("peer_armadillo", "a timed fit differs from the counted fit");
    }
    return n_iter;
}

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

    static bench_repeats r;
    int n_iter;
    if (full) {
        arma::gmm_full model;
        arma::cube covs(init.covariances, d, d, k);
        n_iter = fit(model, data, means, covs, hefts, iters, &r);
        bench_save(argv[4], "full", k, d, model.hefts.memptr(), model.means.memptr(),
                   model.fcovs.memptr(), k * d * d);
    } else {
        arma::gmm_diag model;
        arma::mat covs(init.covariances, d, k);
        n_iter = fit(model, data, means, covs, hefts, iters, &r);
        bench_save(argv[4], "diag", k, d, model.hefts.memptr(), model.means.memptr(),
                   model.dcovs.memptr(), k * d);
    }
    printf("%.9g %d %.9g\n", bench_median(r.wall, r.n), n_iter, bench_median(r.cpu, r.n));
    free(X);
    return 0;
}
