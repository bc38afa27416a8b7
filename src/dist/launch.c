/*
 * launch.c — was this process started by an MPI launcher (reducer.h)?
 * A plain run then stays a plain process, without MPI's start-up cost.
 */
#include <stdlib.h>

#include "dist/reducer.h"

int gmm_dist_launched_by_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") ||
           getenv("PMIX_RANK");
}
