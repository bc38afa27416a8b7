/*
 * mpi_reducer.h — the MPI side of a distributed fit (dist layer,
 * internal): rows/reducer.h's agreements and sums over MPI ranks. Built
 * from mpi.c when CMake finds MPI, and from no_mpi.c (which only says so)
 * otherwise, so nothing else in the library depends on mpi.h.
 */
#ifndef GMM_DIST_MPI_REDUCER_H
#define GMM_DIST_MPI_REDUCER_H

#include "rows/reducer.h"

/* A reducer over the communicator *mpi_comm (an MPI_Comm): MPI_Allreduce
 * with MPI_SUM. GMM_ERR_UNSUPPORTED in a build without MPI. */
gmm_status gmm_dist_reducer(const void *mpi_comm, gmm_reducer *reducer,
                            gmm_error *err);

#endif
