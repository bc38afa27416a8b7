/*
 * model_file.c — gmm_model_save and gmm_model_load: the model's JSON
 * (model_json.c) to and from a file, written atomically (output.c), read
 * whole up to a bound.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/file.h"
#include "io/message.h"
#include "io/output.h"
#include "util/error.h"

gmm_status gmm_model_save(const gmm_model *model, const char *path,
                          gmm_error *err)
{
    if (!path)
        return gmm_fail(err, GMM_ERR_INVALID, "gmm_model_save: NULL path");
    gmm_error json_error = {GMM_OK, ""};
    char *json = gmm_model_to_json(model, &json_error);
    if (!json)
        return gmm_fail(err, json_error.status, "%s: %s", path, json_error.message);
    gmm_status status = io_write_file_atomic(path, json, strlen(json), err);
    free(json);
    if (status == GMM_OK)
        gmm_error_clear(err);
    return status;
}

/* The largest model file read: 4 GiB of JSON is some 160 million numbers
 * (full covariances with K = 40, D = 2000), and jansson's tree of it takes
 * several times more memory; beyond it a "model file" is something else
 * (a device that never ends), which would otherwise be read until memory
 * runs out. */
#define MODEL_MAX_BYTES ((size_t)1 << 32)
/* What is read of a file that is not regular before its start is
 * looked at. */
#define MODEL_FIRST_PIECE ((size_t)1 << 16)

/* A model file is a JSON object: text that starts with '{' after blanks.
 * Looked at in the first piece of a pipe or device that goes on past it,
 * so that /dev/zero or /dev/urandom is refused at once, not after it
 * filled the bound (regular files and short inputs get the JSON parser's
 * own message). */
static gmm_status check_start(const io_stream *stream, gmm_error *err)
{
    const char *p = stream->bytes, *end = stream->bytes + stream->size;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    int byte_order_mark = end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0;
    if (p == end || *p == '{' || *p == '[' || byte_order_mark)
        return GMM_OK; /* the parser says what is wrong with these */
    char quote[IO_QUOTE_SIZE];
    io_quote(quote, p, (size_t)(end - p));
    return gmm_fail(err, GMM_ERR_FORMAT, "%s: not a model file: a model file "
                    "is a JSON object, starting with '{', but this starts with %s",
                    stream->name, quote);
}

static gmm_status read_model_text(int fd, const char *path, int regular,
                                  size_t file_size, io_stream *stream,
                                  gmm_error *err)
{
    if (regular && file_size > MODEL_MAX_BYTES)
        return gmm_fail(err, GMM_ERR_FORMAT, "%s: %zu bytes, more than a model "
                        "file may hold (4 GiB): is it a model file?", path,
                        file_size);
    gmm_status status = io_stream_open(stream, fd, path,
                                       regular ? file_size + 1 : MODEL_FIRST_PIECE,
                                       err);
    if (status == GMM_OK && !stream->at_end)
        status = check_start(stream, err);
    if (status == GMM_OK)
        status = io_stream_read_to(stream, MODEL_MAX_BYTES + 1, err);
    if (status == GMM_OK && stream->size > MODEL_MAX_BYTES)
        status = gmm_fail(err, GMM_ERR_FORMAT, "%s: more than 4 GiB, more than "
                          "a model file may hold: is it a model file?", path);
    return status;
}

gmm_model *gmm_model_load(const char *path, gmm_error *err)
{
    if (!path) {
        gmm_fail(err, GMM_ERR_INVALID, "gmm_model_load: NULL path");
        return NULL;
    }
    int fd, regular;
    size_t file_size;
    if (io_open_file(path, &fd, &regular, &file_size, err) != GMM_OK)
        return NULL;
    io_stream stream = {0};
    gmm_model *model = NULL;
    if (read_model_text(fd, path, regular, file_size, &stream, err) == GMM_OK)
        model = gmm_model_from_json(stream.bytes, stream.size, path, err);
    io_stream_close(&stream);
    close(fd);
    return model;
}
