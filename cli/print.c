/*
 * print.c — printing results on standard output (output.c writes
 * files).
 *
 * Numbers are printed with %.17g, enough digits for any double to read back
 * to the same bits, so that the command's output can feed another program
 * (or another `gmm`) without loss.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
