/*
 * test_csv.c — gmm_data_parse_csv: the accepted dialects, exact numbers,
 * and every error path with the line, column and text it must name.
 *
 * Every text is also written to a file and read back with gmm_data_read's
 * streamed parser, in pieces of many sizes (so that the boundaries fall
 * inside lines, numbers and line ends, and lines outgrow the buffer), which
 * must give exactly what the text in memory gives.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "data_equal.h"
#include "temp_file.h"
#include "io/data_read.h"
#include "io/file.h"

static const size_t piece_sizes[] = {1, 2, 3, 5, 8, 13, 64, 4096, IO_PIECE_SIZE};

/* [text, text+length) from a file, read in pieces of every size, gives
 * what the text in memory gives under the file's name. */
static void check_file_agrees(const char *text, size_t length)
{
    char path[] = "/tmp/gmm_test_csv_XXXXXX";
    int fd = temp_file_with(path, text, length);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    gmm_data expected, got;
    gmm_error expected_err = {GMM_OK, ""}, err = {GMM_OK, ""};
    gmm_status expected_status = gmm_data_parse_csv(text, length, path, &expected,
                                                    &expected_err);
    for (size_t i = 0; i < sizeof piece_sizes / sizeof piece_sizes[0]; i++) {
        gmm_status status = io_data_read(path, piece_sizes[i], &got, &err);
        if (status != expected_status || strcmp(err.message, expected_err.message) != 0
            || !gmm_data_equal(&got, &expected)) {
            fprintf(stderr, "  pieces of %zu: status %d \"%s\", expected %d \"%s\"\n",
                    piece_sizes[i], (int)status, err.message, (int)expected_status,
                    expected_err.message);
            CHECK(!"a file reads as its text in memory");
        }
        gmm_data_free(&got);
    }
    gmm_data_free(&expected);
    unlink(path);
}

/* Parse text (its strlen) and compare with the expected matrix. */
static void check_parses(const char *text, size_t n_rows, size_t n_cols,
                         const double *expected, const char *const *names)
{
    gmm_data data;
    gmm_error err = {GMM_OK, ""};
    gmm_status status = gmm_data_parse_csv(text, strlen(text), "t.csv", &data, &err);
    check_file_agrees(text, strlen(text));
    if (status != GMM_OK) {
        fprintf(stderr, "  unexpected error: %s\n", err.message);
        CHECK(status == GMM_OK);
        return;
    }
    CHECK(data.n_rows == n_rows && data.n_cols == n_cols);
    if (data.n_rows == n_rows && data.n_cols == n_cols)
        CHECK(memcmp(data.values, expected, n_rows * n_cols * sizeof(double)) == 0);
    CHECK((names == NULL) == (data.column_names == NULL));
    for (size_t j = 0; names && data.column_names && j < n_cols; j++)
        CHECK(strcmp(data.column_names[j], names[j]) == 0);
    gmm_data_free(&data);
}

static void check_fails(const char *text, gmm_status status, const char *fragment1,
                        const char *fragment2)
{
    gmm_data data;
    gmm_error err = {GMM_OK, ""};
    CHECK(gmm_data_parse_csv(text, strlen(text), "t.csv", &data, &err) == status);
    CHECK_ERROR(&err, status, "t.csv", fragment1, fragment2);
    CHECK(data.values == NULL && data.column_names == NULL && data.n_rows == 0);
    check_file_agrees(text, strlen(text));
}

static void check_dialects(void)
{
    static const double two_by_two[] = {1.5, 2, -3, 4e-2};
    static const char *const xy[] = {"x", "y"};
    check_parses("1.5,2\n-3,4e-2\n", 2, 2, two_by_two, NULL);
    check_parses("x,y\n1.5,2\n-3,4e-2\n", 2, 2, two_by_two, xy);
    check_parses("x,y\r\n1.5,2\r\n-3,4e-2\r\n", 2, 2, two_by_two, xy);
    check_parses("x,y\n1.5,2\n-3,4e-2", 2, 2, two_by_two, xy);           /* no final newline */
    check_parses("\n\nx,y\n\n1.5,2\n  \n-3,4e-2\n\n", 2, 2, two_by_two, xy); /* blank lines */
    check_parses("x\ty\n1.5\t2\n-3\t4e-2\n", 2, 2, two_by_two, xy);
    check_parses("  x   y\n1.5   2\n\t-3 4e-2  \n", 2, 2, two_by_two, xy);
    check_parses("1.5 , 2\n -3,4e-2 \n", 2, 2, two_by_two, NULL);        /* padded fields */
    check_parses("\xef\xbb\xbfx,y\n1.5,2\n-3,4e-2\n", 2, 2, two_by_two, xy); /* UTF-8 BOM */
    static const char *const quoted[] = {"x", "say \"y\""};
    check_parses("\"x\",\"say \"\"y\"\"\"\n1.5,2\n-3,4e-2\n", 2, 2, two_by_two, quoted);
    /* A header with a blank inside a name, separated by tabs like its data. */
    static const char *const spaced[] = {"eruption time", "waiting"};
    check_parses("eruption time\twaiting\n1.5\t2\n-3\t4e-2\n", 2, 2, two_by_two, spaced);
    static const double column[] = {1, 2, 3};
    check_parses("1\n2\n3", 3, 1, column, NULL);
    static const char *const empty_name[] = {"", "a"}; /* text makes a header */
    static const double one_row[] = {7, 8};
    check_parses(",a\n7,8\n", 1, 2, one_row, empty_name); /* R's row-name column */
    /* Lines and a number longer than the pieces, and than decimal.c's
     * stack scratch (a long number goes through strtod on a copy). */
    static const char *const long_names[] = {
        "a name much longer than the smaller pieces so that the buffer grows", "b"};
    static const double long_number[] = {0.5, 1, 2, 3};
    check_parses("a name much longer than the smaller pieces so that the buffer grows,b\n"
                 "0.50000000000000000000000000000000000000000000000000000000000000000000"
                 "000000000000000000000000000000000000000000000000000000000000000000000000"
                 "0000000000000000000000000000000000000000000000000000000000000000,1\n"
                 "2,3\n", 2, 2, long_number, long_names);
}

