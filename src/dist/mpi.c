/*
 * mpi.c — sums across MPI ranks (mpi_reducer.h) and starting MPI for
 * programs that do not include mpi.h (launch.h's gmm_mpi_start). Compiled
 * only when CMake finds MPI.
 *
 * One MPI_Allreduce per pass carries everything the pass summed: for an
 * EM iteration K(1 + D + Q) + 1 doubles (Q = D^2 for full covariances).
 * Open MPI's allreduce algorithms end with the same bits on every rank
 * (each partial sum is computed once and copied), which the identical
 * decisions of every rank rely on.
 *
 * Before it, an agreement (rows/rows.h's gmm_reducer): an MPI_Allreduce of
 * one (failed, rank) pair with MPI_MAXLOC, which gives every rank the
 * lowest failed rank, then, only when one failed, an MPI_Bcast of its
 * gmm_error from it. Every agreement in the library and in gmm_mpi_agree
 * is this same pair of calls, so a rank that failed and skipped ahead to
 * a later agreement still meets the others in theirs. Its cost, two ints
 * per pass, is one more latency (microseconds) beside the sum; carrying
 * the flags inside the sum, as before, needed every rank to know the
 * sum's size, which a rank that failed early does not.
 */
#include <limits.h>
#include <mpi.h>
#include <stdio.h>

#include "dist/launch.h"
#include "dist/mpi_reducer.h"
#include "util/error.h"

/* The agreement every rank makes (see above). On failure the message of
 * the lowest failed rank travels whole: ranks other than 0 print nothing
 * in the gmm command, so rank 0 must say what went wrong there. */
static gmm_status agree_on(MPI_Comm comm, gmm_status local, gmm_error *err)
{
    struct {
        int failed;
        int rank;
    } mine = {local != GMM_OK, 0}, first;
    MPI_Comm_rank(comm, &mine.rank);
    if (MPI_Allreduce(&mine, &first, 1, MPI_2INT, MPI_MAXLOC, comm) != MPI_SUCCESS)
        return gmm_fail(err, GMM_ERR_IO, "MPI_Allreduce of the ranks' failure "
                        "flags failed");
    if (!first.failed)
        return GMM_OK;
    gmm_error failure = {local, ""};
    if (mine.failed)
        snprintf(failure.message, sizeof failure.message, "%s",
                 err && err->message[0] ? err->message : gmm_strerror(local));
    if (MPI_Bcast(&failure, (int)sizeof failure, MPI_BYTE, first.rank, comm) !=
        MPI_SUCCESS && !mine.failed)
        return gmm_fail(err, GMM_ERR_IO, "MPI rank %d failed", first.rank);
    if (mine.failed)
        return local;
    return gmm_fail(err, failure.status, "MPI rank %d failed: %s", first.rank,
                    failure.message);
}

static gmm_status agree(void *context, gmm_status local, gmm_error *err)
{
    return agree_on(*(const MPI_Comm *)context, local, err);
}

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
    *reducer = (gmm_reducer){.agree = agree, .sum = allreduce_sum,
                             .context = (void *)mpi_comm};
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

gmm_status gmm_mpi_agree(const void *mpi_comm, gmm_error *outcome)
{
    if (!mpi_comm)
        return outcome->status;
    return agree_on(*(const MPI_Comm *)mpi_comm, outcome->status, outcome);
}

int gmm_mpi_any_failed(const void *mpi_comm, int failed)
{
    gmm_error outcome = {failed ? GMM_ERR_INVALID : GMM_OK, ""};
    return gmm_mpi_agree(mpi_comm, &outcome) != GMM_OK;
}
