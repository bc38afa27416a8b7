/*
 * output.c — files replaced all at once, or not at all (see output.h).
 *
 * DESIGN.md: an interrupted run never leaves half a model, and a command
 * that fails leaves every output as it was. The bytes go to a new file
 * beside the target (same folder, so the same file system and rename(2)
 * is atomic), are fsync'd so that a crash after the rename cannot expose
 * an empty file, and only then renamed over the target. What can be
 * checked without writing is checked in io_output_prepare, before the
 * caller's work: a command finds a missing folder before a long fit, not
 * after it.
 */
#define _POSIX_C_SOURCE 200809L

#include "io/output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io/message.h"
#include "util/error.h"

/* Names already taken are retried with a new suffix this many times. */
#define TEMP_NAME_ATTEMPTS 100
/* The temporary file's name in the target's folder: short and fixed in
 * length, so that a target name of any length allowed (NAME_MAX) can be
 * written, and hidden, so that it does not show in a listing meanwhile. */
#define TEMP_PATTERN "/.gmm-%08lx.tmp"
#define TEMP_NAME_SIZE sizeof "/.gmm-ffffffff.tmp"
/* Links followed before giving up, as the kernel does (ELOOP). */
#define MAX_LINKS 40

static char *copy_string(const char *text, size_t length)
{
    char *copy = malloc(length + 1);
    if (copy) {
        memcpy(copy, text, length);
        copy[length] = '\0';
    }
    return copy;
}

/* The folder of path ("." for a bare name), malloc'd. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return copy_string(".", 1);
    return copy_string(path, slash == path ? 1 : (size_t)(slash - path));
}

/* What the link at `path` points to, resolved against its folder. */
static char *read_link(const char *path, size_t size_hint)
{
    size_t capacity = size_hint > 0 ? size_hint + 1 : 256;
    for (;;) {
        char *text = malloc(capacity);
        if (!text)
            return NULL;
        ssize_t length = readlink(path, text, capacity);
        if (length < 0) {
            free(text);
            return NULL;
        }
        if ((size_t)length < capacity) {
            text[length] = '\0';
            if (text[0] == '/')
                return text;
            char *folder = folder_of(path);
            char *joined = folder ? malloc(strlen(folder) + (size_t)length + 2) : NULL;
            if (joined)
                sprintf(joined, "%s/%s", folder, text);
            free(folder);
            free(text);
            return joined;
        }
        free(text);
        capacity *= 2;
    }
}

/* Follow symbolic links from name to what it finally names: *target
 * (malloc'd) and, when something is there, its lstat in *info. */
static gmm_status follow_links(const char *name, char **target, int *exists,
                               struct stat *info, gmm_error *err)
{
    char *path = copy_string(name, strlen(name));
    for (int hops = 0; path; hops++) {
        if (lstat(path, info) != 0) {
            int error = errno;
            if (error == ENOENT) {
                *exists = 0;
                *target = path;
                return GMM_OK;
            }
            free(path);
            return io_fail_errno(err, GMM_ERR_IO, error, "%s: cannot write", name);
        }
        if (!S_ISLNK(info->st_mode)) {
            *exists = 1;
            *target = path;
            return GMM_OK;
        }
        if (hops == MAX_LINKS) {
            free(path);
            return io_fail_errno(err, GMM_ERR_IO, ELOOP, "%s: cannot write", name);
        }
        char *next = read_link(path, (size_t)info->st_size);
        int error = errno;
        free(path);
        if (!next && error != ENOMEM)
            return io_fail_errno(err, GMM_ERR_IO, error, "%s: cannot follow the link",
                                 name);
        path = next;
    }
    return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", name);
}

/* A new file, or the temporary file of a replaced one, will be created in
 * the target's folder: it must be a folder we may write in, and the
 * name must fit in it. */
static gmm_status check_folder(const io_output *output, gmm_error *err)
{
    char *folder = folder_of(output->target);
    if (!folder)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", output->name);
    struct stat info;
    gmm_status status = GMM_OK;
    if (stat(folder, &info) != 0)
        status = io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot create files in %s",
                               output->name, folder);
    else if (!S_ISDIR(info.st_mode))
        status = io_fail_errno(err, GMM_ERR_IO, ENOTDIR, "%s: cannot create files in %s",
                               output->name, folder);
    else if (access(folder, W_OK | X_OK) != 0)
        status = io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot create files in %s",
                               output->name, folder);
    if (status == GMM_OK && output->kind == IO_OUTPUT_NEW) {
        const char *slash = strrchr(output->target, '/');
        const char *base = slash ? slash + 1 : output->target;
        long name_max = pathconf(folder, _PC_NAME_MAX);
        if (strlen(base) > (size_t)(name_max > 0 ? name_max : NAME_MAX))
            status = io_fail_errno(err, GMM_ERR_IO, ENAMETOOLONG, "%s: cannot create",
                                   output->name);
    }
    free(folder);
    return status;
}

