/*
 * test_npy.c — gmm_data_parse_npy and gmm_data_read on .npy input.
 *
 * With a fixture folder argument (files written by numpy, see
 * make_npy_fixtures.py) it also checks real numpy files; without one it
 * runs only the checks on hand-built headers.
 *
 * gmm_data_read reads a regular file a piece of rows at a time into the
 * values, and standard input whole, converted in place: every hand-built
 * case is also read both ways, in pieces of many sizes, and must give
 * exactly what the bytes in memory give (values, status, message); the
 * fixtures include files larger than a piece and than a column block of
 * Fortran order, in every dtype and order.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "temp_file.h"
#include "io/data_read.h"
#include "io/file.h"
#include "io/npy_rows.h"

static const char *fixtures;

/* Boundaries inside the magic, the header, a value and a row; and the
 * size gmm_data_read uses. */
static const size_t piece_sizes[] = {1, 5, 100, 4099, IO_PIECE_SIZE};

static int same_data(const gmm_data *a, const gmm_data *b)
{
    return a->n_rows == b->n_rows && a->n_cols == b->n_cols
           && (a->values == NULL) == (b->values == NULL)
           && (!a->values
               || memcmp(a->values, b->values, a->n_rows * a->n_cols * sizeof(double)) == 0);
}

/* path read in pieces of piece_size gives what bytes give in memory under
 * `name`. */
static void check_read_agrees(const char *path, size_t piece_size,
                              const unsigned char *bytes, size_t size,
                              const char *name)
{
    gmm_data expected, got;
    gmm_error expected_err = {GMM_OK, ""}, err = {GMM_OK, ""};
    gmm_status expected_status = gmm_data_parse_npy(bytes, size, name, &expected,
                                                    &expected_err);
    gmm_status status = io_data_read(path, piece_size, &got, &err);
    if (status != expected_status || strcmp(err.message, expected_err.message) != 0
        || !same_data(&got, &expected)) {
        fprintf(stderr, "  %s, pieces of %zu: status %d \"%s\", expected %d \"%s\"\n",
                path, piece_size, (int)status, err.message, (int)expected_status,
                expected_err.message);
        CHECK(!"a file reads as its bytes in memory");
    }
    gmm_data_free(&got);
    gmm_data_free(&expected);
}

/* The bytes from a regular file and from standard input. Fewer than the
 * magic's 6 bytes are CSV by content, so they are not compared. */
static void check_files_agree(const unsigned char *bytes, size_t size)
{
    if (size < 6)
        return;
    char path[] = "/tmp/gmm_test_npy_XXXXXX";
    int fd = temp_file_with(path, bytes, size);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    for (size_t i = 0; i < sizeof piece_sizes / sizeof piece_sizes[0]; i++)
        check_read_agrees(path, piece_sizes[i], bytes, size, path);
    int saved_stdin = dup(STDIN_FILENO);
    CHECK(dup2(fd, STDIN_FILENO) == STDIN_FILENO);
    for (size_t piece_size = 1; piece_size <= IO_PIECE_SIZE; piece_size *= 1024) {
        CHECK(lseek(STDIN_FILENO, 0, SEEK_SET) == 0);
        check_read_agrees("-", piece_size, bytes, size, "<stdin>");
    }
    dup2(saved_stdin, STDIN_FILENO);
    close(saved_stdin);
    close(fd);
    unlink(path);
}

/* A version 1.0 file: the magic, the header padded as numpy pads it, then
 * `data_size` bytes of data. Returns its size; *bytes is malloc'd. */
static size_t make_npy(const char *dict, const void *data, size_t data_size,
                       unsigned char **bytes)
{
    size_t header_length = strlen(dict) + 1;
    header_length += (64 - (10 + header_length) % 64) % 64;
    size_t size = 10 + header_length + data_size;
    *bytes = malloc(size);
    memcpy(*bytes, "\x93NUMPY\x01\x00", 8);
    (*bytes)[8] = (unsigned char)(header_length & 0xff);
    (*bytes)[9] = (unsigned char)(header_length >> 8);
    memset(*bytes + 10, ' ', header_length);
    memcpy(*bytes + 10, dict, strlen(dict));
    (*bytes)[10 + header_length - 1] = '\n';
    memcpy(*bytes + 10 + header_length, data, data_size);
    return size;
}