/* Every double printed with %.17g reads back with the same bits. */
static void check_round_trip(void)
{
    enum { ROWS = 2000, COLS = 5 };
    double *values = malloc(ROWS * COLS * sizeof *values);
    char *text = malloc(ROWS * COLS * 32);
    size_t length = 0;
    uint64_t state = 7;
    for (size_t i = 0; i < ROWS * COLS; i++) {
        do {
            state = state * 6364136223846793005u + 1442695040888963407u;
            uint64_t bits = state ^ (state >> 29);
            memcpy(&values[i], &bits, sizeof bits);
        } while (!isfinite(values[i]));
        length += (size_t)sprintf(text + length, "%.17g%s", values[i],
                                  i % COLS == COLS - 1 ? "\n" : ",");
    }
    gmm_data data;
    gmm_error err;
    CHECK(gmm_data_parse_csv(text, length, "r.csv", &data, &err) == GMM_OK);
    CHECK(data.n_rows == ROWS && data.n_cols == COLS);
    CHECK(data.values && memcmp(data.values, values, sizeof(double) * ROWS * COLS) == 0);
    gmm_data_free(&data);
    /* From a file the matrix grows as rows come: many doublings here. */
    check_file_agrees(text, length);
    free(text);
    free(values);
}

static void check_errors(void)
{
    check_fails("x,y\n1,2\n3,abc\n", GMM_ERR_FORMAT, "line 3, column 2", "expected a number, found \"abc\"");
    check_fails("1,2\n3,4x\n", GMM_ERR_FORMAT, "line 2, column 2", "\"4x\"");
    check_fails("1 2\n3 4x\n", GMM_ERR_FORMAT, "line 2, column 2", "\"4x\"");
    check_fails("1\t2\n3 4\t5\n", GMM_ERR_FORMAT, "line 2, column 1", "\"3 4\"");
    check_fails("1,2\n3,nan\n", GMM_ERR_DATA, "line 2, column 2", "\"nan\"");
    check_fails("1,2\n-Inf,4\n", GMM_ERR_DATA, "line 2, column 1", "NaN and infinity are not allowed");
    check_fails("1,2\n3,1e999\n", GMM_ERR_DATA, "line 2, column 2", "\"1e999\" is beyond the range");
    check_fails("1,2\n3,,4\n", GMM_ERR_FORMAT, "line 2: expected 2 fields as on line 1", "found 3");
    check_fails("1,2\n3\n", GMM_ERR_FORMAT, "line 2: expected 2 fields as on line 1", "found 1");
    check_fails("1,2\n\n3,4,5\n", GMM_ERR_FORMAT, "line 3: expected 2 fields", "found 3");
    check_fails("1 2\n3 4 5\n", GMM_ERR_FORMAT, "line 2: expected 2 fields", "found 3");
    check_fails("1,2,\n3,4,\n", GMM_ERR_FORMAT, "line 1, column 3", "empty field");
    check_fails("a,b,c\n1,2\n", GMM_ERR_FORMAT, "line 1: the header has 3 fields", "line 2 has 2");
    check_fails("", GMM_ERR_DATA, "no data", "empty");
    check_fails("\n \r\n\t\n", GMM_ERR_DATA, "no data", "empty");
    check_fails("x,y\n\n", GMM_ERR_DATA, "only a header line (line 1)", "no rows");
    check_fails("1,2\n3,\x01\xff\"\n", GMM_ERR_FORMAT, "line 2, column 2", "\"\\x01\\xff\\\"\"");
    check_fails("1,2\n3,4\r5\n", GMM_ERR_FORMAT, "line 2, column 2", "\"4\\x0d5\"");
    /* A long field is shown shortened. */
    check_fails("1\n1234567890123456789012345678901234567890123456789x\n", GMM_ERR_FORMAT,
                "line 2, column 1", "\"1234567890123456789012345678901234567890\"...");

    /* Bytes after a NUL are still data: sizes, not strings, delimit input. */
    gmm_data data;
    gmm_error err;
    CHECK(gmm_data_parse_csv("1,2\n3,\0004\n", 10, "nul.csv", &data, &err) == GMM_ERR_FORMAT);
    CHECK_ERROR(&err, GMM_ERR_FORMAT, "nul.csv: line 2, column 2", "\"\\x004\"");
    check_file_agrees("1,2\n3,\0004\n", 10);
    CHECK(gmm_data_parse_csv(NULL, 0, NULL, &data, &err) == GMM_ERR_DATA);
    CHECK(gmm_data_parse_csv("1", 1, "x", NULL, &err) == GMM_ERR_INVALID);
    /* A number cut by the end of the buffer is parsed as what is there. */
    CHECK(gmm_data_parse_csv("1,25", 3, "cut.csv", &data, &err) == GMM_OK);
    CHECK(data.n_cols == 2 && data.values[1] == 2);
    gmm_data_free(&data);
}

int main(void)
{
    check_dialects();
    check_round_trip();
    check_errors();
    return check_report("test_csv");
}
