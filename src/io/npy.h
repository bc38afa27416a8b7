/*
 * npy.h — the NumPy .npy header and value conversion (io layer, internal),
 * shared by the reader of bytes in memory (npy.c) and the readers of files
 * (npy_rows.c: windows of rows for streamed fits, and whole files), so
 * that there is one parser.
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

/* The longest preamble: the magic, two version bytes and, from version 2
 * on, a 4-byte header length. */
#define IO_NPY_PREAMBLE_MAX 12

/* How many of the file's first bytes io_npy_parse_header needs, judged
 * from its first min(file_size, IO_NPY_PREAMBLE_MAX) bytes: the preamble
 * and the header it announces, or just those bytes when they already
 * decide the parse (not .npy, or a header longer than the file). Never
 * more than file_size, so a lying header costs no memory. */
size_t io_npy_header_size(const unsigned char *bytes, size_t size,
                          size_t file_size);

/* Parse the preamble and header from the first `size` bytes of a file of
 * file_size bytes (size at least io_npy_header_size's answer), and check
 * the declared shape against file_size. */
gmm_status io_npy_parse_header(const unsigned char *bytes, size_t size,
                               size_t file_size, const char *name,
                               io_npy_layout *layout, gmm_error *err);

/* The size of the whole file its header declares (preamble, header and
 * array; SIZE_MAX if that overflows), from its first `size` bytes, which
 * hold at least io_npy_header_size's answer: how much a .npy file from a
 * pipe may be read before it is known to hold more than it says. Fails
 * as io_npy_parse_header fails on a bad preamble or header. */
gmm_status io_npy_declared_size(const unsigned char *bytes, size_t size,
                                const char *name, size_t *total,
                                gmm_error *err);

/* Values stored as this machine's doubles: copied without conversion. */
int io_npy_is_native_float64(const io_npy_layout *layout);

/* count values in the file's dtype and byte order to doubles; raw may be
 * the memory of out itself (a buffer converted in place). */
void io_npy_load_values(const unsigned char *raw, size_t count,
                        const io_npy_layout *layout, double *out);

/* Fail on the first NaN or infinity of n_rows x n_cols values that are
 * rows first_row... of the file, naming its row and column as numpy
 * would; with allow_nan, NaN is a missing value and only infinity
 * fails. */
gmm_status io_npy_check_finite(const double *values, size_t n_rows,
                               size_t n_cols, size_t first_row, int allow_nan,
                               const char *name, gmm_error *err);

/* gmm_data_parse_npy on a malloc'd buffer of a whole file that the caller
 * gives up (a .npy file from a pipe): the values are converted where the
 * bytes lie, so that memory holds the data once; only an array in Fortran
 * order is copied (transposing in place is not worth its cost). On success
 * *bytes is NULL and the memory is data's; on failure *bytes is still the
 * caller's to free. */
gmm_status io_npy_parse_buffer(unsigned char **bytes, size_t size,
                               const char *name, int allow_nan, gmm_data *data,
                               gmm_error *err);

#endif