static void check_npy_fails(const char *dict, size_t data_size, gmm_status status,
                            const char *fragment)
{
    double zeros[16] = {0};
    unsigned char *bytes;
    size_t size = make_npy(dict, zeros, data_size, &bytes);
    gmm_data data;
    gmm_error err;
    CHECK(gmm_data_parse_npy(bytes, size, "h.npy", &data, &err) == status);
    CHECK_ERROR(&err, status, "h.npy", fragment);
    CHECK(data.values == NULL && data.n_rows == 0);
    check_files_agree(bytes, size);
    free(bytes);
}

static void check_headers(void)
{
    const double values[6] = {1, 2, 3, 4, 5, 6};
    unsigned char *bytes;
    size_t size = make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
                           values, sizeof values, &bytes);
    gmm_data data;
    gmm_error err;
    CHECK(gmm_data_parse_npy(bytes, size, "ok.npy", &data, &err) == GMM_OK);
    CHECK(data.n_rows == 2 && data.n_cols == 3 && data.column_names == NULL);
    CHECK(data.values && memcmp(data.values, values, sizeof values) == 0);
    gmm_data_free(&data);
    check_files_agree(bytes, size);
    /* Every truncation is an error, never a read past the end. */
    for (size_t cut = 0; cut < size; cut++) {
        CHECK(gmm_data_parse_npy(bytes, cut, "cut.npy", &data, &err) == GMM_ERR_FORMAT);
        CHECK(data.values == NULL);
        check_files_agree(bytes, cut);
    }
    /* The version byte. */
    bytes[6] = 4;
    CHECK(gmm_data_parse_npy(bytes, size, "v.npy", &data, &err) == GMM_ERR_FORMAT);
    CHECK_ERROR(&err, GMM_ERR_FORMAT, "v.npy", "version 4.0");
    check_files_agree(bytes, size);
    /* A header length beyond the file. */
    bytes[6] = 1;
    bytes[9] = 0xff;
    CHECK(gmm_data_parse_npy(bytes, size, "l.npy", &data, &err) == GMM_ERR_FORMAT);
    CHECK_ERROR(&err, GMM_ERR_FORMAT, "l.npy", "truncated", "claims");
    check_files_agree(bytes, size);
    free(bytes);

    CHECK(gmm_data_parse_npy((const unsigned char *)"hello", 5, "t.npy", &data, &err) == GMM_ERR_FORMAT);
    CHECK_ERROR(&err, GMM_ERR_FORMAT, "t.npy", "not a .npy file");

    check_npy_fails("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", 16,
                    GMM_ERR_FORMAT, "dtype \"<i8\"");
    check_npy_fails("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }", 64,
                    GMM_ERR_FORMAT, "more than 2 dimensions");
    check_npy_fails("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", 8,
                    GMM_ERR_FORMAT, "single number");
    check_npy_fails("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 2), }", 0,
                    GMM_ERR_DATA, "empty (shape (0, 2))");
    check_npy_fails("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", 40,
                    GMM_ERR_FORMAT, "shape (3, 2) of 8-byte values, but 40 bytes");
    check_npy_fails("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", 56,
                    GMM_ERR_FORMAT, "but 56 bytes");
    /* Sizes whose product overflows 64 bits. */
    check_npy_fails("{'descr': '<f8', 'fortran_order': False, "
                    "'shape': (4294967296, 4294967297), }", 16, GMM_ERR_FORMAT,
                    "shape (4294967296, 4294967297)");
    check_npy_fails("{'descr': '<f8', 'fortran_order': False, "
                    "'shape': (99999999999999999999999,), }", 16, GMM_ERR_FORMAT,
                    "fits in size_t");
    check_npy_fails("{'descr': '<f8', 'shape': (2,), }", 16, GMM_ERR_FORMAT,
                    "lacks 'fortran_order'");
    check_npy_fails("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", 16,
                    GMM_ERR_FORMAT, "one of the keys");
    check_npy_fails("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2,), }", 16,
                    GMM_ERR_FORMAT, "True or False");
    check_npy_fails("{'descr': '<f8', 'fortran_order': False, 'shape': (2,) } junk", 16,
                    GMM_ERR_FORMAT, "the end of the header");
    check_npy_fails("{'descr': '<f8', 'fortran_order': False, 'shape': (2 2), }", 16,
                    GMM_ERR_FORMAT, "expected ')'");

    const double with_nan[4] = {1, 2, 3, 0.0 / 0.0};
    size = make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                    with_nan, sizeof with_nan, &bytes);
    CHECK(gmm_data_parse_npy(bytes, size, "nan.npy", &data, &err) == GMM_ERR_DATA);
    CHECK_ERROR(&err, GMM_ERR_DATA, "nan.npy: X[1, 1]", "found NaN");
    check_files_agree(bytes, size);
    free(bytes);
    /* float32 grows into doubles where it lies when read from a pipe. */
    const float floats[6] = {1.5f, -2, 3, 4, 5, 6.25f};
    size = make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }",
                    floats, sizeof floats, &bytes);
    check_files_agree(bytes, size);
    free(bytes);
}

