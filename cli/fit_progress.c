/*
 * fit_progress.c — see fit_progress.h. Lines go to stderr so that stdout
 * stays free for results. The library does not say when an initialization
 * starts, only when an iteration ends, so the first iteration's time of
 * each initialization includes the initialization itself (k-means, say).
 */
#include "fit_progress.h"

#include <stdio.h>
#include <time.h>

#include "cli.h"

static double now_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
}

void fit_progress_start(fit_progress *progress, int verbose)
{
    progress->verbose = verbose;
    progress->n_reported = 0;
    progress->fit_start = now_seconds();
    progress->init_start = progress->fit_start;
    progress->iteration_start = progress->fit_start;
}

double fit_progress_elapsed(const fit_progress *progress)
{
    return now_seconds() - progress->fit_start;
}

/* The line that ends an initialization's report, as scikit-learn's
 * "Initialization converged: ..." (ours tells this initialization's own
 * convergence, where scikit-learn's tells whether any run converged). */
static void print_init_end(const fit_progress *progress, double end)
{
    fprintf(stderr, "Initialization %d converged: %s\t time lapse %.5fs\t "
            "ll %.10g\n",
            progress->last.init, progress->last.converged ? "True" : "False",
            end - progress->init_start, progress->last.lower_bound);
}

int fit_progress_report(const gmm_progress *report, void *user_data)
{
    fit_progress *progress = user_data;
    if (cli_interrupt_signal() != 0)
        return 1;
    /* n_iter 0: a poll during k-means initialization, nothing to print. */
    if (!progress->verbose || report->n_iter == 0)
        return 0;

    double now = now_seconds();
    int new_init = progress->n_reported == 0 || report->init != progress->last.init;
    if (new_init) {
        if (progress->n_reported > 0) {
            print_init_end(progress, progress->iteration_start);
            progress->init_start = progress->iteration_start;
        }
        fprintf(stderr, "Initialization %d\n", report->init);
    }
    fprintf(stderr, "  Iteration %d\t time lapse %.5fs\t lower bound %.10g\t "
            "ll change %.5g\n",
            report->n_iter, now - progress->iteration_start,
            report->lower_bound, report->change);
    progress->iteration_start = now;
    progress->last = *report;
    progress->n_reported++;
    return 0;
}

void fit_progress_finish(fit_progress *progress)
{
    if (progress->verbose && progress->n_reported > 0)
        print_init_end(progress, now_seconds());
}
