/*
 * file_read.c — reading a file or stream whole or piece by piece (see
 * file.h).
 *
 * Whole-file reads keep the small parsers simple (the model file; a .npy
 * file from a pipe, converted where it lies). A data file's text is read a
 * piece at a time instead, so that its bytes are never held beside its
 * values. A regular file is read into a buffer of its size; pipes and
 * terminals grow one.
 */
#define _POSIX_C_SOURCE 200809L

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/file.h"
#include "io/message.h"
#include "util/error.h"

/* First buffer for a stream of unknown size; it doubles from there. */
#define STREAM_INITIAL_CAPACITY ((size_t)1 << 16)

/* One read of at most `room` bytes; *got 0 is the end of the file. EINTR
 * is retried: the command defers SIGINT and SIGTERM and looks for them
 * once the read is over. */
static gmm_status read_some(int fd, const char *name, char *to, size_t room,
                            size_t *got, gmm_error *err)
{
    for (;;) {
        ssize_t n = read(fd, to, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot read", name);
        *got = (size_t)n;
        return GMM_OK;
    }
}

/* Double *bytes, of *capacity bytes, *size of them in use. */
static gmm_status grow(char **bytes, size_t *capacity, size_t size,
                       const char *name, gmm_error *err)
{
    if (*capacity > SIZE_MAX / 2)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: too large to read", name);
    char *grown = realloc(*bytes, *capacity * 2);
    if (!grown)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory after %zu bytes",
                        name, size);
    *bytes = grown;
    *capacity *= 2;
    return GMM_OK;
}

/* Read until end of file into *bytes, which holds *size bytes and has
 * room for *capacity (one kept for the NUL), growing it as needed. */
static gmm_status read_all(int fd, const char *name, char **bytes,
                           size_t *capacity, size_t *size, gmm_error *err)
{
    for (;;) {
        gmm_status status = *size + 1 >= *capacity
                                ? grow(bytes, capacity, *size, name, err)
                                : GMM_OK;
        size_t got = 0;
        if (status == GMM_OK)
            status = read_some(fd, name, *bytes + *size, *capacity - 1 - *size,
                               &got, err);
        if (status != GMM_OK)
            return status;
        if (got == 0)
            break;
        *size += got;
    }
    (*bytes)[*size] = '\0';
    return GMM_OK;
}

static gmm_status read_with_capacity(int fd, const char *name, size_t capacity,
                                     char **bytes, size_t *size, gmm_error *err)
{
    *size = 0;
    *bytes = malloc(capacity);
    if (!*bytes)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu bytes", name, capacity);
    gmm_status status = read_all(fd, name, bytes, &capacity, size, err);
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

gmm_status io_open_file(const char *path, int *fd, int *regular,
                        size_t *file_size, gmm_error *err)
{
    *regular = 0;
    *file_size = 0;
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot open", path);
    struct stat info;
    gmm_status status = GMM_OK;
    if (fstat(*fd, &info) != 0)
        status = io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot examine", path);
    else if (S_ISDIR(info.st_mode))
        status = gmm_fail(err, GMM_ERR_IO, "%s: is a directory, not a file", path);
    else if (S_ISREG(info.st_mode) && (uintmax_t)info.st_size >= SIZE_MAX)
        status = gmm_fail(err, GMM_ERR_NOMEM, "%s: too large to read", path);
    if (status != GMM_OK) {
        close(*fd);
        *fd = -1;
        return status;
    }
    *regular = S_ISREG(info.st_mode);
    *file_size = *regular ? (size_t)info.st_size : 0;
    return GMM_OK;
}

gmm_status io_read_file(const char *path, char **bytes, size_t *size,
                        gmm_error *err)
{
    *bytes = NULL;
    *size = 0;
    int fd, regular;
    size_t file_size;
    gmm_status status = io_open_file(path, &fd, &regular, &file_size, err);
    if (status != GMM_OK)
        return status;
    /* One spare byte for the NUL and one to see end-of-file without
     * growing, when the size is known. */
    size_t capacity = regular ? file_size + 2 : STREAM_INITIAL_CAPACITY;
    status = read_with_capacity(fd, path, capacity, bytes, size, err);
    close(fd);
    return status;
}

/* Read until the buffer is full or the file ends. */
static gmm_status fill(io_stream *stream, gmm_error *err)
{
    while (!stream->at_end && stream->size + 1 < stream->capacity) {
        size_t got = 0;
        gmm_status status = read_some(stream->fd, stream->name,
                                      stream->bytes + stream->size,
                                      stream->capacity - 1 - stream->size, &got, err);
        if (status != GMM_OK)
            return status;
        stream->at_end = got == 0;
        stream->size += got;
    }
    stream->bytes[stream->size] = '\0';
    return GMM_OK;
}

gmm_status io_stream_open(io_stream *stream, int fd, const char *name,
                          size_t piece_size, gmm_error *err)
{
    assert(piece_size > 0 && piece_size < SIZE_MAX);
    *stream = (io_stream){fd, name, NULL, 0, piece_size + 1, 0};
    stream->bytes = malloc(stream->capacity);
    if (!stream->bytes)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu bytes",
                        name, stream->capacity);
    return fill(stream, err);
}

gmm_status io_stream_refill(io_stream *stream, size_t consumed, gmm_error *err)
{
    assert(consumed <= stream->size);
    stream->size -= consumed;
    memmove(stream->bytes, stream->bytes + consumed, stream->size);
    if (!stream->at_end && stream->size + 1 >= stream->capacity) {
        gmm_status status = grow(&stream->bytes, &stream->capacity, stream->size,
                                 stream->name, err);
        if (status != GMM_OK)
            return status;
    }
    return fill(stream, err);
}

gmm_status io_stream_read_rest(io_stream *stream, gmm_error *err)
{
    if (stream->at_end)
        return GMM_OK;
    gmm_status status = read_all(stream->fd, stream->name, &stream->bytes,
                                 &stream->capacity, &stream->size, err);
    stream->at_end = status == GMM_OK;
    return status;
}

void io_stream_close(io_stream *stream)
{
    free(stream->bytes);
    stream->bytes = NULL;
    stream->size = 0;
    stream->capacity = 0;
}
