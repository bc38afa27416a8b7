/*
 * data_read.c — gmm_data_read and gmm_data_free: a data file, whichever its
 * format.
 *
 * The format is chosen by content, not by name: a .npy file starts with
 * the magic "\x93NUMPY", which no text file does; anything else is read as
 * CSV. So a CSV named data.txt, or a .npy piped through standard input,
 * just works.
 *
 * Memory: a fit's peak is to be the data and little more, so no reader
 * holds the file's bytes beside its values. A regular .npy file is read
 * into the values a piece of rows at a time (io_npy_read_file); CSV is
 * parsed a piece of text at a time from any file or pipe
 * (io_csv_read_stream). Only a .npy file from a pipe is read whole, then
 * converted where it lies (io_npy_parse_buffer): its header's claims can
 * only be checked against its size once it has ended; no more of it is
 * held than the header declares.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/csv.h"
#include "io/data_read.h"
#include "io/file.h"
#include "io/npy.h"
#include "io/npy_rows.h"
#include "util/error.h"

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_SIZE 6
#define STDIN_PATH "-"
#define STDIN_NAME "<stdin>"

gmm_status gmm_data_read(const char *path, gmm_data *data, gmm_error *err)
{
    return io_data_read(path, IO_PIECE_SIZE, data, err);
}

gmm_status gmm_data_read_missing(const char *path, gmm_data *data,
                                 gmm_error *err)
{
    return io_data_read_as(path, IO_PIECE_SIZE, 1, data, err);
}

/* A .npy file from a pipe, read whole and converted where it lies. Only
 * as much is held as its header declares (and a byte more, to see that
 * more follows): a pipe that goes on past that, as long as it may, is
 * counted, not held, to say how much it held. */
static gmm_status read_npy_stream(io_stream *stream, int allow_nan,
                                  gmm_data *data, gmm_error *err)
{
    gmm_status status = io_stream_read_to(stream, IO_NPY_PREAMBLE_MAX, err);
    if (status == GMM_OK)
        status = io_stream_read_to(stream,
                                   io_npy_header_size((unsigned char *)stream->bytes,
                                                      stream->size, SIZE_MAX),
                                   err);
    size_t total = 0;
    if (status == GMM_OK && !stream->at_end)
        status = io_npy_declared_size((unsigned char *)stream->bytes, stream->size,
                                      stream->name, &total, err);
    if (status == GMM_OK && !stream->at_end)
        status = io_stream_read_to(stream, total < SIZE_MAX ? total + 1 : stream->size,
                                   err);
    if (status == GMM_OK && !stream->at_end) {
        /* More than declared: the message of the whole file's parse. */
        size_t skipped = 0;
        io_npy_layout layout;
        status = io_stream_skip_rest(stream, &skipped, err);
        size_t file_size = skipped > SIZE_MAX - stream->size ? SIZE_MAX
                                                             : stream->size + skipped;
        if (status == GMM_OK)
            status = io_npy_parse_header((unsigned char *)stream->bytes, stream->size,
                                         file_size, stream->name, &layout, err);
        if (status == GMM_OK)
            status = gmm_fail(err, GMM_ERR_FORMAT, "%s: more bytes follow the "
                              ".npy array than its header declares", stream->name);
    }
    if (status != GMM_OK)
        return status;
    unsigned char *bytes = (unsigned char *)stream->bytes;
    status = io_npy_parse_buffer(&bytes, stream->size, stream->name, allow_nan,
                                 data, err);
    stream->bytes = (char *)bytes; /* NULL once the values own them */
    return status;
}

/* An .npy file or pipe whose first bytes, in the stream, were the magic. */
static gmm_status read_npy(io_stream *stream, int regular, size_t file_size,
                           size_t piece_size, int allow_nan, gmm_data *data,
                           gmm_error *err)
{
    if (!regular)
        return read_npy_stream(stream, allow_nan, data, err);
    /* Read again from the start with pread, without the stream's piece,
     * which is freed before the values are allocated. */
    io_stream_close(stream);
    return io_npy_read_file(stream->fd, stream->name, file_size, piece_size,
                            allow_nan, data, err);
}

/* Whether the stream starts with the .npy magic (reading on as needed:
 * pieces smaller than the magic, which tests make, read on to see it). */
static gmm_status starts_as_npy(io_stream *stream, int *npy, gmm_error *err)
{
    while (stream->size < NPY_MAGIC_SIZE && !stream->at_end) {
        gmm_status status = io_stream_refill(stream, 0, err);
        if (status != GMM_OK)
            return status;
    }
    *npy = stream->size >= NPY_MAGIC_SIZE &&
           memcmp(stream->bytes, NPY_MAGIC, NPY_MAGIC_SIZE) == 0;
    return GMM_OK;
}

/* What a reader does with the open stream of a data file. */
typedef gmm_status (*stream_reader)(io_stream *stream, const char *path,
                                    int regular, size_t file_size,
                                    void *context, gmm_error *err);