/* X[i, j] = 10 i + j + 0.5, 5 x 3, as make_npy_fixtures.py writes it. */
static void check_fixture_matrix(const char *file, size_t n_cols)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", fixtures, file);
    gmm_data data;
    gmm_error err;
    if (gmm_data_read(path, &data, &err) != GMM_OK) {
        fprintf(stderr, "  %s: %s\n", file, err.message);
        CHECK(!"fixture reads");
        return;
    }
    CHECK(data.n_rows == 5 && data.n_cols == n_cols);
    for (size_t i = 0; i < data.n_rows; i++)
        for (size_t j = 0; j < data.n_cols; j++)
            CHECK(data.values[i * data.n_cols + j] == 10.0 * (double)i + (double)j + 0.5);
    gmm_data_free(&data);
}

static void check_fixture_fails(const char *file, gmm_status status, const char *fragment)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", fixtures, file);
    gmm_data data;
    gmm_error err;
    CHECK(gmm_data_read(path, &data, &err) == status);
    CHECK_ERROR(&err, status, file, fragment);
}

/* B[i, j] = 3 i + j + 0.25, 70001 x 3, as make_npy_fixtures.py writes it. */
static void check_big_matrix(const char *file, const char *how, const gmm_data *data)
{
    size_t wrong = data->n_rows == 70001 && data->n_cols == 3 ? 0 : 1;
    for (size_t i = 0; !wrong && i < data->n_rows * data->n_cols; i++)
        wrong += data->values[i] != (double)i + 0.25;
    if (wrong) {
        fprintf(stderr, "  %s %s: wrong matrix\n", file, how);
        CHECK(!"a large fixture reads right");
    }
}

static void check_big_read(const char *file, const char *path, size_t piece_size,
                           const char *how, const char *failure)
{
    gmm_data data;
    gmm_error err;
    gmm_status status = io_data_read(path, piece_size, &data, &err);
    if (failure) {
        CHECK_ERROR(&err, GMM_ERR_DATA, failure);
        CHECK(status == GMM_ERR_DATA && data.values == NULL);
    } else if (status != GMM_OK) {
        fprintf(stderr, "  %s %s: %s\n", file, how, err.message);
        CHECK(!"a large fixture reads");
    } else {
        check_big_matrix(file, how, &data);
    }
    gmm_data_free(&data);
}

/* A large fixture (or one that must fail with `failure` in its message),
 * read from the file in pieces of every size and from standard input. */
static void check_big_fixture(const char *file, const char *failure)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", fixtures, file);
    for (size_t i = 0; i < sizeof piece_sizes / sizeof piece_sizes[0]; i++) {
        char how[64];
        snprintf(how, sizeof how, "in pieces of %zu", piece_sizes[i]);
        check_big_read(file, path, piece_sizes[i], how, failure);
    }
    FILE *file_stream = fopen(path, "rb");
    CHECK(file_stream != NULL);
    if (!file_stream)
        return;
    int saved_stdin = dup(STDIN_FILENO);
    dup2(fileno(file_stream), STDIN_FILENO);
    check_big_read(file, "-", IO_PIECE_SIZE, "from standard input", failure);
    dup2(saved_stdin, STDIN_FILENO);
    close(saved_stdin);
    fclose(file_stream);
}

/* The streamed fits' reader (npy_rows.c) on windows that cross Fortran
 * order's column blocks of 65536 rows, and on all rows at once (an MPI
 * rank's slice held in memory). */
