/*
 * npy_rows.c — reading an .npy file's rows with pread (npy_rows.h).
 *
 * pread keeps no file position, so threads read their windows at once
 * without a lock. The bytes go straight into the caller's rows (for native
 * float64 in C order, the common case, with no other copy; other dtypes
 * are converted where they land); the kernel's page cache, not our
 * resident memory, holds what was read. A whole file is read the same way,
 * a piece of rows at a time into the one array that keeps them.
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

/* Fortran order is read a block of rows at a time, one read per column
 * and block, so that its buffer is 512 KiB of doubles however many rows
 * are asked for, and the reads stay long however wide the rows. */
#define COLUMN_BLOCK_ROWS ((size_t)1 << 16)

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

/* The preamble first, since it says how long the header is: so a header
 * of any length is read whole, as the reader of bytes in memory sees it
 * (the same messages), and one that claims more than the file costs
 * nothing. */
static gmm_status read_header(io_npy_rows *file, size_t file_size,
                              gmm_error *err)
{
    unsigned char preamble[IO_NPY_PREAMBLE_MAX];
    size_t preamble_size = file_size < sizeof preamble ? file_size : sizeof preamble;
    gmm_status status = read_at(file, preamble, preamble_size, 0, err);
    if (status != GMM_OK)
        return status;
    size_t header_size = io_npy_header_size(preamble, preamble_size, file_size);
    if (header_size <= preamble_size)
        return io_npy_parse_header(preamble, preamble_size, file_size, file->name,
                                   &file->layout, err);
    unsigned char *header = malloc(header_size);
    if (!header)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for the header",
                        file->name);
    status = read_at(file, header, header_size, 0, err);
    if (status == GMM_OK)
        status = io_npy_parse_header(header, header_size, file_size, file->name,
                                     &file->layout, err);
    free(header);
    return status;
}

gmm_status io_npy_rows_open(const char *path, io_npy_rows *file,
                            gmm_error *err)
{
    file->name = path;
    file->column_block_rows = 0;
    file->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (file->fd < 0)
        return io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot open", path);
    struct stat st;
    gmm_status status = GMM_OK;
    if (fstat(file->fd, &st) != 0)
        status = io_fail_errno(err, GMM_ERR_IO, errno, "%s: cannot stat", path);
    else if (!S_ISREG(st.st_mode))
        status = gmm_fail(err, GMM_ERR_IO, "%s: not a regular file", path);
    else
        status = read_header(file, (size_t)st.st_size, err);
    if (status != GMM_OK)
        io_npy_rows_close(file);
    return status;
}

/* Fortran order: each column of rows [first_row, first_row + n_rows) is
 * one contiguous run, read into `column` and spread over out's rows. */
static gmm_status read_column_runs(const io_npy_rows *file, size_t first_row,
                                   size_t n_rows, double *column, double *out,
                                   gmm_error *err)
{
    const io_npy_layout *l = &file->layout;
    size_t fs = (size_t)l->float_size;
    for (size_t j = 0; j < l->n_cols; j++) {
        gmm_status status = read_at(file, column, n_rows * fs,
                                    l->data_offset + (j * l->n_rows + first_row) * fs,
                                    err);
        if (status != GMM_OK)
            return status;
        io_npy_load_values((const unsigned char *)column, n_rows, l, column);
        for (size_t i = 0; i < n_rows; i++)
            out[i * l->n_cols + j] = column[i];
    }
    return GMM_OK;
}

static gmm_status read_columns(const io_npy_rows *file, size_t first_row,
                               size_t n_rows, double *out, gmm_error *err)
{
    size_t block_rows = file->column_block_rows ? file->column_block_rows
                                                : COLUMN_BLOCK_ROWS;
    size_t block = n_rows < block_rows ? n_rows : block_rows;
    double *column = malloc(block * sizeof *column);
    if (!column)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu values",
                        file->name, block);
    gmm_status status = GMM_OK;
    for (size_t done = 0; status == GMM_OK && done < n_rows; done += block) {
        size_t count = n_rows - done < block ? n_rows - done : block;
        status = read_column_runs(file, first_row + done, count, column,
                                  out + done * file->layout.n_cols, err);
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

/* Rows per read of the whole file: a piece's worth, at least one row; in
 * Fortran order a column block, so that each read stays long. */
static size_t window_rows(const io_npy_layout *l, size_t piece_size)
{
    if (l->fortran_order && l->n_cols > 1)
        return COLUMN_BLOCK_ROWS;
    size_t row_size = l->n_cols * sizeof(double);
    return piece_size > row_size ? piece_size / row_size : 1;
}

/* Window by window, so that each is checked while it is still in cache,
 * and the first NaN found is the first in numpy's row-major order. */
static gmm_status read_all_rows(io_npy_rows *file, size_t piece_size,
                                int allow_nan,
                                double *values, gmm_error *err)
{
    const io_npy_layout *l = &file->layout;
    size_t window = window_rows(l, piece_size);
    gmm_status status = GMM_OK;
    for (size_t first = 0; status == GMM_OK && first < l->n_rows; first += window) {
        size_t count = l->n_rows - first < window ? l->n_rows - first : window;
        double *rows = values + first * l->n_cols;
        status = io_npy_rows_read(file, first, count, rows, err);
        if (status == GMM_OK)
            status = io_npy_check_finite(rows, count, l->n_cols, first, allow_nan,
                                         file->name, err);
    }
    return status;
}

gmm_status io_npy_read_file(int fd, const char *name, size_t file_size,
                            size_t piece_size, int allow_nan, gmm_data *data,
                            gmm_error *err)
{
    *data = (gmm_data){0};
    io_npy_rows file = {fd, name, {0}, 0};
    gmm_status status = read_header(&file, file_size, err);
    if (status != GMM_OK)
        return status;
    size_t n_rows = file.layout.n_rows, n_cols = file.layout.n_cols;
    data->values = malloc(n_rows * n_cols * sizeof *data->values);
    if (!data->values)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu x %zu values",
                        name, n_rows, n_cols);
    data->n_rows = n_rows;
    data->n_cols = n_cols;
    status = read_all_rows(&file, piece_size, allow_nan, data->values, err);
    if (status != GMM_OK)
        gmm_data_free(data);
    else
        gmm_error_clear(err);
    return status;
}
