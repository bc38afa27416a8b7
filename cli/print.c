/*
 * output.c — printing results and writing output files.
 *
 * Numbers are printed with %.17g, enough digits for any double to read back
 * to the same bits, so that the command's output can feed another program
 * (or another `gmm`) without loss.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_print_rows(FILE *out, const double *values, size_t n_rows,
                   size_t n_cols)
{
    for (size_t row = 0; row < n_rows; row++)
        for (size_t col = 0; col < n_cols; col++)
            if (fprintf(out, "%.17g%c", values[row * n_cols + col],
                        col + 1 < n_cols ? ',' : '\n') < 0)
                return -1;
    return 0;
}

int cli_print_labels(FILE *out, const int *labels, size_t n_rows)
{
    for (size_t row = 0; row < n_rows; row++)
        if (fprintf(out, "%d\n", labels[row]) < 0)
            return -1;
    return 0;
}

int cli_finish_stdout(const char *cmd)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_error(cmd, CLI_EXIT_INPUT, "writing standard output: %s",
                         strerror(errno));
    return CLI_EXIT_OK;
}

/* mkstemp creates files readable by their owner only; an output file
 * should get the permissions any new file gets. */
static void set_default_permissions(int fd)
{
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
}

/* Write and flush everything to the open temporary file, then close it;
 * on failure errno says why. */
static int write_and_close(int fd, cli_write_fn write_content,
                           const void *content)
{
    FILE *out = fdopen(fd, "w");
    if (out == NULL) {
        close(fd);
        return -1;
    }
    int failed = write_content(out, content) != 0 || fflush(out) != 0 ||
                 fsync(fd) != 0;
    int saved_errno = errno;
    if (fclose(out) != 0 && !failed) {
        failed = 1;
        saved_errno = errno;
    }
    errno = saved_errno;
    return failed ? -1 : 0;
}

int cli_write_file_atomic(const char *cmd, const char *path,
                          cli_write_fn write_content, const void *content)
{
    static const char suffix[] = ".tmp-XXXXXX";
    size_t length = strlen(path);
    char *temp_path = malloc(length + sizeof suffix);
    if (temp_path == NULL)
        return cli_error(cmd, CLI_EXIT_NOMEM, "%s: out of memory", path);
    memcpy(temp_path, path, length);
    memcpy(temp_path + length, suffix, sizeof suffix);

    /* A signal from here on removes the temporary file (interrupt.c). */
    cli_interrupt_remove_on_signal(temp_path);
    int code = CLI_EXIT_OK;
    int fd = mkstemp(temp_path);
    if (fd < 0) {
        code = cli_error(cmd, CLI_EXIT_INPUT,
                         "%s: cannot create a temporary file %s: %s", path,
                         temp_path, strerror(errno));
    } else {
        set_default_permissions(fd);
        if (write_and_close(fd, write_content, content) != 0)
            code = cli_error(cmd, CLI_EXIT_INPUT, "%s: cannot write: %s",
                             path, strerror(errno));
        /* A deferred signal (gmm fit) that came while writing: the user
         * asked for no output, so the old file stays. */
        if (code == CLI_EXIT_OK)
            code = cli_interrupt_check(cmd);
        if (code == CLI_EXIT_OK && rename(temp_path, path) != 0)
            code = cli_error(cmd, CLI_EXIT_INPUT,
                             "%s: cannot replace the file: %s", path,
                             strerror(errno));
        if (code != CLI_EXIT_OK)
            unlink(temp_path);
    }
    cli_interrupt_remove_on_signal(NULL);
    free(temp_path);
    return code;
}

void *cli_alloc_results(const char *cmd, size_t n_rows, size_t n_cols,
                        size_t element_size)
{
    /* calloc checks the product for overflow; one element at least, so
     * that an empty result is not mistaken for a failure. */
    size_t count = n_rows * n_cols;
    void *results = (n_cols == 0 || count / n_cols == n_rows)
                        ? calloc(count > 0 ? count : 1, element_size)
                        : NULL;
    if (results == NULL)
        cli_error(cmd, CLI_EXIT_NOMEM, "out of memory for %zu x %zu results",
                  n_rows, n_cols);
    return results;
}
