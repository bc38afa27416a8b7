/*
 * npy.c — gmm_data_parse_npy: a NumPy .npy file to a row-major matrix.
 *
 * The format (numpy.lib.format): the magic "\x93NUMPY", a major and minor
 * version byte, the header length (2 bytes little-endian in version 1,
 * 4 bytes in versions 2 and 3), then the header, an ASCII (version 3: UTF-8)
 * Python dict literal such as
 *     {'descr': '<f8', 'fortran_order': False, 'shape': (1000, 3), }
 * and the raw array. We accept float64 and float32 in either byte order,
 * C or Fortran order, 1-D (N rows of one feature) and 2-D shapes.
 * Everything the header declares is checked against the file's size before
 * anything is allocated, because the header may lie.
 *
 * The header parser and the value conversion are also what the readers
 * of files (io/npy_rows.c: windows of rows, whole regular files) use,
 * through io/npy.h: one parser for all. A .npy file from a pipe is read
 * whole and handed to io_npy_parse_buffer, which converts it where it lies.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/message.h"
#include "io/npy.h"
#include "util/error.h"

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_SIZE 6
#define NPY_MAX_DIMS 2

typedef struct npy_header {
    int float_size;         /* 8 or 4 */
    int big_endian;
    int fortran_order;
    int n_dims;
    size_t shape[NPY_MAX_DIMS];
} npy_header;

/* A cursor over the header dict, for the small Python-literal parser. */
typedef struct dict_parser {
    const char *name;
    const unsigned char *begin;
    const unsigned char *p;
    const unsigned char *end;
} dict_parser;

static void skip_spaces(dict_parser *parser)
{
    while (parser->p < parser->end
           && (*parser->p == ' ' || *parser->p == '\n' || *parser->p == '\t'
               || *parser->p == '\r'))
        parser->p++;
}

static gmm_status fail_header(const dict_parser *parser, const char *expected,
                              gmm_error *err)
{
    char quote[IO_QUOTE_SIZE];
    io_quote(quote, (const char *)parser->p, (size_t)(parser->end - parser->p));
    return gmm_fail(err, GMM_ERR_FORMAT,
                    "%s: bad .npy header: at byte %zu of the header, expected %s, found %s",
                    parser->name, (size_t)(parser->p - parser->begin), expected,
                    parser->p < parser->end ? quote : "its end");
}

/* Consume `token` (after optional spaces) or fail naming it. */
static gmm_status expect(dict_parser *parser, const char *token, gmm_error *err)
{
    skip_spaces(parser);
    size_t length = strlen(token);
    if ((size_t)(parser->end - parser->p) < length
        || memcmp(parser->p, token, length) != 0) {
        char expected[32];
        snprintf(expected, sizeof expected, "'%s'", token);
        return fail_header(parser, expected, err);
    }
    parser->p += length;
    return GMM_OK;
}

/* Consume `token` if it is next; return whether it was. */
static int accept(dict_parser *parser, const char *token)
{
    skip_spaces(parser);
    size_t length = strlen(token);
    if ((size_t)(parser->end - parser->p) < length
        || memcmp(parser->p, token, length) != 0)
        return 0;
    parser->p += length;
    return 1;
}

/* A Python string literal in single or double quotes, without escapes
 * (numpy never writes any in a header). */
static gmm_status parse_string(dict_parser *parser, const unsigned char **text,
                               size_t *length, gmm_error *err)
{
    skip_spaces(parser);
    if (parser->p == parser->end || (*parser->p != '\'' && *parser->p != '"'))
        return fail_header(parser, "a quoted string", err);
    unsigned char quote = *parser->p;
    const unsigned char *begin = parser->p + 1;
    const unsigned char *close = memchr(begin, quote, (size_t)(parser->end - begin));
    if (!close || memchr(begin, '\\', (size_t)(close - begin)))
        return fail_header(parser, "a string without escapes, closed on the same line", err);
    *text = begin;
    *length = (size_t)(close - begin);
    parser->p = close + 1;
    return GMM_OK;
}

