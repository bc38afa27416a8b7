/*
 * stop.h — asking the caller, between passes over the data, whether to
 * stop.
 *
 * The caller's only way in while a long call runs is its progress
 * callback (gmm.h). The EM loop asks it after each iteration, telling
 * what the iteration did; k-means (gmm_kmeans, and the k-means runs and
 * k-means++ seeding that initialize a fit) has nothing of that kind to
 * tell, and asks through gmm_stop_poll: n_iter 0, NaN lower_bound and
 * change, no parameters, as gmm.h documents. Polls are made by the thread
 * that runs the algorithm, between its parallel passes, never inside
 * one: a callback is never called from a worker thread of a pass.
 */
#ifndef GMM_EM_STOP_H
#define GMM_EM_STOP_H

#include "gmm.h"

typedef struct gmm_stop {
    gmm_progress_fn progress;  /* NULL: never stop                      */
    void *user_data;
} gmm_stop;

/* GMM_OK, or GMM_ERR_INTERRUPTED with "interrupted during <what>" in err
 * when stop (may be NULL) has a callback and it returns non-zero. */
gmm_status gmm_stop_poll(const gmm_stop *stop, const char *what,
                         gmm_error *err);

#endif
