/*
 * test_npy.c — gmm_data_parse_npy and gmm_data_read on .npy input.
 *
 * With a fixture folder argument (files written by numpy, see
 * make_npy_fixtures.py) it also checks real numpy files; without one it
 * runs only the checks on hand-built headers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static const char *fixtures;

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
    /* Every truncation is an error, never a read past the end. */
    for (size_t cut = 0; cut < size; cut++) {
        CHECK(gmm_data_parse_npy(bytes, cut, "cut.npy", &data, &err) == GMM_ERR_FORMAT);
        CHECK(data.values == NULL);
    }
    /* The version byte. */
    bytes[6] = 4;
    CHECK(gmm_data_parse_npy(bytes, size, "v.npy", &data, &err) == GMM_ERR_FORMAT);
    CHECK_ERROR(&err, GMM_ERR_FORMAT, "v.npy", "version 4.0");
    /* A header length beyond the file. */
    bytes[6] = 1;
    bytes[9] = 0xff;
    CHECK(gmm_data_parse_npy(bytes, size, "l.npy", &data, &err) == GMM_ERR_FORMAT);
    CHECK_ERROR(&err, GMM_ERR_FORMAT, "l.npy", "truncated", "claims");
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
