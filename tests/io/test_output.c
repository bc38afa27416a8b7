/*
 * test_atomic_file.c — io_write_file_atomic: the target is replaced whole
 * or not at all, and no temporary file is ever left behind, including when
 * the disk fills up (simulated with RLIMIT_FSIZE: write fails with EFBIG
 * part-way, exactly as it fails with ENOSPC on a full disk).
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "io/file.h"

static char folder[] = "/tmp/gmm_test_atomic_XXXXXX";

static size_t count_entries(void)
{
    DIR *dir = opendir(folder);
    size_t count = 0;
    for (struct dirent *entry; dir && (entry = readdir(dir));)
        count += entry->d_name[0] != '.';
    if (dir)
        closedir(dir);
    return count;
}

static int file_equals(const char *path, const char *expected)
{
    char *bytes;
    size_t size;
    gmm_error err;
    if (io_read_file(path, &bytes, &size, &err) != GMM_OK)
        return 0;
    int equal = size == strlen(expected) && memcmp(bytes, expected, size) == 0;
    free(bytes);
    return equal;
}

int main(void)
{
    CHECK(mkdtemp(folder) != NULL);
    char path[256], subfolder[256];
    snprintf(path, sizeof path, "%s/model.json", folder);
    snprintf(subfolder, sizeof subfolder, "%s/sub", folder);
    gmm_error err;

    CHECK(io_write_file_atomic(path, "first", 5, &err) == GMM_OK);
    CHECK(file_equals(path, "first"));
    CHECK(io_write_file_atomic(path, "second!", 7, &err) == GMM_OK);
    CHECK(file_equals(path, "second!"));
    CHECK(count_entries() == 1);

    /* The folder does not exist. */
    CHECK(io_write_file_atomic("/nonexistent/m.json", "x", 1, &err) == GMM_ERR_IO);
    CHECK_ERROR(&err, GMM_ERR_IO, "/nonexistent/m.json: cannot create a temporary file",
                "No such file");

    /* The target is a folder: rename fails, the temporary file goes. */
    CHECK(mkdir(subfolder, 0700) == 0);
    CHECK(io_write_file_atomic(subfolder, "x", 1, &err) == GMM_ERR_IO);
    CHECK_ERROR(&err, GMM_ERR_IO, "/sub: cannot replace the file");
    CHECK(count_entries() == 2);

    /* A full disk part-way through: the old file stays, nothing is left. */
    enum { BIG = 1 << 16 };
    char *big = malloc(BIG);
    memset(big, 'x', BIG);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = {BIG / 2, BIG / 2};
    CHECK(setrlimit(RLIMIT_FSIZE, &limit) == 0);
    CHECK(io_write_file_atomic(path, big, BIG, &err) == GMM_ERR_IO);
    CHECK_ERROR(&err, GMM_ERR_IO, "model.json: cannot write", "File too large");
    CHECK(file_equals(path, "second!"));
    CHECK(count_entries() == 2);
    free(big);

    rmdir(subfolder);
    unlink(path);
    rmdir(folder);
    return check_report("test_atomic_file");
}
