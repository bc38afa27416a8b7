/*
 * test_output.c — io/output.h: a target is replaced whole or not at all,
 * no temporary file is ever left behind (a full disk included, simulated
 * with RLIMIT_FSIZE: write fails with EFBIG part-way, exactly as it fails
 * with ENOSPC), several outputs are put in place together or not at all,
 * links are followed, devices are written through, a replaced file keeps
 * its mode, and what cannot be written is refused before anything is.
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
#include "io/output.h"

static char folder[] = "/tmp/gmm_test_output_XXXXXX";

/* Entries of the folder, hidden ones (temporary files) included. */
static size_t count_entries(void)
{
    DIR *dir = opendir(folder);
    size_t count = 0;
    for (struct dirent *entry; dir && (entry = readdir(dir));)
        count += strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0;
    if (dir)
        closedir(dir);
    return count;
}

static int file_equals(const char *path, const char *expected)
{
    char bytes[64];
    FILE *file = fopen(path, "rb");
    if (!file)
        return 0;
    size_t size = fread(bytes, 1, sizeof bytes, file);
    fclose(file);
    return size == strlen(expected) && memcmp(bytes, expected, size) == 0;
}

static void in_folder(char *path, size_t size, const char *name)
{
    snprintf(path, size, "%s/%s", folder, name);
}

static gmm_status write_text(io_output *output, const char *text, gmm_error *err)
{
    gmm_status status = io_output_begin(output, err);
    if (status == GMM_OK && write(output->fd, text, strlen(text)) != (ssize_t)strlen(text))
        status = GMM_ERR_IO;
    return status == GMM_OK ? io_output_finish(output, err) : status;
}

static void check_replace_and_refusals(void)
{
    char path[256], sub[256];
    in_folder(path, sizeof path, "model.json");
    in_folder(sub, sizeof sub, "sub");
    gmm_error err;

    CHECK(io_write_file_atomic(path, "first", 5, &err) == GMM_OK);
    CHECK(file_equals(path, "first"));
    CHECK(io_write_file_atomic(path, "second!", 7, &err) == GMM_OK);
    CHECK(file_equals(path, "second!"));
    CHECK(count_entries() == 1);

    /* Refused before anything is created. */
    io_output output;
    CHECK(io_output_prepare(&output, "/nonexistent/m.json", &err) == GMM_ERR_IO);
    CHECK_ERROR(&err, GMM_ERR_IO, "/nonexistent/m.json: cannot create files in "
                "/nonexistent", "No such file");
    CHECK(io_output_prepare(&output, "", &err) == GMM_ERR_INVALID);
    CHECK(mkdir(sub, 0700) == 0);
    CHECK(io_write_file_atomic(sub, "x", 1, &err) == GMM_ERR_IO);
    CHECK_ERROR(&err, GMM_ERR_IO, "/sub: is a directory, not a file");
    CHECK(count_entries() == 2);
    rmdir(sub);

    /* A name as long as a file name may be: the temporary name does not
     * grow with it. */
    char name[256];
    memset(name, 'n', 255);
    name[255] = '\0';
    char long_path[600];
    snprintf(long_path, sizeof long_path, "%s/%s", folder, name);
    CHECK(io_write_file_atomic(long_path, "long", 4, &err) == GMM_OK);
    CHECK(file_equals(long_path, "long"));
    unlink(long_path);
    CHECK(count_entries() == 1);
}

