/*
 * bench_fit.c — libgmm's side of the benchmark: load a case's data and
 * initial parameters, run gmm_fit for exactly ITERATIONS EM iterations
 * (tol 0) from them, and time the fit alone (no loading, no process
 * start), as every peer is timed: the median over repeated fits
 * (bench_common.h, bench_repeats).
 *
 * Usage: bench_fit DATA.npy INIT.json ITERATIONS THREADS OUT.json [DTYPE]
 * (DTYPE float64, the default, or float32: gmm_options.dtype)
 * Prints: seconds_per_iteration n_iter cpu_seconds_per_iteration lower_bound
 * (the times are medians over the repeats)
 */
#include "bench_common.h"
#include "gmm.h"

int main(int argc, char **argv)
{
    if (argc < 6)
        bench_die("usage", "bench_fit DATA.npy INIT.json ITERATIONS THREADS OUT.json [DTYPE]");
    size_t n_rows, d;
    double *X = bench_load_npy(argv[1], &n_rows, &d);
    bench_init init = bench_load_init(argv[2]);

    gmm_options o;
    gmm_options_init(&o);
    o.n_components = init.n_components;
    if (gmm_covariance_type_parse(init.covariance_type, &o.covariance_type) != GMM_OK)
        bench_die(argv[2], "bad covariance_type");
    o.tol = 0.0;
    o.max_iter = atoi(argv[3]);
    o.n_threads = atoi(argv[4]);
    o.weights_init = init.weights;
    o.means_init = init.means;
    o.covariances_init = init.covariances;
    if (argc > 6 && gmm_dtype_parse(argv[6], &o.dtype) != GMM_OK)
        bench_die(argv[6], "dtype must be float64 or float32");

    gmm_error err;
    gmm_model *model = gmm_model_new(&o, &err);
    if (!model)
        bench_die("gmm_model_new", err.message);
    /* Without warm_start every fit starts again from the init parameters. */
    bench_repeats r = {0};
    while (bench_more(&r)) {
        bench_begin(&r);
        if (gmm_fit(model, X, n_rows, d, NULL, &err) != GMM_OK)
            bench_die("gmm_fit", err.message);
        bench_end(&r, gmm_model_n_iter(model));
    }
    int n_iter = gmm_model_n_iter(model);
    bench_save(argv[5], init.covariance_type, init.n_components, d,
               gmm_model_weights(model), gmm_model_means(model),
               gmm_model_covariances(model), gmm_model_covariance_size(model));
    printf("%.9g %d %.9g %.17g\n", bench_median(r.wall, r.n), n_iter,
           bench_median(r.cpu, r.n), gmm_model_lower_bound(model));
    gmm_model_free(model);
    free(X);
    return 0;
}
