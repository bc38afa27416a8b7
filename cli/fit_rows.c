/*
 * fit_rows.c — see fit_rows.h. What a streamed or distributed fit cannot
 * take (standard input, CSV, sample weights) is refused here, before any
 * work, with what to do instead.
 */
#include "fit_rows.h"

#include <string.h>

#include "args.h"
#include "cli.h"

const char *fit_rows_mode(const fit_rows *rows)
{
    return rows->memory_limit > 0 ? "with --memory" : "under mpirun";
}

/* The file's shape from its header, the rest left unread. */
static int open_file(fit_rows *rows, const char *weights_path)
{
    const char *mode = fit_rows_mode(rows);
    if (strcmp(rows->path, "-") == 0)
        return cli_usage_error("fit", "DATA must be a .npy file %s, not "
                               "standard input: the rows are read from the "
                               "file in every EM iteration", mode);
    /* An O(N) array, which a streamed fit exists to avoid. */
    if (weights_path != NULL)
        return cli_usage_error("fit", "--weights is not supported %s (the "
                               "library streams no sample weights); fit in "
                               "memory, without --memory and mpirun", mode);
    gmm_error err;
    if (gmm_npy_shape(rows->path, &rows->n_rows, &rows->n_cols, &err) == GMM_OK)
        return CLI_EXIT_OK;
    /* Only a file that is no .npy at all gets the advice; a .npy file of
     * another dtype, say, is told what is wrong with it. */
    if (err.status == GMM_ERR_FORMAT && strstr(err.message, ": not a .npy file"))
        return cli_error("fit", cli_exit_code(err.status),
                         "DATA must be a NumPy .npy file %s (CSV is read "
                         "whole; numpy.save converts it): %s",
                         mode, err.message);
    return cli_fail("fit", &err);
}

static int read_into_memory(fit_rows *rows, const char *weights_path)
{
    int code = cli_read_data_as("fit", rows->path, rows->missing, &rows->data);
    if (code == CLI_EXIT_OK && weights_path != NULL)
        code = cli_read_weights("fit", weights_path, rows->data.n_rows,
                                &rows->weights);
    rows->n_rows = rows->data.n_rows;
    rows->n_cols = rows->data.n_cols;
    return code;
}

int fit_rows_open(fit_rows *rows, const char *path, const char *weights_path,
                  size_t memory_limit, const void *mpi_comm,
                  gmm_missing missing)
{
    *rows = (fit_rows){.path = path, .memory_limit = memory_limit,
                       .mpi_comm = mpi_comm, .missing = missing,
                       .in_file = memory_limit > 0 || mpi_comm != NULL};
    return rows->in_file ? open_file(rows, weights_path)
                         : read_into_memory(rows, weights_path);
}

gmm_status fit_rows_fit(const fit_rows *rows, gmm_model *model,
                        gmm_error *err)
{
    if (rows->in_file)
        return gmm_fit_npy(model, rows->path, rows->memory_limit,
                           rows->mpi_comm, err);
    return gmm_fit(model, rows->data.values, rows->n_rows, rows->n_cols,
                   rows->weights.values, err);
}

void fit_rows_free(fit_rows *rows)
{
    gmm_data_free(&rows->weights);
    gmm_data_free(&rows->data);
}
