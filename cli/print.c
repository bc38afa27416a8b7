/*
 * print.c — printing results on standard output (output.c writes
 * files).
 *
 * Numbers are printed with %.17g, enough digits for any double to read back
 * to the same bits, so that the command's output can feed another program
 * (or another `gmm`) without loss.
 */
#include <errno.h>
#include <stdint.h>
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

/* A header name as CSV: quoted (with "" for ") when it holds what would
 * split or end the field, as the reader accepts it back. */
static int write_name(FILE *out, const char *name)
{
    if (!strpbrk(name, ",\"\t\r\n") && name[0] != ' ' &&
        (name[0] == '\0' || name[strlen(name) - 1] != ' '))
        return fputs(name, out) < 0 ? -1 : 0;
    if (fputc('"', out) == EOF)
        return -1;
    for (const char *c = name; *c; c++)
        if ((*c == '"' && fputc('"', out) == EOF) || fputc(*c, out) == EOF)
            return -1;
    return fputc('"', out) == EOF ? -1 : 0;
}

int cli_print_header(FILE *out, const gmm_data *data)
{
    if (data->column_names != NULL)
        for (size_t col = 0; col < data->n_cols; col++)
            if (write_name(out, data->column_names[col]) != 0 ||
                fputc(col + 1 < data->n_cols ? ',' : '\n', out) == EOF)
                return -1;
    return 0;
}

int cli_print_npy(FILE *out, const double *values, size_t n_rows,
                  size_t n_cols)
{
    /* Format 1.0: magic, version, a little-endian header length, then the
     * header dict padded with blanks to a multiple of 64 bytes with its
     * newline, as numpy.save writes it. */
    char dict[128];
    int length = snprintf(dict, sizeof dict,
                          "{'descr': '<f8', 'fortran_order': False, "
                          "'shape': (%zu, %zu), }", n_rows, n_cols);
    size_t preamble = 10, total = (preamble + (size_t)length + 1 + 63) / 64 * 64;
    size_t header = total - preamble;
    unsigned char lead[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                              (unsigned char)(header & 0xff),
                              (unsigned char)(header >> 8)};
    if (fwrite(lead, 1, sizeof lead, out) != sizeof lead ||
        fputs(dict, out) < 0)
        return -1;
    for (size_t i = (size_t)length; i + 1 < header; i++)
        if (fputc(' ', out) == EOF)
            return -1;
    if (fputc('\n', out) == EOF)
        return -1;
    for (size_t i = 0; i < n_rows * n_cols; i++) {
        uint64_t bits;
        unsigned char bytes[8];
        memcpy(&bits, &values[i], sizeof bits);
        for (int b = 0; b < 8; b++)
            bytes[b] = (unsigned char)(bits >> (8 * b));
        if (fwrite(bytes, 1, sizeof bytes, out) != sizeof bytes)
            return -1;
    }
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
