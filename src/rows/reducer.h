/*
 * reducer.h — sums across processes, and the agreement on failure that
 * comes before each: the protocol every collective of a distributed fit
 * follows (dist/mpi.c implements it over MPI). One process needs none:
 * a NULL reducer, or one of size 1, makes every call the identity.
 */
#ifndef GMM_ROWS_REDUCER_H
#define GMM_ROWS_REDUCER_H

#include <stddef.h>

#include "gmm.h"

/* Sums across processes, and agreement on failure. A process can fail
 * anywhere (a read, an allocation, an option only it rejects), and return
 * from wherever it was: it need not reach the collective the others wait
 * in. So every collective is preceded by an agreement, one exchange of
 * the same shape wherever it is made: whichever agreement a failed process
 * makes first matches the one the others wait in, every process then
 * knows of the failure, and none communicates again (stopped). Sums are
 * only made after an agreement in which no process failed, when all are
 * at the same point.
 *
 * agree returns GMM_OK when no process failed; otherwise it fails on
 * every process: with local and its own message in err where local
 * failed, elsewhere with the status of the lowest failed rank and "MPI
 * rank R failed: <its message>". Its message is taken from err where
 * local failed (err may be NULL: then the status's description).
 * sum replaces values by their element-wise sum over all processes; every
 * process must receive the identical result (each then takes the same
 * decisions: convergence, seeds, relocation). */
typedef struct gmm_reducer {
    gmm_status (*agree)(void *context, gmm_status local, gmm_error *err);
    gmm_status (*sum)(void *context, double *values, size_t count,
                      gmm_error *err);
    void *context;
    int rank;  /* this process, 0 .. size-1 */
    int size;
    gmm_error stopped;  /* the failure every process was told of, or
                           GMM_OK while they still communicate           */
} gmm_reducer;

/* An agreement (see gmm_reducer) over the reducer's processes, or local
 * alone when reducer is NULL or has one process. After a failure was
 * agreed, nothing is exchanged: a process that failed gets local back,
 * one that has not (it went on, e.g. past a skipped candidate) the agreed
 * failure. */
gmm_status gmm_reducer_agree(gmm_reducer *reducer, gmm_status local,
                             gmm_error *err);

/* An agreement, then (when no process failed) values summed over the
 * processes. values may be NULL where local is a failure. */
gmm_status gmm_reducer_sum(gmm_reducer *reducer, double *values, size_t count,
                           gmm_status local, gmm_error *err);

#endif
