/*
 * atomic_file.c — replace a file all at once (see file.h).
 *
 * DESIGN.md: an interrupted run never leaves half a model. The bytes go to
 * a new file beside the target (same folder, so the same file system and
 * rename(2) is atomic), are fsync'd so that a crash after the rename cannot
 * expose an empty file, and only then renamed over the target. Any failure
 * removes the temporary file and leaves the target as it was.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io/file.h"
#include "io/message.h"
#include "util/error.h"

/* Names already taken are retried with a new suffix this many times. */
#define TEMP_NAME_ATTEMPTS 100

/* Create "PATH.tmp-XXXXXXXX" exclusively. Mode 0666 lets the umask decide
 * the permissions, as for any new file (mkstemp would force 0600). The
 * suffix mixes the process id, the clock and the attempt; O_EXCL makes a
 * collision a retry, never a shared file. */
static int create_temp(const char *path, char *temp_path, size_t temp_size)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    unsigned long seed = (unsigned long)getpid() * 2654435761u
                         ^ (unsigned long)now.tv_nsec ^ (unsigned long)now.tv_sec;
    for (int attempt = 0; attempt < TEMP_NAME_ATTEMPTS; attempt++) {
        snprintf(temp_path, temp_size, "%s.tmp-%08lx", path,
                 (seed + (unsigned long)attempt * 0x9e3779b9u) & 0xffffffffu);
        int fd = open(temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

static int write_all(int fd, const char *bytes, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, bytes, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        bytes += n;
        size -= (size_t)n;
    }
    return 0;
}

/* Write, flush to disk and close; on failure return the errno value and
 * the step that failed. */
static int fill_temp(int fd, const char *bytes, size_t size, const char **step)
{
    int error = 0;
    if (write_all(fd, bytes, size) != 0) {
        *step = "cannot write";
        error = errno;
    } else if (fsync(fd) != 0) {
        *step = "cannot flush to disk";
        error = errno;
    }
    /* close can report a delayed write error (NFS, quotas). */
    if (close(fd) != 0 && error == 0) {
        *step = "cannot write";
        error = errno;
    }
    return error;
}

gmm_status io_write_file_atomic(const char *path, const char *bytes,
                                size_t size, gmm_error *err)
{
    size_t temp_size = strlen(path) + sizeof ".tmp-ffffffff";
    char *temp_path = malloc(temp_size);
    if (!temp_path)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", path);
    int fd = create_temp(path, temp_path, temp_size);
    if (fd < 0) {
        gmm_status status = io_fail_errno(err, GMM_ERR_IO, errno,
                                          "%s: cannot create a temporary file %s",
                                          path, temp_path);
        free(temp_path);
        return status;
    }
    const char *step = NULL;
    int error = fill_temp(fd, bytes, size, &step);
    if (error == 0 && rename(temp_path, path) != 0) {
        step = "cannot replace the file";
        error = errno;
    }
    gmm_status status = GMM_OK;
    if (error != 0) {
        unlink(temp_path);
        status = io_fail_errno(err, GMM_ERR_IO, error, "%s: %s", path, step);
    }
    free(temp_path);
    return status;
}
