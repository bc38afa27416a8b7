/*
 * cli.h — what the files of the `gmm` command share: exit codes, the
 * subcommands' entry points, error reporting, and reading and writing the
 * files a subcommand works on.
 *
 * The command layer has no numerics of its own: it parses arguments, reads
 * files through the library, calls the library and prints what it returns.
 */
#ifndef GMM_CLI_H
#define GMM_CLI_H

#include <stdarg.h>
#include <stdio.h>

#include "gmm.h"

/* Exit statuses, documented in `gmm --help` and README.md. */
enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILURE = 1, /* anything not listed below (e.g. a feature the
                             build lacks)                                  */
    CLI_EXIT_USAGE = 2,   /* bad command line                              */
    CLI_EXIT_INPUT = 3,   /* a data, weights or model file is unreadable or
                             malformed, or an output could not be written  */
    CLI_EXIT_NUMERIC = 4, /* numerical failure (a covariance collapsed)    */
    CLI_EXIT_NOMEM = 5,   /* out of memory                                 */
    CLI_EXIT_SIGNAL = 128 /* + the signal's number: 130 SIGINT, 143 SIGTERM */
};

/* The subcommands: argv[0] is the subcommand's name; each returns an exit
 * status and has printed any error itself. */
int cmd_fit(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_kmeans(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_select(int argc, char **argv);
int cmd_plot(int argc, char **argv);

/* ---- Errors (report.c) ------------------------------------------------ */

/* Print "gmm CMD: <err's message>" on stderr and return the exit status
 * for err's status. */
int cli_fail(const char *cmd, const gmm_error *err);

/* cli_fail for a library call on the rows read from `data_path`: a
 * complaint about the data (too few rows, more components than rows) or a
 * numerical failure on them (a collapsed covariance) is prefixed with the
 * file's name, which the library never saw. */
int cli_fail_on_data(const char *cmd, const char *data_path,
                     const gmm_error *err);

/* Print "gmm CMD: <formatted message>" on stderr and return `code`. */
int cli_error(const char *cmd, int code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Print "gmm CMD: warning: <formatted message>" on stderr. */
void cli_warning(const char *cmd, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Print "gmm CMD: <prefix><formatted message>" and a newline on stderr. */
void cli_vprint(const char *cmd, const char *prefix, const char *format,
                va_list args);

/* The exit status for a library status. */
int cli_exit_code(gmm_status status);

/* The message of the last error printed by this process (cli_fail,
 * cli_error, cli_usage_error), without "gmm CMD: "; "" before any. */
const char *cli_last_error(void);

/* ---- Input files (input.c) -------------------------------------------- */

/* Each reads through the library and on failure prints the error and
 * returns a non-zero exit status (0 on success). */
int cli_read_data(const char *cmd, const char *path, gmm_data *data);
int cli_load_model(const char *cmd, const char *path, gmm_model **model);

/* Data whose width matches the model's features (predict, score). */
int cli_read_data_for_model(const char *cmd, const char *path,
                            const gmm_model *model, gmm_data *data);

/* A model and data of its width (predict, score); on failure neither is
 * left allocated. */
int cli_read_model_and_data(const char *cmd, const char *model_path,
                            const char *data_path, gmm_model **model,
                            gmm_data *data);

/* One weight per row of the data: one column, n_rows rows, each
 * non-negative, not all zero; a bad weight is named by its row. */
int cli_read_weights(const char *cmd, const char *path, size_t n_rows,
                     gmm_data *weights);

/* ---- Output (output.c) ------------------------------------------------ */

/* Rows of n_cols numbers, comma separated, each printed with %.17g so that
 * it reads back exactly. Returns 0, or -1 with errno set on a write error. */
int cli_print_rows(FILE *out, const double *values, size_t n_rows,
                   size_t n_cols);

/* One integer per line. */
int cli_print_labels(FILE *out, const int *labels, size_t n_rows);

/* A zeroed array of n_rows x n_cols elements for results, or NULL after
 * reporting that memory ran out (the caller returns CLI_EXIT_NOMEM). */
void *cli_alloc_results(const char *cmd, size_t n_rows, size_t n_cols,
                        size_t element_size);

/* Flush standard output; on a write error, report it and return
 * CLI_EXIT_INPUT (else CLI_EXIT_OK). Call it last in every subcommand that
 * prints results, so that a full disk or a closed pipe is not a success. */
int cli_finish_stdout(const char *cmd);

/* Write a file atomically: `write_content` writes into a temporary file in
 * the destination's folder, which is renamed to `path` only when
 * everything was written and flushed to disk. On failure nothing exists at
 * `path` that was not there before; the error is reported and
 * CLI_EXIT_INPUT returned (CLI_EXIT_SIGNAL + n when a deferred signal came
 * during the write). */
typedef int (*cli_write_fn)(FILE *out, const void *content);
int cli_write_file_atomic(const char *cmd, const char *path,
                          cli_write_fn write_content, const void *content);

/* ---- MPI ranks (ranks.c) ---------------------------------------------- */

/* This process's place in an MPI job: under mpirun, the communicator for
 * gmm_fit_npy, this rank and the number of ranks; otherwise NULL, 0, 1. */
typedef struct cli_ranks {
    const void *comm;
    int rank;
    int size;
} cli_ranks;

/* Call first in main. Under mpirun: start MPI (through the library) and
 * silence stdout and stderr on every rank but 0. Returns an exit status
 * (non-zero after printing why, e.g. a build without MPI under mpirun). */
int cli_ranks_start(int *argc, char ***argv);

const cli_ranks *cli_ranks_get(void);

/* The exit status every rank should go on with: `code` if it failed here,
 * CLI_EXIT_FAILURE if only another rank failed (said on stderr: "MPI rank
 * R failed: <its message>"). Under mpirun a collective: every rank calls
 * it at the same point, or one that returned early calls it at the end
 * (cli_ranks_finish), where it meets the others in theirs. Once a failure
 * has been agreed, later calls exchange nothing (every rank knows), so
 * that a rank that met the others early is not waited for again.
 * Without mpirun it returns `code`. */
int cli_ranks_agree(const char *cmd, int code);

/* A failure that every rank already knows of (gmm_fit_npy returns its
 * failures on every rank): later agreements exchange nothing. */
void cli_ranks_failed_together(void);

/* Call last in main, with the exit status and the subcommand's name (NULL
 * if none ran): the last agreement (so that every rank's exit status says
 * whether the job failed anywhere), then finalize MPI if cli_ranks_start
 * started it. Returns the exit status. */
int cli_ranks_finish(const char *cmd, int code);

/* ---- Interruption (interrupt.c) --------------------------------------- */

/* From now on SIGINT and SIGTERM only record the signal, which long
 * computations poll (the library's progress callbacks) to stop cleanly. */
void cli_interrupt_defer(void);

/* While `path` is not NULL, a signal that ends the process removes that
 * file first (the temporary file of an atomic write). */
void cli_interrupt_remove_on_signal(const char *path);

/* The signal caught so far, or 0. */
int cli_interrupt_signal(void);

/* A gmm_progress_fn (user_data unused) that asks to stop once a signal
 * was caught: for library calls of a deferring command. */
int cli_interrupt_polled(const gmm_progress *progress, void *user_data);

/* If a signal was caught: report it and return CLI_EXIT_SIGNAL + its
 * number; else return CLI_EXIT_OK. */
int cli_interrupt_check(const char *cmd);

#endif /* GMM_CLI_H */