/* What is at the target decides how it is written, or that it is not. */
static gmm_status choose_kind(io_output *output, gmm_error *err)
{
    mode_t mode = output->existing.st_mode;
    const char *name = output->name;
    if (S_ISDIR(mode))
        return gmm_fail(err, GMM_ERR_IO, "%s: is a directory, not a file", name);
    if (S_ISBLK(mode))
        return gmm_fail(err, GMM_ERR_IO, "%s: is a block device; refusing to "
                        "write over it", name);
    if (S_ISSOCK(mode))
        return gmm_fail(err, GMM_ERR_IO, "%s: is a socket, not a file", name);
    if (!S_ISREG(mode) && !S_ISCHR(mode) && !S_ISFIFO(mode))
        return gmm_fail(err, GMM_ERR_IO, "%s: is not a regular file", name);
    /* Refused as a plain write would be: a rename could replace a file
     * its owner made read-only. */
    if (access(output->target, W_OK) != 0)
        return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot write", name);
    output->kind = S_ISREG(mode) ? IO_OUTPUT_REPLACE : IO_OUTPUT_THROUGH;
    return GMM_OK;
}

gmm_status io_output_prepare(io_output *output, const char *name,
                             gmm_error *err)
{
    *output = (io_output){.fd = -1};
    if (!name)
        return gmm_fail(err, GMM_ERR_INVALID, "no file name (NULL)");
    if (name[0] == '\0')
        return gmm_fail(err, GMM_ERR_INVALID, "an empty file name");
    output->name = copy_string(name, strlen(name));
    if (!output->name)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", name);
    int exists = 0;
    gmm_status status = follow_links(name, &output->target, &exists,
                                     &output->existing, err);
    if (status == GMM_OK && exists)
        status = choose_kind(output, err);
    if (status == GMM_OK && output->kind != IO_OUTPUT_THROUGH)
        status = check_folder(output, err);
    if (status != GMM_OK)
        io_output_discard(output);
    return status;
}

gmm_status io_output_prepare_stdout(io_output *output, const char *name,
                                    gmm_error *err)
{
    *output = (io_output){.fd = -1, .kind = IO_OUTPUT_STDOUT};
    output->name = copy_string(name, strlen(name));
    if (!output->name)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", name);
    if (fstat(STDOUT_FILENO, &output->existing) != 0) {
        gmm_status status = io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot write",
                                          name);
        io_output_discard(output);
        return status;
    }
    return GMM_OK;
}

/* Create "FOLDER/.gmm-XXXXXXXX.tmp" exclusively, its name into temp
 * (strlen(folder) + TEMP_NAME_SIZE bytes). The suffix mixes the process
 * id, the clock and the attempt; O_EXCL makes a collision a retry, never
 * a shared file. */
static int create_temp(const char *folder, char *temp, mode_t mode)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    unsigned long seed = (unsigned long)getpid() * 2654435761u
                         ^ (unsigned long)now.tv_nsec ^ (unsigned long)now.tv_sec;
    size_t length = strlen(folder);
    memcpy(temp, folder, length);
    for (int attempt = 0; attempt < TEMP_NAME_ATTEMPTS; attempt++) {
        char name[TEMP_NAME_SIZE];
        snprintf(name, sizeof name, TEMP_PATTERN,
                 (seed + (unsigned long)attempt * 0x9e3779b9u) & 0xffffffffu);
        memcpy(temp + length, name, sizeof name);
        int fd = open(temp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

/* A file replaced keeps what its owner gave it: mode and, as far as we
 * may set them, owner and group (chown first: it clears set-id bits). */
static void keep_permissions(int fd, const struct stat *existing)
{
    /* Each may be refused (only root gives a file away); the file is
     * then ours, with the mode still kept. */
    if (fchown(fd, existing->st_uid, existing->st_gid) != 0 &&
        fchown(fd, (uid_t)-1, existing->st_gid) != 0) {
    }
    if (fchmod(fd, existing->st_mode & 07777) != 0) {
    }
}

/* The bytes of an output written through wait in an unnamed file, in
 * $TMPDIR or /tmp, until commit. */
static gmm_status begin_staged(io_output *output, gmm_error *err)
{
    const char *folder = getenv("TMPDIR");
    if (!folder || folder[0] == '\0')
        folder = "/tmp";
    size_t size = strlen(folder) + TEMP_NAME_SIZE;
    char *temp = malloc(size);
    if (!temp)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", output->name);
    output->fd = create_temp(folder, temp, 0600);
    gmm_status status = GMM_OK;
    if (output->fd < 0)
        status = io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot create a "
                               "temporary file in %s", output->name, folder);
    else
        unlink(temp);
    free(temp);
    return status;
}

gmm_status io_output_begin(io_output *output, gmm_error *err)
{
    if (output->kind == IO_OUTPUT_THROUGH || output->kind == IO_OUTPUT_STDOUT)
        return begin_staged(output, err);
    char *folder = folder_of(output->target);
    if (!folder)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", output->name);
    size_t size = strlen(folder) + TEMP_NAME_SIZE;
    char *temp = malloc(size);
    if (!temp) {
        free(folder);
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", output->name);
    }
    output->temp = temp;
    int replace = output->kind == IO_OUTPUT_REPLACE;
    /* A new file gets what any new file gets: 0666 less the umask. */
    output->fd = create_temp(folder, temp, replace ? 0600 : 0666);
    gmm_status status = GMM_OK;
    if (output->fd < 0) {
        status = io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot create a "
                               "temporary file in %s", output->name, folder);
        free(output->temp);
        output->temp = NULL;
    } else if (replace) {
        keep_permissions(output->fd, &output->existing);
    }
    free(folder);
    return status;
}

