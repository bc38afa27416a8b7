/*
 * trace_page.h — gmm fit --trace DIR, after the fit: what fit_trace.h
 * recorded, drawn as one SVG per picture in DIR (iter-000.svg is the
 * start) and index.html, one self-contained page that steps through them.
 */
#ifndef GMM_CLI_DRAW_TRACE_PAGE_H
#define GMM_CLI_DRAW_TRACE_PAGE_H

#include "cli.h"
#include "draw/fit_trace.h"
#include "gmm.h"

/* Write the pictures and the page, as files in dir, into outputs (whose
 * folder dir is: cli_outputs_add_folder), for the fitted model; options
 * and data are the fit's (the start is refitted with max_iter 0 to get
 * the initial parameters), data_path names the data on the page. The
 * iterations pictured are kept in trace->pictured. Returns an exit
 * status. */
int fit_trace_write(cli_outputs *outputs, const char *dir, fit_trace *trace,
                    const gmm_model *fitted, const gmm_options *options,
                    const char *data_path, const gmm_data *data,
                    const double *sample_weight);

/* Once the outputs are in place: remove from dir the pictures of an
 * earlier trace (iter-NNN.svg files this one did not write), so that the
 * folder shows this fit alone. */
void fit_trace_prune(const char *dir, const fit_trace *trace);

#endif /* GMM_CLI_DRAW_TRACE_PAGE_H */
