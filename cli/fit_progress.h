/*
 * fit_progress.h — gmm fit's progress callback: polls for SIGINT/SIGTERM
 * after every EM iteration and at the k-means initialization's polls
 * (n_iter 0, not printed) and, with -v, reports each iteration as
 * scikit-learn's verbose=2 does (iteration, lower bound, change, time).
 */
#ifndef GMM_CLI_FIT_PROGRESS_H
#define GMM_CLI_FIT_PROGRESS_H

#include "gmm.h"

typedef struct fit_progress {
    int verbose;
    int n_reported;          /* callbacks seen so far                       */
    gmm_progress last;       /* what the latest callback was told           */
    double fit_start;        /* seconds on a monotonic clock                */
    double init_start;       /* start of the current initialization         */
    double iteration_start;  /* end of the previous iteration               */
} fit_progress;

/* Start timing; call right before gmm_fit. */
void fit_progress_start(fit_progress *progress, int verbose);

/* The gmm_progress_fn; user_data is a fit_progress. */
int fit_progress_report(const gmm_progress *report, void *user_data);

/* Close the last initialization's report; call right after gmm_fit. */
void fit_progress_finish(fit_progress *progress);

/* Seconds since fit_progress_start. */
double fit_progress_elapsed(const fit_progress *progress);

#endif /* GMM_CLI_FIT_PROGRESS_H */
