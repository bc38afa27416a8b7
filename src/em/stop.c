/*
 * stop.c — see stop.h.
 */
#include "em/stop.h"

#include <math.h>

#include "util/error.h"

gmm_status gmm_stop_poll(const gmm_stop *stop, const char *what,
                         gmm_error *err)
{
    if (!stop || !stop->progress)
        return GMM_OK;
    /* Nothing to report: only the question (gmm.h, gmm_progress_fn). */
    gmm_progress none = {0, 0, NAN, NAN, 0, NULL, NULL, NULL};
    if (stop->progress(&none, stop->user_data) == 0)
        return GMM_OK;
    return gmm_fail(err, GMM_ERR_INTERRUPTED, "interrupted during %s", what);
}
