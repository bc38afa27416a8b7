/*
 * test_data_read.c — gmm_data_read (data_read.c, file_read.c): format by
 * content, standard input, and the file-system errors it must explain.
 * argv[1] is data/faithful.csv.
 */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

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

int main(int argc, char **argv)
{
    if (argc > 1)
        check_faithful(argv[1]);
    check_file_errors();
    check_stdin();
    return check_report("test_data_read");
}
