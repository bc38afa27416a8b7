/*
 * test_data_read.c — gmm_data_read (data_read.c, file_read.c): format by
 * content, standard input, and the file-system errors it must explain.
 * argv[1] is data/faithful.csv.
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "io/data_read.h"

static void check_faithful(const char *path)
{
    gmm_data data;
    gmm_error err;
    CHECK(gmm_data_read(path, &data, &err) == GMM_OK);
    CHECK(data.n_rows == 272 && data.n_cols == 2);
    CHECK(data.column_names && strcmp(data.column_names[0], "eruptions") == 0
          && strcmp(data.column_names[1], "waiting") == 0);
    CHECK(data.values && data.values[0] == 3.6 && data.values[1] == 79);
    gmm_data_free(&data);
    gmm_data_free(&data); /* freeing an emptied gmm_data is harmless */
    gmm_data_free(NULL);
}

static void check_file_errors(void)
{
    gmm_data data;
    gmm_error err;
    CHECK(gmm_data_read("/nonexistent/x.csv", &data, &err) == GMM_ERR_IO);
    CHECK_ERROR(&err, GMM_ERR_IO, "/nonexistent/x.csv: cannot open: No such file");
    CHECK(data.values == NULL);
    CHECK(gmm_data_read("/", &data, &err) == GMM_ERR_IO);
    CHECK_ERROR(&err, GMM_ERR_IO, "/: is a directory");
    CHECK(gmm_data_read(NULL, &data, &err) == GMM_ERR_INVALID);
}

/* "-" reads standard input, CSV or .npy by content; messages say <stdin>. */
static void check_stdin(void)
{
    char path[] = "/tmp/gmm_test_stdin_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    const char text[] = "a b\n1 2\n3 x\n";
    CHECK(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(dup2(fd, STDIN_FILENO) == STDIN_FILENO);
    gmm_data data;
    gmm_error err;
    CHECK(gmm_data_read("-", &data, &err) == GMM_ERR_FORMAT);
    CHECK_ERROR(&err, GMM_ERR_FORMAT, "<stdin>: line 3, column 2", "\"x\"");
    close(fd);
    unlink(path);
}

/* The read end of a pipe that holds `size` bytes (fewer than a pipe's
 * buffer) and then ends. */
static int pipe_of(const char *bytes, size_t size)
{
    int ends[2];
    CHECK(pipe(ends) == 0);
    CHECK(write(ends[1], bytes, size) == (ssize_t)size);
    close(ends[1]);
    return ends[0];
}

/* A pipe, by name (as `gmm fit <(cmd)` gives: /dev/fd/N) and as standard
 * input, read in small pieces: CSV parsed as it comes, .npy read whole and
 * converted where it lies; either as from memory. */
static void check_pipe(const char *bytes, size_t size, int is_npy)
{
    for (int as_stdin = 0; as_stdin <= 1; as_stdin++) {
        int fd = pipe_of(bytes, size);
        char path[64];
        snprintf(path, sizeof path, "/dev/fd/%d", fd);
        int saved_stdin = dup(STDIN_FILENO);
        if (as_stdin)
            dup2(fd, STDIN_FILENO);
        const char *name = as_stdin ? "<stdin>" : path;
        gmm_data got, expected;
        gmm_error err = {GMM_OK, ""}, expected_err = {GMM_OK, ""};
        gmm_status status = io_data_read(as_stdin ? "-" : path, 7, &got, &err);
        gmm_status expected_status =
            is_npy ? gmm_data_parse_npy((const unsigned char *)bytes, size, name, &expected,
                                        &expected_err)
                   : gmm_data_parse_csv(bytes, size, name, &expected, &expected_err);
        CHECK(status == expected_status && strcmp(err.message, expected_err.message) == 0);
        CHECK(got.n_rows == expected.n_rows && got.n_cols == expected.n_cols);
        if (got.values && expected.values)
            CHECK(memcmp(got.values, expected.values,
                         got.n_rows * got.n_cols * sizeof(double)) == 0);
        gmm_data_free(&got);
        gmm_data_free(&expected);
        dup2(saved_stdin, STDIN_FILENO);
        close(saved_stdin);
        close(fd);
    }
}

static void check_pipes(void)
{
    static const char csv[] = "x,y\n1.5,2\n\n-3,4e-2\r\n5,6";
    check_pipe(csv, sizeof csv - 1, 0);
    static const char bad_csv[] = "1,2\n3,4\n5,nan\n";
    check_pipe(bad_csv, sizeof bad_csv - 1, 0);
    /* A 2 x 2 big-endian float32 array, its header padded to 128 bytes
     * as numpy pads it. */
    static const char header[] = "\x93NUMPY\x01\x00\x76\x00{'descr': '>f4', "
                                 "'fortran_order': False, 'shape': (2, 2), }";
    char npy[128 + 16];
    memset(npy, ' ', 127);
    memcpy(npy, header, sizeof header - 1);
    npy[127] = '\n';
    static const unsigned char values[16] = {0x3f, 0xc0, 0, 0, 0xc0, 0x40, 0, 0,
                                             0x40, 0xa0, 0, 0, 0x41, 0x10, 0, 0};
    memcpy(npy + 128, values, sizeof values);
    check_pipe(npy, sizeof npy, 1);
    gmm_data data;
    gmm_error err;
    CHECK(gmm_data_parse_npy((const unsigned char *)npy, sizeof npy, "p.npy", &data, &err)
          == GMM_OK);
    CHECK(data.n_rows == 2 && data.values && data.values[0] == 1.5 && data.values[1] == -3
          && data.values[2] == 5 && data.values[3] == 9);
    gmm_data_free(&data);
    /* The header claims more rows than follow: the same message. */
    char *shape = memchr(npy, '(', 128);
    shape[1] = '3';
    check_pipe(npy, sizeof npy, 1);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        check_faithful(argv[1]);
    check_file_errors();
    check_stdin();
    check_pipes();
    return check_report("test_data_read");
}
