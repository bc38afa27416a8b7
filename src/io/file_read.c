/*
 * file_read.c — reading a file or stream piece by piece (see file.h).
 *
 * A data file's text is read a piece at a time, so that its bytes are
 * never held beside its values; the small parsers (the model file, a .npy
 * file from a pipe) read on to as much as they may take, which is bounded,
 * so that a device that never ends (/dev/zero) cannot fill memory.
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

/* One read of at most `room` bytes; *got 0 is the end of the file. EINTR
 * is retried: a signal that is to stop a read must end the process (the
 * gmm command's handlers do while it reads), since the library cannot
 * tell one meant to stop it from one that is not (SIGCHLD, say); unless
 * the stream's reader says, by its stop function, that it was (`gmm fit
 * --online` on an endless stream, which saves what it learnt). */
static gmm_status read_some(const io_stream *stream, char *to, size_t room,
                            size_t *got, gmm_error *err)
{
    for (;;) {
        ssize_t n = read(stream->fd, to, room);
        if (n < 0 && errno == EINTR && stream->stop && stream->stop())
            return gmm_fail(err, GMM_ERR_INTERRUPTED, "%s: reading interrupted",
                            stream->name);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot read",
                                 stream->name);
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

/* Read until the buffer is full or the file ends. */
static gmm_status fill(io_stream *stream, gmm_error *err)
{
    while (!stream->at_end && stream->size + 1 < stream->capacity) {
        size_t got = 0;
        gmm_status status = read_some(stream, stream->bytes + stream->size,
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
    *stream = (io_stream){fd, name, NULL, 0, piece_size + 1, 0, NULL};
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

gmm_status io_stream_read_to(io_stream *stream, size_t size, gmm_error *err)
{
    while (!stream->at_end && stream->size < size) {
        if (stream->size + 1 >= stream->capacity) {
            gmm_status status = grow(&stream->bytes, &stream->capacity,
                                     stream->size, stream->name, err);
            if (status != GMM_OK)
                return status;
        }
        gmm_status status = fill(stream, err);
        if (status != GMM_OK)
            return status;
    }
    return GMM_OK;
}

gmm_status io_stream_skip_rest(io_stream *stream, size_t *skipped,
                               gmm_error *err)
{
    char piece[1 << 16];
    *skipped = 0;
    while (!stream->at_end) {
        size_t got = 0;
        gmm_status status = read_some(stream, piece, sizeof piece, &got, err);
        if (status != GMM_OK)
            return status;
        stream->at_end = got == 0;
        *skipped = got > SIZE_MAX - *skipped ? SIZE_MAX : *skipped + got;
    }
    return GMM_OK;
}

void io_stream_close(io_stream *stream)
{
    free(stream->bytes);
    stream->bytes = NULL;
    stream->size = 0;
    stream->capacity = 0;
}
