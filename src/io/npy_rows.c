/*
 * npy_rows.c — reading an .npy file's rows on demand (npy_rows.h).
 *
 * pread keeps no file position, so threads read their windows at once
 * without a lock. The bytes go straight into the caller's window (for
 * native float64 in C order, the common case, with no other copy); the
 * kernel's page cache, not our resident memory, holds what was read.
 */
#define _POSIX_C_SOURCE 200809L /* pread, O_CLOEXEC */

#include "io/npy_rows.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/message.h"
#include "util/error.h"

/* A header longer than this is not a matrix of floats (numpy writes
 * version 1 headers, at most 64 KiB, for every such array). */
#define NPY_HEADER_READ_MAX (1u << 17)

/* size bytes at offset, retrying short reads; a file that ends early has
 * shrunk since it was opened. */
static gmm_status read_at(const io_npy_rows *file, void *bytes, size_t size,
                          size_t offset, gmm_error *err)
{
    unsigned char *to = bytes;
    while (size > 0) {
        ssize_t got = pread(file->fd, to, size, (off_t)offset);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return io_fail_errno(err, GMM_ERR_IO, errno,
                                 "%s: cannot read at byte %zu", file->name, offset);
        if (got == 0)
            return gmm_fail(err, GMM_ERR_IO, "%s: the file ends at byte %zu, "
                            "before its data; was it changed while in use?",
                            file->name, offset);
        to += got;
        offset += (size_t)got;
        size -= (size_t)got;
    }
    return GMM_OK;
}

gmm_status io_npy_rows_open(const char *path, io_npy_rows *file,
                            gmm_error *err)
{
    file->name = path;
    file->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (file->fd < 0)
        return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot open", path);
    struct stat st;
    gmm_status status = GMM_OK;
    if (fstat(file->fd, &st) != 0)
        status = io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot stat", path);
    else if (!S_ISREG(st.st_mode))
        status = gmm_fail(err, GMM_ERR_IO, "%s: not a regular file", path);
    size_t file_size = (size_t)st.st_size;
    size_t head_size = file_size < NPY_HEADER_READ_MAX ? file_size : NPY_HEADER_READ_MAX;
    unsigned char *head = status == GMM_OK ? malloc(head_size + 1) : NULL;
    if (status == GMM_OK && !head)
        status = gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for the header", path);
    if (status == GMM_OK)
        status = read_at(file, head, head_size, 0, err);
    if (status == GMM_OK)
        status = io_npy_parse_header(head, head_size, file_size, path,
                                     &file->layout, err);
    free(head);
    if (status != GMM_OK)
        io_npy_rows_close(file);
    return status;
}

/* Fortran order: each column of the window is one contiguous run. */
static gmm_status read_columns(const io_npy_rows *file, size_t first_row,
                               size_t n_rows, double *out, gmm_error *err)
{
    const io_npy_layout *l = &file->layout;
    size_t fs = (size_t)l->float_size;
    double *column = malloc(n_rows * sizeof *column);
    if (!column)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu values",
                        file->name, n_rows);
    gmm_status status = GMM_OK;
    for (size_t j = 0; status == GMM_OK && j < l->n_cols; j++) {
        status = read_at(file, column, n_rows * fs,
                         l->data_offset + (j * l->n_rows + first_row) * fs, err);
        io_npy_load_values((const unsigned char *)column, n_rows, l, column);
        for (size_t i = 0; i < n_rows; i++)
            out[i * l->n_cols + j] = column[i];
    }
    free(column);
    return status;
}

gmm_status io_npy_rows_read(void *context, size_t first_row, size_t n_rows,
                            double *out, gmm_error *err)
{
    const io_npy_rows *file = context;
    const io_npy_layout *l = &file->layout;
    if (l->fortran_order && l->n_cols > 1)
        return read_columns(file, first_row, n_rows, out, err);
    size_t fs = (size_t)l->float_size, n_values = n_rows * l->n_cols;
    gmm_status status = read_at(file, out, n_values * fs,
                                l->data_offset + first_row * l->n_cols * fs, err);
    if (status == GMM_OK && !io_npy_is_native_float64(l))
        io_npy_load_values((const unsigned char *)out, n_values, l, out);
    return status;
}

void io_npy_rows_close(io_npy_rows *file)
{
    if (file->fd >= 0)
        close(file->fd);
    file->fd = -1;
}
