/*
 * scale_fit.c — a small driver for measuring out-of-core and MPI fits
 * until the gmm command has --memory (bench/RESULTS.md, section "Out of
 * core and MPI"): fits an .npy file with gmm_fit_npy, run plainly or under
 * mpirun, prints the time per EM iteration and writes the model as JSON
 * (rank 0), so that two runs can be compared with cmp.
 *
 *   scale_fit DATA.npy K COVARIANCE MEMORY_BYTES MAX_ITER MODEL.json
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dist/launch.h"
#include "gmm.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct timing {
    double start, first_iteration, last;
    int n_iter;
} timing;

static int on_progress(const gmm_progress *p, void *user_data)
{
    timing *t = user_data;
    if (p->n_iter == 0) /* a poll during the k-means initialization */
        return 0;
    t->last = now();
    if (p->n_iter == 1)
        t->first_iteration = t->last;
    t->n_iter = p->n_iter;
    return 0;
}

int main(int argc, char **argv)
{
    const void *comm;
    int rank, size;
    gmm_error err;
    if (gmm_mpi_start(&argc, &argv, &comm, &rank, &size, &err) != GMM_OK) {
        fprintf(stderr, "scale_fit: %s\n", err.message);
        return 1;
    }
    if (argc != 7) {
        fprintf(stderr, "usage: scale_fit DATA.npy K COVARIANCE MEMORY_BYTES "
                        "MAX_ITER MODEL.json\n");
        return 2;
    }
    timing t = {now(), 0, 0, 0};
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = strtoul(argv[2], NULL, 10);
    o.max_iter = atoi(argv[5]);
    o.tol = 0.0; /* a fixed number of iterations, to time them */
    o.progress = on_progress;
    o.progress_user_data = &t;
    gmm_status status = gmm_covariance_type_parse(argv[3], &o.covariance_type);
    gmm_model *model = gmm_model_new(&o, &err);
    if (status == GMM_OK && model)
        status = gmm_fit_npy(model, argv[1], strtoull(argv[4], NULL, 10), comm, &err);
    if (status == GMM_OK && rank == 0) {
        /* Iterations after the first: the first also pays the init. */
        printf("ranks %d  init+first iteration %.3f s  then %.3f s per iteration "
               "(%d iterations)\n", size, t.first_iteration - t.start,
               (t.last - t.first_iteration) / (t.n_iter - 1), t.n_iter);
        status = gmm_model_save(model, argv[6], &err);
    }
    if (status != GMM_OK)
        fprintf(stderr, "scale_fit: rank %d: %s\n", rank, err.message);
    gmm_model_free(model);
    gmm_mpi_stop(comm);
    return status != GMM_OK;
}
