/*
 * fit_trace.h — gmm fit --trace DIR: pictures of EM at work, like the
 * classic lecture slides of EM on Old Faithful. The progress callback
 * keeps a copy of the parameters at the iterations shown (1 to 5, then
 * every 5th to 30, every 10th after, and the last), and the means of
 * every iteration (K x D each); after the fit, trace_page.h draws them.
 */
#ifndef GMM_CLI_DRAW_FIT_TRACE_H
#define GMM_CLI_DRAW_FIT_TRACE_H

#include "fit_progress.h"
#include "gmm.h"

typedef struct trace_frame {
    int init;
    int n_iter;
    gmm_model *model;
} trace_frame;

/* The means after each iteration of one run, in order: n_iter x K x D. */
typedef struct trace_path {
    double *means;
    size_t n_iter, capacity;
} trace_path;

typedef struct fit_trace {
    fit_progress *progress;   /* told first: signals and -v              */
    size_t n_components, n_features;
    gmm_covariance_type covariance_type;
    trace_frame *frames;      /* the iterations shown, of every init     */
    size_t n_frames, capacity;
    trace_frame *latest;      /* per init, its latest iteration          */
    double *final_bound;      /* per init, its latest lower bound        */
    trace_path *paths;        /* per init, the means of every iteration  */
    int n_init;
    int out_of_memory;
    int *pictured;            /* the iterations drawn (0: the start), set
                                 by fit_trace_write                       */
    size_t n_pictured;
} fit_trace;

/* Ready to record a fit with these options on n_features columns;
 * returns an exit status (reports running out of memory). */
int fit_trace_start(fit_trace *trace, fit_progress *progress,
                    const gmm_options *options, size_t n_features);

/* The gmm_progress_fn; user_data is a fit_trace. */
int fit_trace_report(const gmm_progress *report, void *user_data);

void fit_trace_free(fit_trace *trace);

#endif /* GMM_CLI_DRAW_FIT_TRACE_H */
