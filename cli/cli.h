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
#include "io/output.h"

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

/* The command line: argv[0] is "gmm", argv[1] the subcommand. Returns the
 * exit status, after printing any error; *ran gets the subcommand's name
 * (NULL if none ran). */
int cli_run(int argc, char **argv, const char **ran);

/* A test hook (fuzz/fuzz_argv.c): while on, every subcommand returns
 * right after it has handled its arguments (parsed them, checked them and
 * its output paths), before it reads, computes or writes anything. */
void cli_set_arguments_only(int on);
int cli_arguments_only(void);

/* The subcommands: argv[0] is the subcommand's name; each returns an exit
 * status and has printed any error itself. */
int cmd_fit(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_impute(int argc, char **argv);
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
/* The same where missing values may be (gmm_data_read_missing). */
int cli_read_data_as(const char *cmd, const char *path, gmm_missing missing,
                     gmm_data *data);
/* --missing NAME (NULL: not given, error) into *missing, else a usage
 * error. */
int cli_parse_missing(const char *cmd, const char *name, gmm_missing *missing);
int cli_load_model(const char *cmd, const char *path, gmm_model **model);

/* Data whose width matches the model's features (predict, score), read
 * with missing values where the model's missing option marginalizes. */
int cli_read_data_for_model(const char *cmd, const char *path,
                            const gmm_model *model, gmm_data *data);

/* A model, its missing option set to `missing`, and data of its width
 * (predict, score, impute); on failure neither is left allocated. */
int cli_read_model_and_data(const char *cmd, const char *model_path,
                            const char *data_path, gmm_missing missing,
                            gmm_model **model, gmm_data *data);

/* One weight per row of the data: one column, n_rows rows, each
 * non-negative, not all zero; a bad weight is named by its row. */
int cli_read_weights(const char *cmd, const char *path, size_t n_rows,
                     gmm_data *weights);

/* Initial responsibilities (--init-resp): n_rows rows of n_components,
 * each finite, non-negative and summing to 1; a bad one is named by its
 * row. */
int cli_read_resp(const char *cmd, const char *path, size_t n_rows,
                  size_t n_components, gmm_data *resp);

/* ---- Results on standard output (print.c) ------------------------------ */

/* Rows of n_cols numbers, comma separated, each printed with %.17g so that
 * it reads back exactly. Returns 0, or -1 with errno set on a write error. */
int cli_print_rows(FILE *out, const double *values, size_t n_rows,
                   size_t n_cols);

/* data's CSV header line (its column names, quoted where the reader
 * needs it), or nothing when it has none. Returns 0 or -1 as above. */
int cli_print_header(FILE *out, const gmm_data *data);

/* n_rows x n_cols values as a .npy file (float64, little-endian, C
 * order), as numpy.save writes it. Returns 0 or -1 as above. */
int cli_print_npy(FILE *out, const double *values, size_t n_rows,
                  size_t n_cols);

/* One integer per line. */
int cli_print_labels(FILE *out, const int *labels, size_t n_rows);

/* A zeroed array of n_rows x n_cols elements for results, or NULL after
 * reporting that memory ran out (the caller returns CLI_EXIT_NOMEM). */
void *cli_alloc_results(const char *cmd, size_t n_rows, size_t n_cols,
                        size_t element_size);

/* Flush standard output; on a write error, report it and return
 * CLI_EXIT_INPUT (else CLI_EXIT_OK). Call it in every subcommand that
 * prints results, before its output files are put in place
 * (cli_outputs_commit), so that a full disk or a closed pipe is not a
 * success. */
int cli_finish_stdout(const char *cmd);

/* ---- Output files (output.c) ------------------------------------------ */

/* What writes one file's content into `out`: returns 0, or -1 after
 * filling err when it fails for a reason other than writing (drawing ran
 * out of memory, say); write errors are the stream's. */
typedef int (*cli_write_fn)(FILE *out, const void *content, gmm_error *err);

/* A cli_write_fn for a model (a const gmm_model *): its JSON, written as
 * it is made, never held whole in memory. */
int cli_write_model(FILE *out, const void *model, gmm_error *err);

/* The files a command writes, in three steps (the library's io/output.h
 * does the file system's part): each is checked before any work
 * (cli_outputs_add), written to a temporary file when its content is
 * ready (cli_outputs_write), and all are put in place together once the
 * command has succeeded (cli_outputs_commit). So a command that fails,
 * or is interrupted, leaves every output as it was. */
typedef struct cli_outputs {
    const char *cmd;
    io_output *files;
    const char **flags;     /* per file, the option that named it        */
    size_t n, capacity;
    const char *folder;     /* --trace's folder: files may be added in it
                               when written                               */
    int folder_exists;
    int made_folder;        /* we made it: removed again if discarded     */
} cli_outputs;

/* One file the command reads, to keep it from being written over. */
typedef struct cli_input {
    const char *what;       /* "DATA", "--weights", ...                   */
    const char *path;       /* "-" is standard input; NULL: none          */
} cli_input;

void cli_outputs_init(cli_outputs *outputs, const char *cmd);

/* Check, before any work, that `path`, named by option `flag`, can be
 * written: an empty name is a usage error, "-" is standard output where
 * stdout_ok (else a usage error: the command prints its results there),
 * then the library's checks (its folder, what is there). Returns an exit
 * status after reporting why it is not CLI_EXIT_OK. */
int cli_outputs_add(cli_outputs *outputs, const char *flag, const char *path,
                    int stdout_ok);

/* The same for a folder that will hold files (--trace): it is a folder we
 * may write in, or can be made (its parent exists). It is made when the
 * first file in it is written. */
int cli_outputs_add_folder(cli_outputs *outputs, const char *flag,
                           const char *path);

/* Refuse, before any work, an output that is one of the command's inputs
 * (the same file, through any name or link). */
int cli_outputs_refuse_inputs(const cli_outputs *outputs,
                              const cli_input *inputs, size_t n_inputs);

/* Write the file added as `path` (or, for a path in the folder, add it
 * now) into its temporary file. From here on SIGINT and SIGTERM are
 * deferred (cli_interrupt_defer), so that no signal leaves a temporary
 * file behind; commit looks for them. Returns an exit status. */
int cli_outputs_write(cli_outputs *outputs, const char *path,
                      cli_write_fn write_content, const void *content);

/* Put every file written in place, or none: an interruption caught so
 * far, or a failure to put one in place, discards them all. Returns an
 * exit status. */
int cli_outputs_commit(cli_outputs *outputs);

/* Discard what was not committed (removing a folder we made), free. */
void cli_outputs_free(cli_outputs *outputs);

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

/* From now on SIGINT and SIGTERM end the process at once, with
 * CLI_EXIT_SIGNAL + the signal and cli_interrupt_check's message: for the
 * reads before a deferring command's computation, which would otherwise
 * go on until the input ends. Nothing may need cleaning up meanwhile. */
void cli_interrupt_while_reading(const char *cmd);

/* From now on SIGINT and SIGTERM only record the signal, which long
 * computations poll (the library's progress callbacks) to stop cleanly,
 * and which cli_outputs_commit looks for before putting files in place. */
void cli_interrupt_defer(void);

/* The signal caught so far, or 0. */
int cli_interrupt_signal(void);

/* A gmm_progress_fn (user_data unused) that asks to stop once a signal
 * was caught: for library calls of a deferring command. */
int cli_interrupt_polled(const gmm_progress *progress, void *user_data);

/* If a signal was caught: report it and return CLI_EXIT_SIGNAL + its
 * number; else return CLI_EXIT_OK. */
int cli_interrupt_check(const char *cmd);

/* Forget the signal caught: `gmm fit --online` saves the model an
 * endless stream was stopped with, and a signal during that writing is
 * then heeded as any other. */
void cli_interrupt_clear(void);

#endif /* GMM_CLI_H */
