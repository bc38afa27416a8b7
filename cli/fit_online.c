/*
 * fit_online.c — `gmm fit --online` (fit_online.h): the library's batch
 * reader (io/data_read.h, the CSV parser of every command, a batch at a
 * time) feeding gmm_partial_fit.
 */
#include "fit_online.h"

#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "io/data_read.h"
#include "util/error.h"

typedef struct online_step {
    fit_online *online;
    gmm_model *model;
    int pass;
    size_t pass_rows;  /* rows of this pass so far                      */
} online_step;

/* DATA as the readers name it in messages. */
static const char *data_name(const char *path)
{
    return path[0] == '-' && path[1] == '\0' ? "<stdin>" : path;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* One batch: a step of online EM, then its line under -v. A signal
 * stops the reading here, between steps. */
static gmm_status step(void *context, const double *values, size_t n_rows,
                       size_t n_cols, gmm_error *err)
{
    online_step *s = context;
    fit_online *online = s->online;
    if (cli_interrupt_signal())
        return gmm_fail(err, GMM_ERR_INTERRUPTED, "interrupted after %zu rows",
                        online->n_rows);
    if (!online->state) {
        const gmm_options *o = gmm_model_options(s->model);
        online->state = gmm_stats_new(o->n_components, n_cols,
                                      o->covariance_type, err);
        if (!online->state)
            return err->status;
        online->n_cols = n_cols;
    }
    gmm_error why;
    gmm_status status = gmm_partial_fit(s->model, online->state, values,
                                        n_rows, n_cols, NULL, &why);
    if (status != GMM_OK)
        return gmm_fail(err, status, "%s: the batch of rows %zu to %zu "
                        "(pass %d): %s", data_name(online->data_path),
                        s->pass_rows + 1, s->pass_rows + n_rows, s->pass,
                        why.message);
    s->pass_rows += n_rows;
    /* From now on a signal stops the reading, between batches or in a
     * read that waits, and the model is saved; before, it ended the
     * process (there was nothing to save). */
    cli_interrupt_defer();
    online->n_rows += n_rows;
    if (online->verbose)
        fprintf(stderr, "  Pass %d batch %d\t rows %zu\t lower bound %.10g\t "
                "time %.3fs\n", s->pass, gmm_model_n_iter(s->model),
                online->n_rows, gmm_model_lower_bound(s->model),
                now() - online->start);
    return GMM_OK;
}

gmm_status fit_online_run(fit_online *online, gmm_model *model,
                          gmm_error *err)
{
    online->start = now();
    online_step s = {online, model, 0, 0};
    io_batches batches = {online->batch_size, step, &s, cli_interrupt_signal};
    gmm_status status = GMM_OK;
    for (s.pass = 1; status == GMM_OK && s.pass <= online->passes; s.pass++) {
        s.pass_rows = 0;
        status = io_data_read_batches(online->data_path, &batches, err);
    }
    return status;
}

void fit_online_free(fit_online *online)
{
    gmm_stats_free(online->state);
    online->state = NULL;
}
