/*
 * npy_rows.h — rows of an .npy file read on demand with pread (io layer,
 * internal): the streamed source of rows for fits larger than memory, and
 * each MPI rank's slice. Nothing but the header is read at opening.
 */
#ifndef GMM_IO_NPY_ROWS_H
#define GMM_IO_NPY_ROWS_H

#include "gmm.h"
#include "io/npy.h"

typedef struct io_npy_rows {
    int fd;
    const char *name;     /* the path, for messages                       */
    io_npy_layout layout;
} io_npy_rows;

gmm_status io_npy_rows_open(const char *path, io_npy_rows *file,
                            gmm_error *err);

/* Rows [first_row, first_row + n_rows) as row-major doubles (in out,
 * n_rows x n_cols), in any dtype, byte order or array order the reader of
 * whole files accepts. Safe from several threads at once (pread). Has the
 * signature of em/rows.h's gmm_row_read_fn; file is an io_npy_rows. */
gmm_status io_npy_rows_read(void *file, size_t first_row, size_t n_rows,
                            double *out, gmm_error *err);

void io_npy_rows_close(io_npy_rows *file);

#endif
