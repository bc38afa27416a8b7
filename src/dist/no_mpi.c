/*
 * no_mpi.c — the MPI entry points of a build without MPI: distributed fits
 * are refused with GMM_ERR_UNSUPPORTED, and a program is one process.
 */
#include "dist/launch.h"
#include "dist/mpi_reducer.h"
#include "util/error.h"

gmm_status gmm_dist_reducer(const void *mpi_comm, gmm_reducer *reducer,
                            gmm_error *err)
{
    (void)mpi_comm, (void)reducer;
    return gmm_fail(err, GMM_ERR_UNSUPPORTED,
                    "this libgmm was built without MPI; rebuild where CMake "
                    "finds MPI (e.g. Debian's libopenmpi-dev)");
}

gmm_status gmm_mpi_start(int *argc, char ***argv, const void **mpi_comm,
                         int *rank, int *size, gmm_error *err)
{
    (void)argc, (void)argv;
    *mpi_comm = NULL;
    *rank = 0;
    *size = 1;
    /* Every process would otherwise run the whole fit on its own. */
    if (gmm_dist_launched_by_mpi())
        return gmm_fail(err, GMM_ERR_UNSUPPORTED,
                        "started by mpirun, but this gmm was built without MPI");
    return GMM_OK;
}

void gmm_mpi_stop(const void *mpi_comm)
{
    (void)mpi_comm;
}

/* No communicator exists in this build: each process answers for itself. */
gmm_status gmm_mpi_agree(const void *mpi_comm, gmm_error *outcome)
{
    (void)mpi_comm;
    return outcome->status;
}

int gmm_mpi_any_failed(const void *mpi_comm, int failed)
{
    (void)mpi_comm;
    return failed != 0;
}