static gmm_status parse_descr(dict_parser *parser, npy_header *header,
                              gmm_error *err)
{
    const unsigned char *descr;
    size_t length;
    skip_spaces(parser);
    /* numpy writes a structured dtype as a list of (name, type) fields. */
    if (parser->p < parser->end && *parser->p == '[')
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: unsupported .npy dtype: a structured array (named "
                        "fields, a record per row); expected a plain float64 or "
                        "float32 matrix; convert with numpy.lib.recfunctions."
                        "structured_to_unstructured(X).astype(float)",
                        parser->name);
    gmm_status status = parse_string(parser, &descr, &length, err);
    if (status != GMM_OK)
        return status;
    if (length == 3 && (descr[0] == '<' || descr[0] == '>') && descr[1] == 'f'
        && (descr[2] == '8' || descr[2] == '4')) {
        header->big_endian = descr[0] == '>';
        header->float_size = descr[2] - '0';
        return GMM_OK;
    }
    char quote[IO_QUOTE_SIZE];
    io_quote(quote, (const char *)descr, length);
    return gmm_fail(err, GMM_ERR_FORMAT,
                    "%s: unsupported .npy dtype %s: expected float64 or float32 "
                    "('<f8', '>f8', '<f4' or '>f4'); convert with X.astype(float)",
                    parser->name, quote);
}

static gmm_status parse_bool(dict_parser *parser, int *value, gmm_error *err)
{
    if (accept(parser, "True"))
        *value = 1;
    else if (accept(parser, "False"))
        *value = 0;
    else
        return fail_header(parser, "True or False", err);
    return GMM_OK;
}

static gmm_status parse_dimension(dict_parser *parser, size_t *value,
                                  gmm_error *err)
{
    skip_spaces(parser);
    const unsigned char *begin = parser->p;
    size_t dimension = 0;
    for (; parser->p < parser->end && *parser->p >= '0' && *parser->p <= '9'; parser->p++) {
        size_t digit = (size_t)(*parser->p - '0');
        if (dimension > (SIZE_MAX - digit) / 10) {
            parser->p = begin;
            return fail_header(parser, "a dimension that fits in size_t", err);
        }
        dimension = dimension * 10 + digit;
    }
    if (parser->p == begin)
        return fail_header(parser, "a dimension", err);
    accept(parser, "L"); /* Python 2's long integers, in old files */
    *value = dimension;
    return GMM_OK;
}

/* A tuple of at most NPY_MAX_DIMS dimensions: "()", "(n,)", "(n, d)". */
static gmm_status parse_shape(dict_parser *parser, npy_header *header,
                              gmm_error *err)
{
    gmm_status status = expect(parser, "(", err);
    if (status != GMM_OK)
        return status;
    header->n_dims = 0;
    while (!accept(parser, ")")) {
        if (header->n_dims == NPY_MAX_DIMS)
            return gmm_fail(err, GMM_ERR_FORMAT,
                            "%s: the .npy array has more than 2 dimensions; "
                            "expected a 1-D or 2-D array (rows x features)",
                            parser->name);
        status = parse_dimension(parser, &header->shape[header->n_dims++], err);
        if (status != GMM_OK)
            return status;
        if (!accept(parser, ","))
            return expect(parser, ")", err);
    }
    return GMM_OK;
}

static int key_is(const unsigned char *key, size_t length, const char *name)
{
    return length == strlen(name) && memcmp(key, name, length) == 0;
}

static gmm_status parse_key_value(dict_parser *parser, npy_header *header,
                                  unsigned *seen, gmm_error *err)
{
    const unsigned char *key;
    size_t length;
    gmm_status status = parse_string(parser, &key, &length, err);
    if (status == GMM_OK)
        status = expect(parser, ":", err);
    if (status != GMM_OK)
        return status;
    if (key_is(key, length, "descr")) {
        *seen |= 1;
        return parse_descr(parser, header, err);
    }
    if (key_is(key, length, "fortran_order")) {
        *seen |= 2;
        return parse_bool(parser, &header->fortran_order, err);
    }
    if (key_is(key, length, "shape")) {
        *seen |= 4;
        return parse_shape(parser, header, err);
    }
    parser->p = key - 1;
    return fail_header(parser, "one of the keys 'descr', 'fortran_order', 'shape'", err);
}

