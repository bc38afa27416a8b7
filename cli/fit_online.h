/*
 * fit_online.h — `gmm fit --online`: DATA read batch by batch (a file,
 * or standard input of any length), each batch a step of the library's
 * online EM (gmm_partial_fit), so that memory holds one batch and the
 * model whatever the length of the stream.
 */
#ifndef GMM_CLI_FIT_ONLINE_H
#define GMM_CLI_FIT_ONLINE_H

#include "gmm.h"

typedef struct fit_online {
    const char *data_path;
    size_t batch_size;   /* rows per step                                 */
    int passes;          /* times DATA is read                            */
    int verbose;         /* a line per batch on stderr                    */
    double start;        /* seconds on a monotonic clock, for -v          */
    gmm_stats *state;    /* the running statistics, from the first batch  */
    size_t n_rows;       /* rows fitted, all passes together              */
    size_t n_cols;
} fit_online;

/* Fit model (unfitted, with gmm fit's options) to the batches of DATA,
 * pass after pass. Returns GMM_OK at the end of the input, or the
 * failure (a malformed line, named; GMM_ERR_INTERRUPTED when a signal
 * arrived between batches, the model then holding what it learnt). */
gmm_status fit_online_run(fit_online *online, gmm_model *model,
                          gmm_error *err);

void fit_online_free(fit_online *online);

#endif /* GMM_CLI_FIT_ONLINE_H */