static void check_links_and_modes(void)
{
    char path[256], link[256], dangling[256], made[256];
    in_folder(path, sizeof path, "model.json");
    in_folder(link, sizeof link, "link.json");
    in_folder(dangling, sizeof dangling, "dangling.json");
    in_folder(made, sizeof made, "made.json");
    gmm_error err;

    /* A link is followed: its target is replaced, the link stays. */
    CHECK(symlink("model.json", link) == 0);
    CHECK(io_write_file_atomic(link, "through the link", 16, &err) == GMM_OK);
    struct stat info;
    CHECK(lstat(link, &info) == 0 && S_ISLNK(info.st_mode));
    CHECK(file_equals(path, "through the link"));
    /* A dangling one creates its target. */
    CHECK(symlink("made.json", dangling) == 0);
    CHECK(io_write_file_atomic(dangling, "made", 4, &err) == GMM_OK);
    CHECK(file_equals(made, "made"));
    unlink(dangling), unlink(made), unlink(link);

    /* The mode of a replaced file stays. */
    CHECK(chmod(path, 0640) == 0);
    CHECK(io_write_file_atomic(path, "kept mode", 9, &err) == GMM_OK);
    CHECK(stat(path, &info) == 0 && (info.st_mode & 07777) == 0640);
    CHECK(file_equals(path, "kept mode"));
}

static void check_devices(void)
{
    gmm_error err;
    /* Written through: /dev/null stays a device, /dev/full says why. */
    CHECK(io_write_file_atomic("/dev/null", "gone", 4, &err) == GMM_OK);
    struct stat info;
    CHECK(stat("/dev/null", &info) == 0 && S_ISCHR(info.st_mode));
    CHECK(io_write_file_atomic("/dev/full", "full", 4, &err) == GMM_ERR_IO);
    CHECK_ERROR(&err, GMM_ERR_IO, "/dev/full: cannot write", "No space left");
    CHECK(stat("/dev/full", &info) == 0 && S_ISCHR(info.st_mode));
}

/* Two outputs, the second of which fails at commit: neither is replaced,
 * nothing is left. */
static void check_all_or_none(void)
{
    char first[256], second[256];
    in_folder(first, sizeof first, "model.json");
    in_folder(second, sizeof second, "second.json");
    gmm_error err;
    CHECK(io_write_file_atomic(second, "old second", 10, &err) == GMM_OK);
    io_output outputs[3];
    CHECK(io_output_prepare(&outputs[0], first, &err) == GMM_OK);
    CHECK(io_output_prepare(&outputs[1], second, &err) == GMM_OK);
    CHECK(io_output_prepare(&outputs[2], "/dev/full", &err) == GMM_OK);
    CHECK(write_text(&outputs[0], "new first", &err) == GMM_OK);
    CHECK(write_text(&outputs[1], "new second", &err) == GMM_OK);
    CHECK(write_text(&outputs[2], "device", &err) == GMM_OK);
    CHECK(io_output_commit(outputs, 3, &err) == GMM_ERR_IO);
    CHECK(file_equals(first, "kept mode"));
    CHECK(file_equals(second, "old second"));
    CHECK(count_entries() == 2);

    /* Discarded part-way: nothing changes. */
    CHECK(io_output_prepare(&outputs[0], first, &err) == GMM_OK);
    CHECK(write_text(&outputs[0], "discarded", &err) == GMM_OK);
    io_output_discard(&outputs[0]);
    io_output_discard(&outputs[0]);
    CHECK(file_equals(first, "kept mode"));
    CHECK(count_entries() == 2);
    unlink(second);
}

static void check_full_disk(void)
{
    char path[256];
    in_folder(path, sizeof path, "model.json");
    gmm_error err;
    /* A full disk part-way through: the old file stays, nothing is left. */
    enum { BIG = 1 << 16 };
    char *big = malloc(BIG);
    memset(big, 'x', BIG);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = {BIG / 2, BIG / 2};
    CHECK(setrlimit(RLIMIT_FSIZE, &limit) == 0);
    CHECK(io_write_file_atomic(path, big, BIG, &err) == GMM_ERR_IO);
    CHECK_ERROR(&err, GMM_ERR_IO, "model.json: cannot write", "File too large");
    CHECK(file_equals(path, "kept mode"));
    CHECK(count_entries() == 1);
    free(big);
}

int main(void)
{
    CHECK(mkdtemp(folder) != NULL);
    check_replace_and_refusals();
    check_links_and_modes();
    check_devices();
    check_all_or_none();
    check_full_disk();

    char path[256];
    in_folder(path, sizeof path, "model.json");
    unlink(path);
    rmdir(folder);
    return check_report("test_output");
}