/* The whole header: the dict, then only padding. */
static gmm_status parse_dict(dict_parser *parser, npy_header *header,
                             gmm_error *err)
{
    unsigned seen = 0;
    gmm_status status = expect(parser, "{", err);
    while (status == GMM_OK && !accept(parser, "}")) {
        status = parse_key_value(parser, header, &seen, err);
        if (status == GMM_OK && !accept(parser, ",")) {
            status = expect(parser, "}", err);
            break;
        }
    }
    if (status != GMM_OK)
        return status;
    if (seen != 7)
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: bad .npy header: it lacks %s", parser->name,
                        !(seen & 1) ? "'descr'" : !(seen & 2) ? "'fortran_order'" : "'shape'");
    skip_spaces(parser);
    if (parser->p != parser->end)
        return fail_header(parser, "the end of the header", err);
    return GMM_OK;
}

/* The preamble: magic, version, header length; *header_begin and
 * *data_offset are where the header and the array start. bytes holds the
 * file's first `size` bytes (the whole preamble, if the file has it); the
 * header's length is checked against the file's size. */
static gmm_status parse_preamble(const unsigned char *bytes, size_t size,
                                 size_t file_size, const char *name,
                                 size_t *header_begin, size_t *data_offset,
                                 gmm_error *err)
{
    if (size < NPY_MAGIC_SIZE + 2 || memcmp(bytes, NPY_MAGIC, NPY_MAGIC_SIZE) != 0)
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: not a .npy file (it does not start with \"\\x93NUMPY\")", name);
    int major = bytes[6], minor = bytes[7];
    size_t length_size = major == 1 ? 2 : 4;
    if (major < 1 || major > 3)
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: unsupported .npy format version %d.%d; expected 1.0, 2.0 or 3.0",
                        name, major, minor);
    *header_begin = NPY_MAGIC_SIZE + 2 + length_size;
    if (size < *header_begin)
        return gmm_fail(err, GMM_ERR_FORMAT, "%s: truncated .npy file: it ends in the preamble", name);
    size_t header_length = 0;
    for (size_t i = length_size; i-- > 0;)
        header_length = header_length << 8 | bytes[NPY_MAGIC_SIZE + 2 + i];
    if (header_length > file_size - *header_begin)
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: truncated .npy file: the header claims %zu bytes, only %zu follow",
                        name, header_length, file_size - *header_begin);
    *data_offset = *header_begin + header_length;
    return GMM_OK;
}

size_t io_npy_header_size(const unsigned char *bytes, size_t size,
                          size_t file_size)
{
    size_t header_begin = 0, data_offset = 0;
    if (parse_preamble(bytes, size, file_size, "", &header_begin, &data_offset,
                       NULL) != GMM_OK)
        return size;
    return data_offset;
}

static void format_shape(char *text, size_t text_size, const npy_header *header)
{
    if (header->n_dims == 1)
        snprintf(text, text_size, "(%zu,)", header->shape[0]);
    else
        snprintf(text, text_size, "(%zu, %zu)", header->shape[0], header->shape[1]);
}

/* The shape must be a non-empty 1-D or 2-D array whose bytes are exactly
 * what follows the header. */
static gmm_status check_shape(const npy_header *header, size_t data_size,
                              const char *name, size_t *n_rows, size_t *n_cols,
                              gmm_error *err)
{
    if (header->n_dims == 0)
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: the .npy array is a single number (shape ()); "
                        "expected a 1-D or 2-D array", name);
    char shape[64];
    format_shape(shape, sizeof shape, header);
    *n_rows = header->shape[0];
    *n_cols = header->n_dims == 2 ? header->shape[1] : 1;
    if (*n_rows == 0 || *n_cols == 0)
        return gmm_fail(err, GMM_ERR_DATA, "%s: the .npy array is empty (shape %s)",
                        name, shape);
    size_t float_size = (size_t)header->float_size;
    if (*n_rows > data_size / float_size / *n_cols
        || *n_rows * *n_cols * float_size != data_size)
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: the .npy header declares shape %s of %zu-byte values, "
                        "but %zu bytes of data follow it", name, shape, float_size, data_size);
    return GMM_OK;
}

