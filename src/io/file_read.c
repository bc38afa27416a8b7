/*
 * file_read.c — read a whole file or stream into memory (see file.h).
 *
 * Whole-file reads keep the parsers simple and fast (one buffer, no
 * refills); the data has to fit in memory for EM anyway. A regular file is
 * read into a buffer of its size; pipes and terminals grow one.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/file.h"
#include "io/message.h"
#include "util/error.h"

/* First buffer for a stream of unknown size; it doubles from there. */
#define STREAM_INITIAL_CAPACITY ((size_t)1 << 16)

/* Read until end of file into *bytes, which has room for *capacity bytes
 * (one kept for the NUL), growing it as needed. */
static gmm_status read_all(int fd, const char *name, char **bytes,
                           size_t capacity, size_t *size, gmm_error *err)
{
    *size = 0;
    for (;;) {
        if (*size + 1 >= capacity) {
            if (capacity > SIZE_MAX / 2)
                return gmm_fail(err, GMM_ERR_NOMEM, "%s: too large to read", name);
            char *grown = realloc(*bytes, capacity * 2);
            if (!grown)
                return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory after %zu bytes",
                                name, *size);
            *bytes = grown;
            capacity *= 2;
        }
        ssize_t n = read(fd, *bytes + *size, capacity - 1 - *size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot read", name);
        if (n == 0)
            break;
        *size += (size_t)n;
    }
    (*bytes)[*size] = '\0';
    return GMM_OK;
}

static gmm_status read_with_capacity(int fd, const char *name, size_t capacity,
                                     char **bytes, size_t *size, gmm_error *err)
{
    *bytes = malloc(capacity);
    if (!*bytes)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu bytes", name, capacity);
    gmm_status status = read_all(fd, name, bytes, capacity, size, err);
    if (status != GMM_OK) {
        free(*bytes);
        *bytes = NULL;
        *size = 0;
    }
    return status;
}

gmm_status io_read_fd(int fd, const char *name, char **bytes, size_t *size,
                      gmm_error *err)
{
    return read_with_capacity(fd, name, STREAM_INITIAL_CAPACITY, bytes, size, err);
}

gmm_status io_read_file(const char *path, char **bytes, size_t *size,
                        gmm_error *err)
{
    *bytes = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot open", path);
    struct stat info;
    gmm_status status;
    if (fstat(fd, &info) != 0)
        status = io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot examine", path);
    else if (S_ISDIR(info.st_mode))
        status = gmm_fail(err, GMM_ERR_IO, "%s: is a directory, not a file", path);
    else if (S_ISREG(info.st_mode) && (uintmax_t)info.st_size >= SIZE_MAX)
        status = gmm_fail(err, GMM_ERR_NOMEM, "%s: too large to read", path);
    else {
        /* One spare byte for the NUL and one to see end-of-file without
         * growing, when the size is known. */
        size_t capacity = S_ISREG(info.st_mode) ? (size_t)info.st_size + 2
                                                : STREAM_INITIAL_CAPACITY;
        status = read_with_capacity(fd, path, capacity, bytes, size, err);
    }
    close(fd);
    return status;
}
