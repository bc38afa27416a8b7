/*
 * fit_trace.h — gmm fit --trace DIR: pictures of EM at work, like the
 * classic lecture slides of EM on Old Faithful. The progress callback
 * keeps a copy of the parameters at the iterations shown (1 to 5, then
 * every 5th to 30, every 10th after, and the last); after the fit, DIR
 * gets one SVG per picture (iter-000.svg is the start) and index.html,
 * one self-contained page that steps through them.
 */
#ifndef GMM_CLI_FIT_TRACE_H
#define GMM_CLI_FIT_TRACE_H

#include "fit_progress.h"
#include "gmm.h"

typedef struct trace_frame {
    int init;
    int n_iter;
    gmm_model *model;
} trace_frame;

typedef struct fit_trace {
    fit_progress *progress;   /* told first: signals and -v              */
    size_t n_components, n_features;
    gmm_covariance_type covariance_type;
    trace_frame *frames;      /* the iterations shown, of every init     */
    size_t n_frames, capacity;
    trace_frame *latest;      /* per init, its latest iteration          */
    double *final_bound;      /* per init, its latest lower bound        */
    int n_init;
    int out_of_memory;
} fit_trace;

/* Ready to record a fit with these options on n_features columns;
 * returns an exit status (reports running out of memory). */
int fit_trace_start(fit_trace *trace, fit_progress *progress,
                    const gmm_options *options, size_t n_features);

/* The gmm_progress_fn; user_data is a fit_trace. */
int fit_trace_report(const gmm_progress *report, void *user_data);

/* Write the pictures and the page into dir (created if missing) for the
 * fitted model; options and data are the fit's (the start is refitted
 * with max_iter 0 to get the initial parameters), data_path names the data
 * on the page. Returns an exit status. */
int fit_trace_write(const char *dir, const fit_trace *trace,
                    const gmm_model *fitted, const gmm_options *options,
                    const char *data_path, const gmm_data *data,
                    const double *sample_weight);

void fit_trace_free(fit_trace *trace);

#endif /* GMM_CLI_FIT_TRACE_H */