/* One value of the file's dtype, from bytes in the file's byte order. */
static double load_value(const unsigned char *bytes, const io_npy_layout *header)
{
    uint64_t bits = 0;
    for (int i = 0; i < header->float_size; i++)
        bits = bits << 8 | bytes[header->big_endian ? i : header->float_size - 1 - i];
    if (header->float_size == 8) {
        double value;
        memcpy(&value, &bits, sizeof value);
        return value;
    }
    uint32_t bits32 = (uint32_t)bits;
    float value;
    memcpy(&value, &bits32, sizeof value);
    return value;
}

int io_npy_is_native_float64(const io_npy_layout *header)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return header->float_size == 8 && !header->big_endian;
#else
    return header->float_size == 8 && header->big_endian;
#endif
}

void io_npy_load_values(const unsigned char *raw, size_t count,
                        const io_npy_layout *layout, double *out)
{
    /* From the end: value i is read (at byte i * float_size) before out[i]
     * (at byte 8i) is written, so raw may be out's own memory. */
    for (size_t i = count; i-- > 0;)
        out[i] = load_value(raw + i * (size_t)layout->float_size, layout);
}

/* Convert to row-major doubles. The common case, native float64 in C
 * order, is a plain copy; everything else goes value by value. */
static void convert(const unsigned char *array, const io_npy_layout *header,
                    gmm_data *data)
{
    size_t n_values = data->n_rows * data->n_cols;
    if (io_npy_is_native_float64(header) && !header->fortran_order) {
        memcpy(data->values, array, n_values * sizeof *data->values);
        return;
    }
    if (!header->fortran_order) {
        io_npy_load_values(array, n_values, header, data->values);
        return;
    }
    for (size_t i = 0; i < n_values; i++) {
        /* In Fortran order the file runs down the columns. */
        size_t target = (i % data->n_rows) * data->n_cols + i / data->n_rows;
        data->values[target] = load_value(array + i * (size_t)header->float_size, header);
    }
}

gmm_status io_npy_check_finite(const double *values, size_t n_rows,
                               size_t n_cols, size_t first_row, int allow_nan,
                               const char *name, gmm_error *err)
{
    size_t n_values = n_rows * n_cols;
    for (size_t i = 0; i < n_values; i++)
        if (!isfinite(values[i]) && !(allow_nan && isnan(values[i])))
            return gmm_fail(err, GMM_ERR_DATA,
                            "%s: X[%zu, %zu] (row and column counted from 0, as "
                            "in numpy): expected a finite number, found %s",
                            name, first_row + i / n_cols, i % n_cols,
                            isnan(values[i]) ? "NaN" : "infinity");
    return GMM_OK;
}

gmm_status io_npy_parse_header(const unsigned char *bytes, size_t size,
                               size_t file_size, const char *name,
                               io_npy_layout *layout, gmm_error *err)
{
    size_t header_begin = 0, data_offset = 0;
    gmm_status status = parse_preamble(bytes, size, file_size, name, &header_begin,
                                       &data_offset, err);
    if (status != GMM_OK)
        return status;
    if (data_offset > size)
        return gmm_fail(err, GMM_ERR_INVALID, "%s: io_npy_parse_header: given %zu "
                        "bytes of a %zu-byte header", name, size, data_offset);
    dict_parser parser = {name, bytes + header_begin, bytes + header_begin, bytes + data_offset};
    npy_header header = {0};
    if ((status = parse_dict(&parser, &header, err)) != GMM_OK
        || (status = check_shape(&header, file_size - data_offset, name, &layout->n_rows,
                                 &layout->n_cols, err)) != GMM_OK)
        return status;
    layout->float_size = header.float_size;
    layout->big_endian = header.big_endian;
    layout->fortran_order = header.fortran_order;
    layout->data_offset = data_offset;
    return GMM_OK;
}

