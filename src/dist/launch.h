/*
 * launch.h — MPI start-up and agreement for the gmm command (internal).
 *
 * Programs built on the library that start under mpirun need MPI set up
 * without including mpi.h themselves, and rank 0 must learn of a failure
 * on any rank in the steps around a distributed fit. These entry points
 * serve the command (cli/ranks.c) and the tests; they are not part of the
 * public API, and the shared library does not export them.
 */
#ifndef GMM_DIST_LAUNCH_H
#define GMM_DIST_LAUNCH_H

#include <stdlib.h>

#include "gmm.h"

/* Whether this process was started by mpirun or mpiexec (Open MPI, MPICH,
 * Slurm's PMI), from the environment they set: a plain run then stays a
 * plain process, without MPI's start-up cost. */
static inline int gmm_dist_launched_by_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") ||
           getenv("PMIX_RANK");
}

/* When this process was started by mpirun or mpiexec, initialize MPI
 * (unless already done) and give MPI_COMM_WORLD for gmm_fit_npy, this rank
 * and the number of ranks; otherwise *mpi_comm = NULL, rank 0, size 1, and
 * MPI is not touched. A build without MPI started by mpirun:
 * GMM_ERR_UNSUPPORTED. gmm_mpi_stop finalizes MPI if gmm_mpi_start gave a
 * communicator. */
gmm_status gmm_mpi_start(int *argc, char ***argv, const void **mpi_comm,
                         int *rank, int *size, gmm_error *err);
void gmm_mpi_stop(const void *mpi_comm);

/* Every rank's outcome, for a program's own steps around a distributed
 * fit (rank 0 could not write the model, say): a collective that every
 * rank of *mpi_comm calls with its outcome in *outcome (GMM_OK, or a
 * status and message). Returns GMM_OK when every rank passed GMM_OK.
 * Otherwise every rank fails: one that failed keeps its outcome; on the
 * others *outcome becomes the lowest failed rank's status with "MPI rank
 * R failed: <its message>". It is the very exchange gmm_fit_npy makes
 * before each of its sums: a rank that failed before a fit the others
 * started can call it instead, and meets them inside gmm_fit_npy, which
 * then fails on every rank. Once a failure is agreed, every rank knows of
 * it (as of any failure gmm_fit_npy returns): agree on nothing more, or a
 * rank that skipped ahead will not be there (the gmm command does so,
 * cli/ranks.c). With mpi_comm NULL: outcome->status. gmm_mpi_any_failed
 * is the same collective, reduced to whether `failed` is non-zero on any
 * rank (also 1 when the exchange itself fails). */
gmm_status gmm_mpi_agree(const void *mpi_comm, gmm_error *outcome);
int gmm_mpi_any_failed(const void *mpi_comm, int failed);

#endif
