/*
 * fuzz_csv.c — libFuzzer target for gmm_data_parse_csv.
 *
 * Besides what the sanitizers catch, it checks the parser's promises: on
 * failure an empty result and a message; on success finite values that
 * print with "%.17g" and parse back to the same bits. Then the same bytes
 * read from a file and a pipe in small pieces, as the command reads them,
 * must give the same result (file_reads.h).
 */
#include "file_reads.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gmm.h"

static void reparse_exactly(const gmm_data *data)
{
    size_t n_values = data->n_rows * data->n_cols;
    char *text = malloc(n_values * 26 + 1);
    size_t length = 0;
    for (size_t i = 0; i < n_values; i++)
        length += (size_t)sprintf(text + length, "%.17g%c", data->values[i],
                                  (i + 1) % data->n_cols ? ',' : '\n');
    gmm_data again;
    gmm_error err;
    if (gmm_data_parse_csv(text, length, "again", &again, &err) != GMM_OK
        || again.n_rows != data->n_rows || again.n_cols != data->n_cols
        || memcmp(again.values, data->values, n_values * sizeof(double)) != 0)
        abort();
    gmm_data_free(&again);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    gmm_data data;
    gmm_error err;
    if (gmm_data_parse_csv((const char *)bytes, size, "fuzz.csv", &data, &err) != GMM_OK) {
        if (data.values || data.column_names || err.message[0] == '\0')
            abort();
        fuzz_check_file_reads(bytes, size);
        return 0;
    }
    for (size_t i = 0; i < data.n_rows * data.n_cols; i++)
        if (!isfinite(data.values[i]))
            abort();
    reparse_exactly(&data);
    gmm_data_free(&data);
    fuzz_check_file_reads(bytes, size);
    return 0;
}