static void check_row_windows(const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", fixtures, file);
    io_npy_rows rows;
    gmm_error err;
    if (io_npy_rows_open(path, &rows, &err) != GMM_OK) {
        fprintf(stderr, "  %s: %s\n", file, err.message);
        CHECK(!"a large fixture opens");
        return;
    }
    static const size_t windows[][2] = {{0, 70001}, {65000, 1100}, {65535, 2}, {1, 69999}};
    for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++) {
        size_t first = windows[w][0], count = windows[w][1];
        double *out = malloc(count * 3 * sizeof *out);
        CHECK(io_npy_rows_read(&rows, first, count, out, &err) == GMM_OK);
        size_t wrong = 0;
        for (size_t i = 0; i < count * 3; i++)
            wrong += out[i] != (double)(first * 3 + i) + 0.25;
        if (wrong)
            fprintf(stderr, "  %s rows %zu..: %zu wrong values\n", file, first, wrong);
        CHECK(wrong == 0);
        free(out);
    }
    io_npy_rows_close(&rows);
}

static void check_big_files(void)
{
    static const char *good[] = {"big_c_le_f8.npy", "big_c_be_f8.npy", "big_c_le_f4.npy",
                                 "big_c_be_f4.npy", "big_fortran_le_f8.npy",
                                 "big_fortran_be_f8.npy", "big_fortran_le_f4.npy",
                                 "big_fortran_be_f4.npy"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        check_big_fixture(good[i], NULL);
    check_row_windows("big_fortran_be_f4.npy");
    check_row_windows("big_fortran_le_f8.npy");
    check_row_windows("big_c_be_f8.npy");
    /* The first non-finite value in numpy's row-major order, wherever the
     * pieces and column blocks cut. */
    check_big_fixture("big_bad_c_be_f4.npy", "X[66000, 2] (row and column counted from 0, "
                                             "as in numpy): expected a finite number, found NaN");
    check_big_fixture("big_bad_fortran_le_f8.npy", "X[66000, 2] (row and column counted "
                                                   "from 0, as in numpy): expected a finite "
                                                   "number, found NaN");
}

static void check_numpy_files(void)
{
    static const char *good[] = {"c_le_f8.npy", "c_be_f8.npy", "c_le_f4.npy", "c_be_f4.npy",
                                 "fortran_le_f8.npy", "fortran_be_f8.npy", "fortran_le_f4.npy",
                                 "fortran_be_f4.npy", "version2.npy", "version3.npy"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        check_fixture_matrix(good[i], 3);
    check_fixture_matrix("vector.npy", 1);
    check_fixture_fails("bad_int64.npy", GMM_ERR_FORMAT, "dtype \"<i8\"");
    check_fixture_fails("bad_object.npy", GMM_ERR_FORMAT, "dtype \"|O\"");
    check_fixture_fails("bad_complex.npy", GMM_ERR_FORMAT, "dtype \"<c16\"");
    check_fixture_fails("bad_3d.npy", GMM_ERR_FORMAT, "more than 2 dimensions");
    check_fixture_fails("bad_scalar.npy", GMM_ERR_FORMAT, "single number");
    check_fixture_fails("bad_empty.npy", GMM_ERR_DATA, "empty");
    check_fixture_fails("bad_nan.npy", GMM_ERR_DATA, "X[3, 1]");
    check_fixture_fails("bad_inf.npy", GMM_ERR_DATA, "X[0, 2]");

    /* The same numbers through both formats. */
    char npy_path[4096], csv_path[4096];
    snprintf(npy_path, sizeof npy_path, "%s/random.npy", fixtures);
    snprintf(csv_path, sizeof csv_path, "%s/random.csv", fixtures);
    gmm_data from_npy, from_csv;
    gmm_error err;
    CHECK(gmm_data_read(npy_path, &from_npy, &err) == GMM_OK);
    CHECK(gmm_data_read(csv_path, &from_csv, &err) == GMM_OK);
    CHECK(from_npy.n_rows == 200 && from_csv.n_rows == 200 && from_csv.n_cols == 4);
    CHECK(from_csv.column_names && strcmp(from_csv.column_names[3], "d") == 0);
    if (from_npy.values && from_csv.values)
        CHECK(memcmp(from_npy.values, from_csv.values, 200 * 4 * sizeof(double)) == 0);
    gmm_data_free(&from_npy);
    gmm_data_free(&from_csv);
    check_big_files();
}

int main(int argc, char **argv)
{
    check_headers();
    if (argc > 1) {
        fixtures = argv[1];
        check_numpy_files();
    }
    return check_report("test_npy");
}