gmm_status io_output_finish(io_output *output, gmm_error *err)
{
    if (!output->temp)
        return GMM_OK; /* staged: read back at commit */
    if (fsync(output->fd) != 0)
        return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot flush to disk",
                             output->name);
    /* close can report a delayed write error (NFS, quotas). */
    int failed = close(output->fd) != 0;
    output->fd = -1;
    if (failed)
        return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot write",
                             output->name);
    return GMM_OK;
}

/* Write all of it; EINTR is a failure, not retried, so that a signal can
 * stop a write blocked on a pipe (the caller then sees its signal). */
static int write_all(int fd, const char *bytes, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, bytes, size);
        if (n < 0)
            return -1;
        bytes += n;
        size -= (size_t)n;
    }
    return 0;
}

/* The staged bytes to the device, FIFO or standard output. */
static gmm_status write_through(io_output *output, gmm_error *err)
{
    int to = output->kind == IO_OUTPUT_STDOUT
                 ? STDOUT_FILENO
                 : open(output->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (to < 0)
        return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot open", output->name);
    char piece[1 << 16];
    int error = 0;
    for (off_t at = 0; error == 0;) {
        ssize_t got = pread(output->fd, piece, sizeof piece, at);
        if (got <= 0) {
            error = got < 0 ? errno : 0;
            break;
        }
        if (write_all(to, piece, (size_t)got) != 0)
            error = errno;
        at += got;
    }
    if (to != STDOUT_FILENO && close(to) != 0 && error == 0)
        error = errno;
    if (error != 0)
        return io_fail_errno(err, GMM_ERR_IO, error, "%s: cannot write", output->name);
    return GMM_OK;
}

static gmm_status put_in_place(io_output *output, gmm_error *err)
{
    if (!output->temp)
        return write_through(output, err);
    if (rename(output->temp, output->target) != 0)
        return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot replace the file",
                             output->name);
    free(output->temp);
    output->temp = NULL;
    return GMM_OK;
}

gmm_status io_output_commit(io_output *outputs, size_t n, gmm_error *err)
{
    gmm_status status = GMM_OK;
    /* Round 0 writes through (staged: no temporary file beside the
     * target), round 1 renames; an output never begun has nothing to put. */
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; status == GMM_OK && i < n; i++) {
            const io_output *output = &outputs[i];
            int begun = output->temp != NULL || output->fd >= 0;
            if (begun && (output->temp == NULL) == (round == 0))
                status = put_in_place(&outputs[i], err);
        }
    for (size_t i = 0; i < n; i++)
        io_output_discard(&outputs[i]);
    return status;
}

void io_output_discard(io_output *output)
{
    if (output->temp)
        unlink(output->temp);
    if (output->fd >= 0)
        close(output->fd);
    free(output->temp);
    free(output->target);
    free(output->name);
    *output = (io_output){.fd = -1};
}

int io_output_is(const io_output *output, const struct stat *info)
{
    /* Only a regular file's bytes are destroyed by writing it: a
     * terminal read and written, or /dev/null, is no conflict. */
    return output->kind != IO_OUTPUT_NEW && S_ISREG(output->existing.st_mode) &&
           output->existing.st_dev == info->st_dev &&
           output->existing.st_ino == info->st_ino;
}

gmm_status io_write_file_atomic(const char *path, const char *bytes,
                                size_t size, gmm_error *err)
{
    io_output output;
    gmm_status status = io_output_prepare(&output, path, err);
    if (status != GMM_OK)
        return status;
    status = io_output_begin(&output, err);
    if (status == GMM_OK && write_all(output.fd, bytes, size) != 0)
        status = io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot write", path);
    if (status == GMM_OK)
        status = io_output_finish(&output, err);
    if (status == GMM_OK)
        return io_output_commit(&output, 1, err);
    io_output_discard(&output);
    return status;
}
