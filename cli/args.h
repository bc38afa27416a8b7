/*
 * args.h — the command line parser every subcommand uses.
 *
 * A subcommand describes its options and positional arguments in a table;
 * cli_parse does the rest: `--help`, `--name value` and `--name=value`,
 * strict numbers with range checks, required options, repeated or unknown
 * options, missing or extra positionals. Every error is a usage error
 * (exit 2) whose message names the flag, so no subcommand parses by hand.
 */
#ifndef GMM_CLI_ARGS_H
#define GMM_CLI_ARGS_H

#include <stddef.h>

#include "gmm.h"

typedef enum cli_arg_kind {
    CLI_ARG_FLAG,   /* no value: sets an int to 1                          */
    CLI_ARG_STRING, /* const char *, any text                              */
    CLI_ARG_SIZE,   /* size_t, a decimal integer >= min                    */
    CLI_ARG_INT,    /* int, a decimal integer >= min                       */
    CLI_ARG_THREADS,/* int, a thread count: min .. GMM_MAX_THREADS, the
                       library's bound (beyond it OpenMP crashes)          */
    CLI_ARG_REAL,   /* double, a finite number >= min (in a double's range) */
    CLI_ARG_SEED,   /* uint64_t, a decimal integer 0 .. 2^64-1             */
    CLI_ARG_BYTES   /* size_t, a decimal integer >= min with an optional
                       binary suffix: 64M, 1G (K, M, G, T: 1024^1..4)      */
} cli_arg_kind;

typedef struct cli_option {
    const char *name;       /* "--max-iter"                                */
    const char *short_name; /* "-k", or NULL                               */
    cli_arg_kind kind;
    void *value;            /* where the parsed value goes; its type is
                               given by kind; untouched if the option is
                               absent, so callers preset defaults there     */
    double min;             /* smallest accepted value (numeric kinds)     */
    int required;
} cli_option;

typedef struct cli_command {
    const char *name;            /* "fit"                                  */
    const char *help;            /* what --help prints (before the common
                                    exit status section)                   */
    const cli_option *options;   /* n_options entries                      */
    size_t n_options;
    const char *const *positional_names; /* "MODEL", "DATA", ...           */
    size_t n_positional;
} cli_command;

/* What cli_parse returns when the command should go on; any other value is
 * the exit status to return at once (0 after --help). */
#define CLI_PARSE_OK (-1)

/* Parse argv[1..argc-1] (argv[0] is the subcommand's name). Positional
 * values go to positional[0 .. n_positional-1]. Errors are printed. */
int cli_parse(const cli_command *command, int argc, char **argv,
              const char **positional);

/* Print "gmm NAME: <message>" and a pointer to --help; return the usage
 * exit status. For checks a table cannot express (a value from a list,
 * options that exclude each other). */
int cli_usage_error(const char *command_name, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* The covariance types a --covariance takes, from the library's table:
 * "full, tied, diag, spherical or one of mclust's EII, VII, ..., VVV"
 * (every type's mclust name, in mclust's order), for messages. */
const char *cli_covariance_type_names(void);

/* mclust's fourteen models in mclust's order (its mclust.options()
 * emModelNames), by type. */
extern const gmm_covariance_type cli_mclust_order[GMM_N_COVARIANCE_TYPES];

/* The exit status section shared by every --help. */
extern const char cli_exit_status_help[];

#endif /* GMM_CLI_ARGS_H */
