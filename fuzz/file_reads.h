/*
 * file_reads.h — what the fuzz targets check about reading files, beside
 * the in-memory parsers they drive: the same bytes read the way the `gmm`
 * command reads them give the same matrix, or the same error, as the bytes
 * parsed in memory.
 *
 * The command never parses a data file whole: gmm_data_read reads CSV a
 * piece of text at a time, a regular .npy file a window of rows at a time
 * with pread, and a .npy pipe whole; `--memory` reads .npy rows on demand
 * (npy_rows.c). Their bugs are at the boundaries between pieces: a number,
 * a line end, the magic or the header cut in two, a short read. So each
 * input is written to a memory file (memfd, a regular file with no disk
 * behind it) and to a pipe, and read with io_data_read with pieces of 1
 * byte and of a size drawn from the input, so that across a corpus the
 * boundary falls everywhere. The .npy row reader then reads windows of
 * rows, and Fortran order's column blocks, also drawn from the input.
 *
 * Every failure of a property calls abort() after saying what differed,
 * so that libFuzzer keeps the input.
 */
#ifndef GMM_FUZZ_FILE_READS_H
#define GMM_FUZZ_FILE_READS_H

#define _GNU_SOURCE /* memfd_create */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gmm.h"
#include "io/data_read.h"
#include "io/npy_rows.h"
#include "data_equal.h"

/* A pipe holds this much without a reader (Linux's default capacity);
 * longer inputs are read from the memory file only. */
#define FUZZ_PIPE_CAPACITY 65536

static uint64_t fuzz_hash(const uint8_t *bytes, size_t size, uint64_t seed)
{
    uint64_t h = 14695981039346656037u ^ seed; /* FNV-1a */
    for (size_t i = 0; i < size; i++)
        h = (h ^ bytes[i]) * 1099511628211u;
    return h;
}

static void fuzz_fail(const char *what, const char *path, size_t piece_size,
                      gmm_status status, const char *message,
                      gmm_status expected_status, const char *expected_message)
{
    fprintf(stderr, "%s: %s, pieces of %zu: status %d \"%s\", expected %d \"%s\"\n",
            what, path, piece_size, (int)status, message, (int)expected_status,
            expected_message);
    abort();
}

/* gmm_data_read's choice: .npy by its magic, CSV otherwise. */
static int fuzz_is_npy(const uint8_t *bytes, size_t size)
{
    return size >= 6 && memcmp(bytes, "\x93NUMPY", 6) == 0;
}

/* The bytes parsed in memory under `name`, as the file reader would. */
static gmm_status fuzz_parse(const uint8_t *bytes, size_t size, const char *name,
                             gmm_data *data, gmm_error *err)
{
    return fuzz_is_npy(bytes, size)
               ? gmm_data_parse_npy(bytes, size, name, data, err)
               : gmm_data_parse_csv((const char *)bytes, size, name, data, err);
}

/* path (holding the bytes) read in pieces of piece_size gives what the
 * bytes give in memory under that name: the same values and column names,
 * or the same status and message, and an empty gmm_data on failure. */
static void fuzz_check_read(const char *path, size_t piece_size,
                            const uint8_t *bytes, size_t size)
{
    gmm_data expected, got;
    gmm_error expected_err = {GMM_OK, ""}, err = {GMM_OK, ""};
    gmm_status expected_status = fuzz_parse(bytes, size, path, &expected, &expected_err);
    gmm_status status = io_data_read(path, piece_size, &got, &err);
    if (status != expected_status || strcmp(err.message, expected_err.message) != 0)
        fuzz_fail("read differs", path, piece_size, status, err.message,
                  expected_status, expected_err.message);
    if (!gmm_data_equal(&got, &expected))
        fuzz_fail("values differ", path, piece_size, status, err.message,
                  expected_status, expected_err.message);
    if (status != GMM_OK && (got.values || got.column_names || got.n_rows))
        fuzz_fail("failure leaves data", path, piece_size, status, err.message,
                  expected_status, expected_err.message);
    gmm_data_free(&got);
    gmm_data_free(&expected);
}

/* The rows of an .npy file as `--memory` reads them: windows of rows of
 * sizes drawn from the input, and Fortran order's column blocks shrunk to
 * a few rows, give bit for bit what one read of all rows gives, and that
 * is the matrix of the reader of bytes in memory when it succeeds (which
 * also refuses NaN and infinity, which the row reader passes on: the
 * fit checks them). The file opens exactly when the header parses. */
