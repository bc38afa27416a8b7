/*
 * test_read_memory.c — gmm_data_read holds a file's data once.
 *
 * Reading a 64 MiB .npy file must raise the process's peak resident memory
 * by less than 1.2 times its values (the reader before held the file's
 * bytes and the values together: 2 times), and reading a CSV file by less
 * than its text (before: the text and the values together).
 *
 * Resident memory is this process's own (the page cache does not count),
 * so other processes on the machine cannot disturb the measure. The peak
 * (ru_maxrss) only grows, so the smaller file is read first. Under
 * AddressSanitizer, whose shadow memory and quarantine are resident too,
 * only the values are checked.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check.h"
#include "resident.h"

#define NPY_ROWS ((size_t)1 << 20)
#define NPY_COLS 8 /* 64 MiB of float64 */
#define CSV_ROWS 100000
#define CSV_COLS 8
#define WRITE_BUFFER_SIZE ((size_t)1 << 20)

/* The n-th value of a file: varied, exact in %.17g. */
static double value_at(size_t n)
{
    return (double)(n % 1000003) * 1.0000001 - 5e5;
}

/* Write through a small buffer, so that making the file costs no memory. */
static size_t write_npy(int fd)
{
    char header[128];
    memset(header, ' ', sizeof header);
    int length = snprintf(header, sizeof header,
                          "\x93NUMPY\x01%c%c%c{'descr': '<f8', 'fortran_order': False, "
                          "'shape': (%zu, %d), }", 0, 118, 0, NPY_ROWS, NPY_COLS);
    header[length] = ' ';
    header[127] = '\n';
    size_t written = (size_t)write(fd, header, sizeof header);
    double *buffer = malloc(WRITE_BUFFER_SIZE);
    size_t per_buffer = WRITE_BUFFER_SIZE / sizeof *buffer;
    for (size_t first = 0; first < NPY_ROWS * NPY_COLS; first += per_buffer) {
        for (size_t i = 0; i < per_buffer; i++)
            buffer[i] = value_at(first + i);
        written += (size_t)write(fd, buffer, WRITE_BUFFER_SIZE);
    }
    free(buffer);
    return written;
}

static size_t write_csv(int fd)
{
    char *buffer = malloc(WRITE_BUFFER_SIZE);
    size_t written = 0, used = 0;
    for (size_t i = 0; i < (size_t)CSV_ROWS * CSV_COLS; i++) {
        used += (size_t)snprintf(buffer + used, 32, "%.17g%c", value_at(i),
                                 i % CSV_COLS == CSV_COLS - 1 ? '\n' : ',');
        if (used > WRITE_BUFFER_SIZE - 32 || i + 1 == (size_t)CSV_ROWS * CSV_COLS) {
            written += (size_t)write(fd, buffer, used);
            used = 0;
        }
    }
    free(buffer);
    return written;
}

/* Read the file made by `write_file`; the growth of the peak, from the
 * memory resident just before, must stay under `limit` bytes. */
static void check_read(const char *what, size_t (*write_file)(int),
                       size_t n_rows, size_t n_cols, double limit_per_value_byte,
                       int limit_by_file)
{
    char path[] = "/tmp/gmm_test_memory_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    size_t file_size = write_file(fd);
    close(fd);
    size_t value_bytes = n_rows * n_cols * sizeof(double);
    double limit = limit_by_file ? (double)file_size : limit_per_value_byte * (double)value_bytes;

    size_t before = resident_bytes();
    gmm_data data;
    gmm_error err;
    gmm_status status = gmm_data_read(path, &data, &err);
    size_t growth = peak_resident_bytes() - before;
    unlink(path);
    if (status != GMM_OK) {
        fprintf(stderr, "  %s: %s\n", what, err.message);
        CHECK(status == GMM_OK);
        return;
    }
    size_t wrong = data.n_rows == n_rows && data.n_cols == n_cols ? 0 : 1;
    for (size_t i = 0; !wrong && i < n_rows * n_cols; i++)
        wrong += data.values[i] != value_at(i);
    CHECK(wrong == 0);
    gmm_data_free(&data);
    printf("%s: %.1f MiB file, %.1f MiB of values, peak resident memory grew by "
           "%.1f MiB (limit %.1f MiB%s)\n", what, (double)file_size / 1048576,
           (double)value_bytes / 1048576, (double)growth / 1048576, limit / 1048576,
           MEASURING ? "" : ", not checked under AddressSanitizer");
    if (MEASURING)
        CHECK((double)growth < limit);
}

int main(void)
{
    check_read("CSV", write_csv, CSV_ROWS, CSV_COLS, 0, 1);
    check_read(".npy", write_npy, NPY_ROWS, NPY_COLS, 1.2, 0);
    return check_report("test_read_memory");
}