/* Open path ("-": standard input) as a stream of piece_size pieces, with
 * the stop function `stop`, for `read`, and close it after. */
static gmm_status with_stream(const char *path, size_t piece_size,
                              int (*stop)(void), stream_reader read,
                              void *context, gmm_error *err)
{
    int from_stdin = strcmp(path, STDIN_PATH) == 0;
    int fd = STDIN_FILENO, regular = 0;
    size_t file_size = 0;
    /* Standard input is a stream even when it is a regular file: where its
     * reading starts is the caller's business, not offset 0. */
    gmm_status status = from_stdin ? GMM_OK
                                   : io_open_file(path, &fd, &regular, &file_size, err);
    if (status != GMM_OK)
        return status;
    io_stream stream;
    status = io_stream_open(&stream, fd, from_stdin ? STDIN_NAME : path, piece_size, err);
    stream.stop = stop;
    if (status == GMM_OK)
        status = read(&stream, path, regular, file_size, context, err);
    io_stream_close(&stream);
    if (!from_stdin)
        close(fd);
    return status;
}

/* gmm_data_read's reader: the piece size, whether NaN is a missing
 * value, and the data in context. */
typedef struct whole_read {
    size_t piece_size;
    int allow_missing;
    gmm_data *data;
} whole_read;

static gmm_status read_by_content(io_stream *stream, const char *path,
                                  int regular, size_t file_size, void *context,
                                  gmm_error *err)
{
    (void)path;
    const whole_read *whole = context;
    int npy;
    gmm_status status = starts_as_npy(stream, &npy, err);
    if (status != GMM_OK)
        return status;
    if (npy)
        return read_npy(stream, regular, file_size, whole->piece_size,
                        whole->allow_missing, whole->data, err);
    return io_csv_read_stream(stream, whole->allow_missing, whole->data, err);
}

gmm_status io_data_read(const char *path, size_t piece_size, gmm_data *data,
                        gmm_error *err)
{
    return io_data_read_as(path, piece_size, 0, data, err);
}

gmm_status io_data_read_as(const char *path, size_t piece_size,
                           int allow_missing, gmm_data *data, gmm_error *err)
{
    if (!data || !path)
        return gmm_fail(err, GMM_ERR_INVALID, "gmm_data_read: NULL argument");
    *data = (gmm_data){0};
    whole_read whole = {piece_size, allow_missing, data};
    return with_stream(path, piece_size, NULL, read_by_content, &whole, err);
}

/* A regular .npy file's rows, a batch at a time. */
static gmm_status npy_batches(const char *path, const io_batches *batches,
                              gmm_error *err)
{
    io_npy_rows file;
    gmm_status status = io_npy_rows_open(path, &file, err);
    if (status != GMM_OK)
        return status;
    size_t n_rows = file.layout.n_rows, n_cols = file.layout.n_cols;
    size_t rows = batches->rows < n_rows ? batches->rows : n_rows;
    double *values = malloc((rows ? rows : 1) * n_cols * sizeof *values);
    if (!values)
        status = gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu rows "
                          "of %zu values", path, rows, n_cols);
    for (size_t at = 0; status == GMM_OK && at < n_rows; at += rows) {
        size_t count = n_rows - at < rows ? n_rows - at : rows;
        status = io_npy_rows_read(&file, at, count, values, err);
        if (status == GMM_OK)
            status = io_npy_check_finite(values, count, n_cols, at, 0, path, err);
        if (status == GMM_OK)
            status = batches->fn(batches->context, values, count, n_cols, err);
    }
    free(values);
    io_npy_rows_close(&file);
    return status;
}

/* io_data_read_batches's reader: CSV from the stream, a regular .npy
 * file by pread. */
static gmm_status read_batches(io_stream *stream, const char *path,
                               int regular, size_t file_size, void *context,
                               gmm_error *err)
{
    (void)file_size;
    const io_batches *batches = context;
    int npy;
    gmm_status status = starts_as_npy(stream, &npy, err);
    if (status != GMM_OK)
        return status;
    if (npy && !regular)
        return gmm_fail(err, GMM_ERR_FORMAT, "%s: a .npy stream is read "
                        "whole; give the .npy file's path, or CSV on a stream",
                        stream->name);
    if (npy)
        return npy_batches(path, batches, err);
    return io_csv_read_batches(stream, batches, err);
}

gmm_status io_data_read_batches(const char *path, const io_batches *batches,
                                gmm_error *err)
{
    return with_stream(path, IO_PIECE_SIZE, batches->stop, read_batches,
                       (void *)batches, err);
}

void gmm_data_free(gmm_data *data)
{
    if (!data)
        return;
    if (data->column_names)
        for (size_t i = 0; i < data->n_cols; i++)
            free(data->column_names[i]);
    free(data->column_names);
    free(data->values);
    *data = (gmm_data){0};
}
