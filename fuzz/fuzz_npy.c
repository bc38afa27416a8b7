/*
 * fuzz_npy.c — libFuzzer target for gmm_data_parse_npy: any bytes give a
 * clean error or a matrix of finite values whose size matches the input.
 * Then the same bytes read from a file and a pipe in small pieces, and as
 * windows of rows (`--memory`), must give the same result (file_reads.h).
 */
#include "file_reads.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "gmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    gmm_data data;
    gmm_error err;
    if (gmm_data_parse_npy(bytes, size, "fuzz.npy", &data, &err) != GMM_OK) {
        if (data.values || err.message[0] == '\0')
            abort();
        fuzz_check_file_reads(bytes, size);
        return 0;
    }
    /* Every value came from at least 4 bytes of the input. */
    if (data.n_rows * data.n_cols > size / 4)
        abort();
    for (size_t i = 0; i < data.n_rows * data.n_cols; i++)
        if (!isfinite(data.values[i]))
            abort();
    gmm_data_free(&data);
    fuzz_check_file_reads(bytes, size);
    return 0;
}
