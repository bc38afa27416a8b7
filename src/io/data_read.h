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

#endif
