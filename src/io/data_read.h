/*
 * data_read.h — gmm_data_read with the size of its pieces as a parameter
 * (io layer, internal), so that tests can put the boundaries between
 * pieces everywhere: in a line, in a number, in a value's bytes.
 */
#ifndef GMM_IO_DATA_READ_H
#define GMM_IO_DATA_READ_H

#include <stddef.h>

#include "gmm.h"

/* gmm_data_read, reading piece_size bytes (>= 1) at a time; gmm_data_read
 * is this with IO_PIECE_SIZE. */
gmm_status io_data_read(const char *path, size_t piece_size, gmm_data *data,
                        gmm_error *err);
/* The same, with allow_missing gmm_data_read_missing's. */
gmm_status io_data_read_as(const char *path, size_t piece_size,
                           int allow_missing, gmm_data *data, gmm_error *err);

/* Rows handed on a batch at a time (io_data_read_batches): fn gets
 * n_rows (1 to rows) rows of n_cols values; a failure it returns stops
 * the reading, with its status. */
typedef gmm_status (*io_batch_fn)(void *context, const double *values,
                                  size_t n_rows, size_t n_cols, gmm_error *err);

typedef struct io_batches {
    size_t rows;        /* per batch, >= 1                               */
    io_batch_fn fn;
    void *context;
    int (*stop)(void);  /* the stream's stop (io/file.h), or NULL         */
} io_batches;

/* The rows of a data file gmm_data_read reads (path "-": standard
 * input), in batches, as they are read: CSV from a file or a stream of
 * any length, or a regular .npy file (read with pread, a batch at a
 * time). Messages are gmm_data_read's; a .npy stream is
 * GMM_ERR_FORMAT (it would have to be read whole). */
gmm_status io_data_read_batches(const char *path, const io_batches *batches,
                                gmm_error *err);

#endif
