/*
 * mpi.c — sums across MPI ranks (reducer.h) and starting MPI for programs
 * that do not include mpi.h (gmm.h's gmm_mpi_start). Compiled only when
 * CMake finds MPI.
 *
 * One MPI_Allreduce per pass carries everything the pass summed: for an
 * EM iteration K(1 + D + Q) + 1 doubles (Q = D^2 for full covariances),
 * plus one failure flag per rank. Open MPI's allreduce algorithms end with
 * the same bits on every rank (each partial sum is computed once and
 * copied), which the identical decisions of every rank rely on.
 */
#include <limits.h>
#include <mpi.h>

#include "dist/reducer.h"
#include "util/error.h"

static gmm_status allreduce_sum(void *context, double *values, size_t count,
                                gmm_error *err)
{
    MPI_Comm comm = *(const MPI_Comm *)context;
    /* MPI counts are int: long vectors go in pieces. */
    while (count > 0) {
        int piece = count > INT_MAX ? INT_MAX : (int)count;
        int code = MPI_Allreduce(MPI_IN_PLACE, values, piece, MPI_DOUBLE, MPI_SUM,
                                 comm);
        if (code != MPI_SUCCESS) {
            char text[MPI_MAX_ERROR_STRING];
            int length = 0;
            MPI_Error_string(code, text, &length);
            return gmm_fail(err, GMM_ERR_IO, "MPI_Allreduce of %d numbers failed: %s",
                            piece, text);
        }
        values += piece;
        count -= (size_t)piece;
    }
    return GMM_OK;
}

gmm_status gmm_dist_reducer(const void *mpi_comm, gmm_reducer *reducer,
                            gmm_error *err)
{
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized)
        return gmm_fail(err, GMM_ERR_INVALID,
                        "MPI is not initialized: call MPI_Init before a "
                        "distributed fit");
    MPI_Comm comm = *(const MPI_Comm *)mpi_comm;
    reducer->sum = allreduce_sum;
    reducer->context = (void *)mpi_comm;
    MPI_Comm_rank(comm, &reducer->rank);
    MPI_Comm_size(comm, &reducer->size);
    return GMM_OK;
}

/* MPI_COMM_WORLD is a link-time constant: no state is kept here. */
static const MPI_Comm world = MPI_COMM_WORLD;

gmm_status gmm_mpi_start(int *argc, char ***argv, const void **mpi_comm,
                         int *rank, int *size, gmm_error *err)
{
    *mpi_comm = NULL;
    *rank = 0;
    *size = 1;
    if (!gmm_dist_launched_by_mpi())
        return GMM_OK;
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized && MPI_Init(argc, argv) != MPI_SUCCESS)
        return gmm_fail(err, GMM_ERR_IO, "MPI_Init failed");
    *mpi_comm = &world;
    MPI_Comm_rank(world, rank);
    MPI_Comm_size(world, size);
    return GMM_OK;
}

void gmm_mpi_stop(const void *mpi_comm)
{
    int finalized = 0;
    if (!mpi_comm || (MPI_Finalized(&finalized), finalized))
        return;
    MPI_Finalize();
}

int gmm_mpi_any_failed(const void *mpi_comm, int failed)
{
    int mine = failed != 0, any = 1;
    if (!mpi_comm)
        return mine;
    /* A failed exchange counts as a failure: no rank may go on alone. */
    if (MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_LOR,
                      *(const MPI_Comm *)mpi_comm) != MPI_SUCCESS)
        return 1;
    return any;
}
