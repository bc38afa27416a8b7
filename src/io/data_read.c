/*
 * data_read.c — gmm_data_read and gmm_data_free: a data file, whichever its
 * format.
 *
 * The format is chosen by content, not by name: a .npy file starts with
 * the magic "\x93NUMPY", which no text file does; anything else is read as
 * CSV. So a CSV named data.txt, or a .npy piped through standard input,
 * just works.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/file.h"
#include "util/error.h"

#define NPY_MAGIC "\x93NUMPY"
#define STDIN_PATH "-"
#define STDIN_NAME "<stdin>"

gmm_status gmm_data_read(const char *path, gmm_data *data, gmm_error *err)
{
    if (!data || !path)
        return gmm_fail(err, GMM_ERR_INVALID, "gmm_data_read: NULL argument");
    *data = (gmm_data){0};
    int from_stdin = strcmp(path, STDIN_PATH) == 0;
    const char *name = from_stdin ? STDIN_NAME : path;
    char *bytes;
    size_t size;
    gmm_status status = from_stdin ? io_read_fd(STDIN_FILENO, name, &bytes, &size, err)
                                   : io_read_file(path, &bytes, &size, err);
    if (status != GMM_OK)
        return status;
    if (size >= strlen(NPY_MAGIC) && memcmp(bytes, NPY_MAGIC, strlen(NPY_MAGIC)) == 0)
        status = gmm_data_parse_npy((const unsigned char *)bytes, size, name, data, err);
    else
        status = gmm_data_parse_csv(bytes, size, name, data, err);
    free(bytes);
    return status;
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
