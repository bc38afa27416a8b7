/*
 * npy_rows.h — rows of an .npy file read with pread (io layer, internal):
 * on demand, as the streamed source of rows for fits larger than memory
 * and each MPI rank's slice; or all at once, as gmm_data_read reads a
 * regular .npy file. Nothing but the header is read at opening.
 */
#ifndef GMM_IO_NPY_ROWS_H
#define GMM_IO_NPY_ROWS_H

#include "gmm.h"
#include "io/npy.h"

typedef struct io_npy_rows {
    int fd;
    const char *name;     /* the path, for messages                       */
    io_npy_layout layout;
    /* Rows per block when reading Fortran order; 0 (as opened) means the
     * default of 65536. Tests and the fuzzer set a few rows, so that small
     * files cross block boundaries. */
    size_t column_block_rows;
} io_npy_rows;

gmm_status io_npy_rows_open(const char *path, io_npy_rows *file,
                            gmm_error *err);

/* Rows [first_row, first_row + n_rows) as row-major doubles (in out,
 * n_rows x n_cols), in any dtype, byte order or array order the reader of
 * whole files accepts, with no buffer larger than a few hundred KiB. Safe
 * from several threads at once (pread). Has the signature of rows/rows.h's
 * gmm_row_read_fn; file is an io_npy_rows. */
gmm_status io_npy_rows_read(void *file, size_t first_row, size_t n_rows,
                            double *out, gmm_error *err);

void io_npy_rows_close(io_npy_rows *file);

/* The whole matrix of the regular .npy file open as fd, of file_size
 * bytes, into data: the values are allocated once and the rows read into
 * them piece_size bytes at a time (straight in, or converted in place), so
 * that memory holds the data once. NaN (unless allow_nan: a missing
 * value) and infinity are refused with their row and column. The caller keeps and closes fd. On failure *data is
 * empty. */
gmm_status io_npy_read_file(int fd, const char *name, size_t file_size,
                            size_t piece_size, int allow_nan, gmm_data *data,
                            gmm_error *err);

#endif
