/*
 * report.c — how the command reports failures: one line on stderr,
 * "gmm CMD: <what went wrong>", and an exit status that tells scripts what
 * kind of failure it was (see cli.h and `gmm --help`).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_exit_code(gmm_status status)
{
    switch (status) {
    case GMM_OK:
        return CLI_EXIT_OK;
    /* An argument the library found out of range came from the command
     * line (e.g. more components than rows are checked by the library,
     * which knows the data). */
    case GMM_ERR_INVALID:
        return CLI_EXIT_USAGE;
    case GMM_ERR_DATA:
    case GMM_ERR_IO:
    case GMM_ERR_FORMAT:
    case GMM_ERR_NOT_FITTED:
        return CLI_EXIT_INPUT;
    case GMM_ERR_NUMERIC:
        return CLI_EXIT_NUMERIC;
    case GMM_ERR_NOMEM:
        return CLI_EXIT_NOMEM;
    case GMM_ERR_INTERRUPTED:
    case GMM_ERR_UNSUPPORTED:
        break;
    }
    return CLI_EXIT_FAILURE;
}

/* The last error this process reported, without "gmm CMD: ": under
 * mpirun the ranks other than 0 print nothing, so rank 0 says theirs
 * (ranks.c). Written only from the main thread. */
static char last_error[GMM_ERROR_MESSAGE_SIZE];

const char *cli_last_error(void)
{
    return last_error;
}

int cli_fail(const char *cmd, const gmm_error *err)
{
    /* A library call that failed without a message still gets one. */
    const char *message =
        err->message[0] != '\0' ? err->message : gmm_strerror(err->status);
    fprintf(stderr, "gmm %s: %s\n", cmd, message);
    snprintf(last_error, sizeof last_error, "%s", message);
    return cli_exit_code(err->status);
}

int cli_fail_on_data(const char *cmd, const char *data_path,
                     const gmm_error *err)
{
    /* gmm_fit_npy read the file itself and may have named it already;
     * another MPI rank's message is that rank's, whole as it said it. */
    size_t length = strlen(data_path);
    int named = (strncmp(err->message, data_path, length) == 0 &&
                 err->message[length] == ':') ||
                strncmp(err->message, "MPI rank ", 9) == 0;
    if ((err->status != GMM_ERR_DATA && err->status != GMM_ERR_NUMERIC) ||
        named)
        return cli_fail(cmd, err);
    return cli_error(cmd, cli_exit_code(err->status), "%s: %s", data_path,
                     err->message);
}

void cli_vprint(const char *cmd, const char *prefix, const char *format,
                va_list args)
{
    va_list copy;
    va_copy(copy, args);
    fprintf(stderr, "gmm %s: %s", cmd, prefix);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    if (prefix[0] == '\0')
        vsnprintf(last_error, sizeof last_error, format, copy);
    va_end(copy);
}

int cli_error(const char *cmd, int code, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    cli_vprint(cmd, "", format, args);
    va_end(args);
    return code;
}

void cli_warning(const char *cmd, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    cli_vprint(cmd, "warning: ", format, args);
    va_end(args);
}