static void fuzz_check_npy_rows(const char *path, const uint8_t *bytes, size_t size)
{
    gmm_data expected;
    gmm_error expected_err = {GMM_OK, ""}, err = {GMM_OK, ""};
    gmm_status expected_status = gmm_data_parse_npy(bytes, size, path, &expected,
                                                    &expected_err);
    io_npy_rows file;
    gmm_status status = io_npy_rows_open(path, &file, &err);
    if (status != GMM_OK) {
        if (status != expected_status || strcmp(err.message, expected_err.message) != 0)
            fuzz_fail("npy rows open differs", path, 0, status, err.message,
                      expected_status, expected_err.message);
        gmm_data_free(&expected);
        return;
    }
    size_t n_rows = file.layout.n_rows, n_cols = file.layout.n_cols;
    size_t n_values = n_rows * n_cols;
    /* Every value is at least 4 bytes of the file. */
    if (n_values > size / 4)
        fuzz_fail("npy rows: shape beyond the file", path, 0, status, err.message,
                  expected_status, expected_err.message);
    double *whole = malloc((n_values ? n_values : 1) * sizeof *whole);
    double *windows = malloc((n_values ? n_values : 1) * sizeof *windows);
    if (!whole || !windows)
        abort();
    status = n_rows ? io_npy_rows_read(&file, 0, n_rows, whole, &err) : GMM_OK;
    if (status != GMM_OK)
        fuzz_fail("npy rows: reading all rows fails", path, 0, status, err.message,
                  expected_status, expected_err.message);
    if (expected_status == GMM_OK
        && (expected.n_rows != n_rows || expected.n_cols != n_cols
            || memcmp(expected.values, whole, n_values * sizeof *whole) != 0))
        fuzz_fail("npy rows differ from the bytes in memory", path, 0, status,
                  err.message, expected_status, expected_err.message);
    uint64_t h = fuzz_hash(bytes, size, 2);
    size_t window = 1 + (size_t)(h % (n_rows + 1));
    file.column_block_rows = 1 + (size_t)((h >> 20) % 5);
    for (size_t first = 0; first < n_rows; first += window) {
        size_t count = n_rows - first < window ? n_rows - first : window;
        status = io_npy_rows_read(&file, first, count, windows + first * n_cols, &err);
        if (status != GMM_OK)
            fuzz_fail("npy rows: reading a window fails", path, window, status,
                      err.message, GMM_OK, "");
    }
    if (memcmp(whole, windows, n_values * sizeof *whole) != 0)
        fuzz_fail("npy rows: windows differ from one read", path, window, status,
                  err.message, GMM_OK, "");
    free(windows);
    free(whole);
    io_npy_rows_close(&file);
    gmm_data_free(&expected);
}

/* A pipe holding the bytes, its write end closed; -1 when they do not
 * fit. */
static int fuzz_pipe_of(const uint8_t *bytes, size_t size)
{
    int ends[2];
    if (size > FUZZ_PIPE_CAPACITY || pipe(ends) != 0)
        return -1;
    size_t written = 0;
    while (written < size) {
        ssize_t n = write(ends[1], bytes + written, size - written);
        if (n <= 0)
            abort();
        written += (size_t)n;
    }
    close(ends[1]);
    return ends[0];
}

/* All of the above for one input. */
static void fuzz_check_file_reads(const uint8_t *bytes, size_t size)
{
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    if (fd < 0)
        abort();
    for (size_t written = 0; written < size;) {
        ssize_t n = write(fd, bytes + written, size - written);
        if (n <= 0)
            abort();
        written += (size_t)n;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    uint64_t h = fuzz_hash(bytes, size, 1);
    size_t drawn_piece = 1 + (size_t)(h % (size + 8));
    fuzz_check_read(path, 1, bytes, size);
    fuzz_check_read(path, drawn_piece, bytes, size);
    if (fuzz_is_npy(bytes, size))
        fuzz_check_npy_rows(path, bytes, size);
    close(fd);

    int pipe_fd = fuzz_pipe_of(bytes, size);
    if (pipe_fd >= 0) {
        snprintf(path, sizeof path, "/dev/fd/%d", pipe_fd);
        fuzz_check_read(path, 1 + (size_t)((h >> 32) % (size + 8)), bytes, size);
        close(pipe_fd);
    }
}

#endif
