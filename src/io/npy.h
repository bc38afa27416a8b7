/*
 * npy.h — the NumPy .npy header and value conversion (io layer, internal),
 * shared by the whole-file reader (npy.c) and the streamed one
 * (npy_rows.c), so that there is one parser.
 */
#ifndef GMM_IO_NPY_H
#define GMM_IO_NPY_H

#include <stddef.h>

#include "gmm.h"

/* Where and how an .npy file stores its matrix. */
typedef struct io_npy_layout {
    int float_size;      /* 8 or 4                                        */
    int big_endian;
    int fortran_order;   /* the file runs down the columns                */
    size_t n_rows;       /* a 1-D array is n_rows x 1                     */
    size_t n_cols;
    size_t data_offset;  /* bytes before the first value                  */
} io_npy_layout;

/* Parse the preamble and header from the first `size` bytes of a file of
 * file_size bytes, and check the declared shape against file_size. */
gmm_status io_npy_parse_header(const unsigned char *bytes, size_t size,
                               size_t file_size, const char *name,
                               io_npy_layout *layout, gmm_error *err);

/* Values stored as this machine's doubles: copied without conversion. */
int io_npy_is_native_float64(const io_npy_layout *layout);

/* count values in the file's dtype and byte order to doubles; raw may be
 * the memory of out itself (a buffer converted in place). */
void io_npy_load_values(const unsigned char *raw, size_t count,
                        const io_npy_layout *layout, double *out);

#endif
