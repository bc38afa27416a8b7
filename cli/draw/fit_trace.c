/*
 * fit_trace.c — recording (see fit_trace.h). The copies are gmm_models
 * built from the parameters the progress callback offers, so a fit that
 * is not traced pays nothing, and a traced one K D^3 flops per iteration.
 * trace_page.c draws what was recorded.
 */
#include "draw/fit_trace.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* 1..5, every 5th to 30, then every 10th: the early iterations, where EM
 * moves most, each get a picture; later ones are sampled. */
static int shown(int n_iter)
{
    return n_iter <= 5 || (n_iter <= 30 && n_iter % 5 == 0) ||
           n_iter % 10 == 0;
}

int fit_trace_start(fit_trace *trace, fit_progress *progress,
                    const gmm_options *options, size_t n_features)
{
    *trace = (fit_trace){.progress = progress,
                         .n_components = options->n_components,
                         .n_features = n_features,
                         .covariance_type = options->covariance_type,
                         .n_init = options->warm_start ? 1 : options->n_init};
    trace->latest = calloc((size_t)trace->n_init, sizeof *trace->latest);
    trace->final_bound = calloc((size_t)trace->n_init,
                                sizeof *trace->final_bound);
    trace->paths = calloc((size_t)trace->n_init, sizeof *trace->paths);
    if (!trace->latest || !trace->final_bound || !trace->paths)
        return cli_error("fit", CLI_EXIT_NOMEM, "out of memory for --trace");
    return CLI_EXIT_OK;
}

static int append(fit_trace *trace, trace_frame frame)
{
    if (trace->n_frames == trace->capacity) {
        size_t capacity = trace->capacity ? 2 * trace->capacity : 16;
        trace_frame *frames = realloc(trace->frames,
                                      capacity * sizeof *frames);
        if (!frames)
            return -1;
        trace->frames = frames;
        trace->capacity = capacity;
    }
    trace->frames[trace->n_frames++] = frame;
    return 0;
}

/* The iteration's means at the end of its run's path. */
static int extend_path(trace_path *path, const double *means, size_t size)
{
    if (path->n_iter == path->capacity) {
        size_t capacity = path->capacity ? 2 * path->capacity : 32;
        double *grown = realloc(path->means, capacity * size * sizeof *grown);
        if (!grown)
            return -1;
        path->means = grown;
        path->capacity = capacity;
    }
    memcpy(path->means + path->n_iter++ * size, means, size * sizeof *means);
    return 0;
}

int fit_trace_report(const gmm_progress *report, void *user_data)
{
    fit_trace *trace = user_data;
    if (fit_progress_report(report, trace->progress))
        return 1;
    /* A poll during k-means initialization: no parameters to draw. */
    if (report->n_iter == 0)
        return 0;
    gmm_model *copy = gmm_model_from_params(
        trace->n_components, trace->n_features, trace->covariance_type,
        report->weights, report->means, report->covariances, NULL);
    trace_frame frame = {report->init, report->n_iter, copy};
    trace_frame *latest = &trace->latest[report->init];
    gmm_model_free(latest->model);
    *latest = (trace_frame){0};
    trace->final_bound[report->init] = report->lower_bound;
    /* Stopping the fit is the only way to say that memory ran out. */
    if (!copy ||
        extend_path(&trace->paths[report->init], report->means,
                    trace->n_components * trace->n_features) != 0 ||
        (shown(report->n_iter) && append(trace, frame) != 0)) {
        gmm_model_free(copy);
        trace->out_of_memory = 1;
        return 1;
    }
    if (!shown(report->n_iter))
        *latest = frame;
    return 0;
}

void fit_trace_free(fit_trace *trace)
{
    for (size_t i = 0; i < trace->n_frames; i++)
        gmm_model_free(trace->frames[i].model);
    for (int i = 0; trace->latest && i < trace->n_init; i++)
        gmm_model_free(trace->latest[i].model);
    for (int i = 0; trace->paths && i < trace->n_init; i++)
        free(trace->paths[i].means);
    free(trace->paths);
    free(trace->frames);
    free(trace->latest);
    free(trace->final_bound);
    free(trace->pictured);
    *trace = (fit_trace){0};
}
