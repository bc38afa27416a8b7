/*
 * test_mpi.c — run by mpirun with 1, 2 and 3 ranks: gmm_fit_npy over the
 * ranks (each reading only its own rows) agrees with the single-process
 * in-memory fit to 1e-12 relative, for every covariance type and
 * initializer, with rows streamed or in memory; every rank ends with the
 * same model. Only the order of summation differs. gmm_mpi_any_failed
 * tells every rank of one rank's failure.
 */
#include <mpi.h>

#include "dist/launch.h"
#include "scale_data.h"

#define N_ROWS 9001 /* not a multiple of 2 or 3: slices differ in size */
#define TOLERANCE 1e-12

static int rank;

static void check_agrees(const char *path, const double *X,
                         gmm_covariance_type type, gmm_init_method init,
                         size_t memory_limit)
{
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = SCALE_K;
    o.covariance_type = type;
    o.init_params = init;
    o.seed = 3;
    o.n_threads = 1;
    gmm_model *single = gmm_model_new(&o, NULL), *spread = gmm_model_new(&o, NULL);
    gmm_error err;
    MPI_Comm comm = MPI_COMM_WORLD;
    CHECK_OK(gmm_fit(single, X, N_ROWS, SCALE_D, NULL, &err));
    gmm_status status = gmm_fit_npy(spread, path, memory_limit, &comm, &err);
    CHECK(status == GMM_OK, "rank %d: gmm_fit_npy: %s", rank, err.message);
    char what[128];
    snprintf(what, sizeof what, "rank %d: %s, %s, limit %zu", rank,
             gmm_covariance_type_name(type), gmm_init_method_name(init),
             memory_limit);
    if (status == GMM_OK) {
        double diff = scale_compare(spread, single, what);
        CHECK(diff <= TOLERANCE, "%s: differs from one process by %g", what, diff);
        /* Every rank holds the same bits as rank 0. */
        size_t k = SCALE_K, d = SCALE_D, size = k * d;
        double mine[SCALE_K * SCALE_D], first[SCALE_K * SCALE_D];
        memcpy(mine, gmm_model_means(spread), size * sizeof *mine);
        memcpy(first, mine, sizeof first);
        MPI_Bcast(first, (int)size, MPI_DOUBLE, 0, comm);
        CHECK(memcmp(mine, first, sizeof mine) == 0, "%s: ranks disagree", what);
        if (rank == 0)
            printf("%-40s max relative difference %.3g\n", what + 8, diff);
    }
    gmm_model_free(single);
    gmm_model_free(spread);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (argc != 2) {
        fprintf(stderr, "usage: mpirun -np P test_mpi DATA.npy\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    MPI_Comm comm_world = MPI_COMM_WORLD;
    double *X = scale_sample(N_ROWS, 5);
    if (rank == 0)
        scale_write_npy(argv[1], X, N_ROWS, SCALE_D);
    MPI_Barrier(MPI_COMM_WORLD);

    for (size_t t = 0; t < 4; t++)
        for (size_t i = 0; i < 4; i++)
            check_agrees(argv[1], X, scale_types[t], scale_inits[i], 0);
    /* Streamed slices: one chunk of 256 rows at a time. */
    check_agrees(argv[1], X, GMM_COVARIANCE_FULL, GMM_INIT_KMEANS,
                 256 * SCALE_D * sizeof(double));
    check_agrees(argv[1], X, GMM_COVARIANCE_DIAG, GMM_INIT_KMEANS_PLUSPLUS,
                 256 * SCALE_D * sizeof(double));
    free(X);
    /* One rank's failure is every rank's. */
    CHECK(gmm_mpi_any_failed(&comm_world, 0) == 0, "no rank failed");
    CHECK(gmm_mpi_any_failed(&comm_world, rank == 0) == 1, "rank 0 failed");
    int failed = check_failures() != 0, any;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Finalize();
    return any;
}
