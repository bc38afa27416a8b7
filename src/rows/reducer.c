/*
 * reducer.c — agreements and sums across processes (reducer.h).
 */
#include "rows/reducer.h"

#include <stdio.h>

/* From now on this process communicates no more, and fails so. */
static void stop(gmm_reducer *reducer, gmm_status status, const gmm_error *err)
{
    reducer->stopped.status = status;
    snprintf(reducer->stopped.message, sizeof reducer->stopped.message, "%s",
             err ? err->message : gmm_strerror(status));
}

gmm_status gmm_reducer_agree(gmm_reducer *reducer, gmm_status local,
                             gmm_error *err)
{
    if (!reducer || reducer->size == 1)
        return local;
    if (reducer->stopped.status != GMM_OK) {
        if (local != GMM_OK)
            return local;
        if (err)
            *err = reducer->stopped;
        return reducer->stopped.status;
    }
    gmm_status status = reducer->agree(reducer->context, local, err);
    if (status != GMM_OK)
        stop(reducer, status, err);
    return status;
}

gmm_status gmm_reducer_sum(gmm_reducer *reducer, double *values, size_t count,
                           gmm_status local, gmm_error *err)
{
    gmm_status status = gmm_reducer_agree(reducer, local, err);
    if (status != GMM_OK || !reducer || reducer->size == 1)
        return status;
    status = reducer->sum(reducer->context, values, count, err);
    /* A failed sum may have left the processes at different points: no
     * exchange can be trusted after it. */
    if (status != GMM_OK)
        stop(reducer, status, err);
    return status;
}