gmm_status io_npy_declared_size(const unsigned char *bytes, size_t size,
                                const char *name, size_t *total,
                                gmm_error *err)
{
    size_t header_begin = 0, data_offset = 0;
    gmm_status status = parse_preamble(bytes, size, size, name, &header_begin,
                                       &data_offset, err);
    if (status != GMM_OK)
        return status;
    dict_parser parser = {name, bytes + header_begin, bytes + header_begin,
                          bytes + data_offset};
    npy_header header = {0};
    status = parse_dict(&parser, &header, err);
    if (status != GMM_OK)
        return status;
    /* SIZE_MAX when the product overflows: check_shape then says so. */
    size_t values = header.n_dims == 0 ? 1 : header.shape[0];
    if (header.n_dims == 2)
        values = header.shape[1] != 0 && values > SIZE_MAX / header.shape[1]
                     ? SIZE_MAX : values * header.shape[1];
    size_t float_size = (size_t)header.float_size;
    *total = values > (SIZE_MAX - data_offset) / float_size
                 ? SIZE_MAX : data_offset + values * float_size;
    return GMM_OK;
}

static gmm_status parse_npy(const unsigned char *bytes, size_t size,
                            const char *name, int allow_nan, gmm_data *data,
                            gmm_error *err)
{
    io_npy_layout layout;
    gmm_status status = io_npy_parse_header(bytes, size, size, name, &layout, err);
    if (status != GMM_OK)
        return status;
    data->n_rows = layout.n_rows;
    data->n_cols = layout.n_cols;
    data->values = malloc(data->n_rows * data->n_cols * sizeof *data->values);
    if (!data->values)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu x %zu values",
                        name, data->n_rows, data->n_cols);
    convert(bytes + layout.data_offset, &layout, data);
    return io_npy_check_finite(data->values, data->n_rows, data->n_cols, 0,
                               allow_nan, name, err);
}

/* The values of a C-order array moved to the front of the file's own
 * buffer, which is resized to hold them as doubles (a float32 file's
 * grows) and converted in place. */
static gmm_status convert_in_buffer(unsigned char **bytes, const io_npy_layout *layout,
                                    const char *name, int allow_nan, gmm_data *data,
                                    gmm_error *err)
{
    size_t n_values = layout->n_rows * layout->n_cols;
    memmove(*bytes, *bytes + layout->data_offset, n_values * (size_t)layout->float_size);
    double *values = realloc(*bytes, n_values * sizeof *values);
    if (!values)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu x %zu values",
                        name, layout->n_rows, layout->n_cols);
    *bytes = NULL;
    if (!io_npy_is_native_float64(layout))
        io_npy_load_values((const unsigned char *)values, n_values, layout, values);
    *data = (gmm_data){values, layout->n_rows, layout->n_cols, NULL};
    return io_npy_check_finite(values, data->n_rows, data->n_cols, 0, allow_nan,
                               name, err);
}

/* parse_npy, then data left empty on failure (its message kept). */
static gmm_status parse_npy_or_clear(const unsigned char *bytes, size_t size,
                                     const char *name, int allow_nan,
                                     gmm_data *data, gmm_error *err)
{
    gmm_status status = parse_npy(bytes, size, name, allow_nan, data, err);
    if (status != GMM_OK)
        gmm_data_free(data);
    else
        gmm_error_clear(err);
    return status;
}

gmm_status io_npy_parse_buffer(unsigned char **bytes, size_t size,
                               const char *name, int allow_nan, gmm_data *data,
                               gmm_error *err)
{
    *data = (gmm_data){0};
    io_npy_layout layout;
    gmm_status status = io_npy_parse_header(*bytes, size, size, name, &layout, err);
    if (status != GMM_OK)
        return status;
    if (layout.fortran_order && layout.n_cols > 1)
        return parse_npy_or_clear(*bytes, size, name, allow_nan, data, err);
    status = convert_in_buffer(bytes, &layout, name, allow_nan, data, err);
    if (status != GMM_OK)
        gmm_data_free(data);
    else
        gmm_error_clear(err);
    return status;
}

gmm_status gmm_data_parse_npy(const unsigned char *bytes, size_t size,
                              const char *name, gmm_data *data, gmm_error *err)
{
    if (!data || (!bytes && size > 0))
        return gmm_fail(err, GMM_ERR_INVALID, "gmm_data_parse_npy: NULL argument");
    *data = (gmm_data){0};
    return parse_npy_or_clear(bytes ? bytes : (const unsigned char *)"", size,
                              name ? name : "<npy>", 0, data, err);
}
