/*
 * csv.c — gmm_data_parse_csv: numeric CSV text to a row-major matrix.
 *
 * The format is DESIGN.md's: an optional header line (the first non-blank
 * line is a header when none of its fields is a number; one that mixes
 * numbers and text is an error); fields separated
 * by commas, tabs or runs of blanks, whichever the first data line uses;
 * LF or CRLF line ends; blank lines ignored; every row the same width.
 *
 * Speed: a fit reads its data once, so parsing must not dominate it. Each
 * row is parsed in a single pass over its bytes (numbers are read in place by
 * io_parse_decimal; no per-field copies or allocations). Only when a row
 * fails does a slower pass split it into fields to say exactly what is wrong.
 *
 * Memory: the text comes either whole (gmm_data_parse_csv) or a piece at a
 * time from a stream (io_csv_read_stream, for files: a "%.17g" CSV's text
 * is about 2.5 times its values, so holding it whole beside them made a
 * fit's peak 3.5 times the data). Lines are only parsed whole; a stream reads on when
 * the text at hand ends in the middle of one. The matrix is allocated from
 * a bound on the rows in the text at hand, which for text in memory is all
 * of it (one allocation), and doubles when a stream's rows outgrow it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/csv.h"
#include "io/decimal.h"
#include "io/message.h"
#include "util/error.h"

typedef enum separator {
    SEPARATOR_COMMA,
    SEPARATOR_TAB,
    SEPARATOR_BLANKS  /* one or more spaces or tabs */
} separator;

typedef struct text_line {
    const char *begin;
    const char *end;     /* before the "\n" or "\r\n" */
    size_t number;       /* from 1, for messages */
} text_line;

typedef struct csv_reader {
    const char *name;
    const char *next;    /* start of the next line */
    const char *end;     /* of the text at hand */
    io_stream *stream;   /* where more text comes from; NULL: none */
    size_t line_number;  /* of the line last returned */
    separator separator;
    size_t n_cols;
    size_t first_row_line;
    const io_batches *batches;  /* rows handed on in batches; NULL: kept */
    int allow_missing;  /* an empty field, NA or NaN is a missing value   */
} csv_reader;

typedef enum field_kind {
    FIELD_NUMBER,
    FIELD_EMPTY,
    FIELD_TEXT,       /* not a number at all */
    FIELD_NONFINITE,  /* "nan", "inf", ... */
    FIELD_RANGE,      /* a number beyond the range of a double */
    FIELD_NOMEM
} field_kind;

/* Blanks around a field are padding, except the separator itself. */
static int is_padding(char c, separator sep)
{
    return c == ' ' || (c == '\t' && sep != SEPARATOR_TAB);
}

static const char *skip_padding(const char *p, const char *end, separator sep)
{
    while (p < end && is_padding(*p, sep))
        p++;
    return p;
}

static int is_blank_line(const text_line *line)
{
    return skip_padding(line->begin, line->end, SEPARATOR_BLANKS) == line->end;
}

/* Whether the text at hand is all there is. */
static int text_is_whole(const csv_reader *reader)
{
    return !reader->stream || reader->stream->at_end;
}

/* Drop the lines parsed so far and read on after the rest. This moves the
 * text: lines taken before are no longer valid. */
static gmm_status read_more(csv_reader *reader, gmm_error *err)
{
    io_stream *stream = reader->stream;
    gmm_status status = io_stream_refill(stream, (size_t)(reader->next - stream->bytes), err);
    reader->next = stream->bytes;
    reader->end = stream->bytes + stream->size;
    return status;
}

/* The next line that is not blank, without its line end, valid until the
 * next call; *found is 0 at the end of the text. */
static gmm_status next_nonblank_line(csv_reader *reader, text_line *line,
                                     int *found, gmm_error *err)
{
    *found = 0;
    for (;;) {
        const char *begin = reader->next;
        const char *newline = memchr(begin, '\n', (size_t)(reader->end - begin));
        /* Checked on the bytes at hand, so that a stream that never ends
         * its line (/dev/zero) stops as soon as they are too many, with
         * what the whole text in memory gives. */
        size_t length = (size_t)((newline ? newline : reader->end) - begin);
        if (length > IO_CSV_MAX_LINE_BYTES)
            return gmm_fail(err, GMM_ERR_FORMAT,
                            "%s: line %zu is longer than %d MiB: not a text "
                            "file of numbers (a binary file?)", reader->name,
                            reader->line_number + 1,
                            (int)(IO_CSV_MAX_LINE_BYTES >> 20));
        if (!newline && !text_is_whole(reader)) {
            gmm_status status = read_more(reader, err);
            if (status != GMM_OK)
                return status;
            continue;
        }
        if (begin == reader->end)
            return GMM_OK;
        const char *end = newline ? newline : reader->end;
        reader->next = newline ? newline + 1 : reader->end;
        reader->line_number++;
        if (end > begin && end[-1] == '\r')
            end--;
        *line = (text_line){begin, end, reader->line_number};
        if (!is_blank_line(line)) {
            *found = 1;
            return GMM_OK;
        }
    }
}

/* A UTF-8 byte order mark, as some spreadsheets write, is not data. */
static gmm_status skip_byte_order_mark(csv_reader *reader, gmm_error *err)
{
    while (reader->end - reader->next < 3 && !text_is_whole(reader)) {
        gmm_status status = read_more(reader, err);
        if (status != GMM_OK)
            return status;
    }
    if (reader->end - reader->next >= 3 && memcmp(reader->next, "\xef\xbb\xbf", 3) == 0)
        reader->next += 3;
    return GMM_OK;
}

static separator detect_separator(const text_line *line)
{
    size_t length = (size_t)(line->end - line->begin);
    if (memchr(line->begin, ',', length))
        return SEPARATOR_COMMA;
    if (memchr(line->begin, '\t', length))
        return SEPARATOR_TAB;
    return SEPARATOR_BLANKS;
}

/* The slow, general field splitter: for headers, counting and messages.
 * Returns 0 when the line has no more fields; fields come trimmed. */
typedef struct field_splitter {
    const char *p;
    const char *end;
    separator sep;
    int done;
} field_splitter;

static field_splitter split_line(const text_line *line, separator sep)
{
    return (field_splitter){line->begin, line->end, sep, 0};
}

static int next_field(field_splitter *splitter, const char **begin,
                      const char **end)
{
    if (splitter->done)
        return 0;
    const char *p = skip_padding(splitter->p, splitter->end, splitter->sep);
    if (splitter->sep == SEPARATOR_BLANKS) {
        if (p == splitter->end)
            return 0;
        *begin = p;
        while (p < splitter->end && !is_padding(*p, splitter->sep))
            p++;
        *end = p;
        splitter->p = p;
        return 1;
    }
    char separator_char = splitter->sep == SEPARATOR_COMMA ? ',' : '\t';
    const char *stop = memchr(p, separator_char, (size_t)(splitter->end - p));
    *begin = p;
    *end = stop ? stop : splitter->end;
    while (*end > *begin && is_padding((*end)[-1], splitter->sep))
        (*end)--;
    splitter->p = stop ? stop + 1 : splitter->end;
    splitter->done = stop == NULL;
    return 1;
}

static size_t count_fields(const text_line *line, separator sep)
{
    field_splitter splitter = split_line(line, sep);
    const char *begin, *end;
    size_t count = 0;
    while (next_field(&splitter, &begin, &end))
        count++;
    return count;
}

static field_kind classify_field(const char *begin, const char *end)
{
    if (begin == end)
        return FIELD_EMPTY;
    if (io_is_nonfinite_word(begin, (size_t)(end - begin)))
        return FIELD_NONFINITE;
    const char *p = begin;
    double value;
    switch (io_parse_decimal(&p, end, &value)) {
    case IO_NUMBER_OK: return p == end ? FIELD_NUMBER : FIELD_TEXT;
    case IO_NUMBER_RANGE: return p == end ? FIELD_RANGE : FIELD_TEXT;
    case IO_NUMBER_NOMEM: return FIELD_NOMEM;
    case IO_NUMBER_NONE: break;
    }
    return FIELD_TEXT;
}

/* The spellings of a missing value, where they are allowed: an empty
 * field, NA (R's), or NaN in any case (numpy's, pandas'). */
static int is_missing_word(const char *begin, const char *end)
{
    size_t n = (size_t)(end - begin);
    return n == 0 || (n == 2 && memcmp(begin, "NA", 2) == 0) ||
           (n == 3 && strncasecmp(begin, "nan", 3) == 0);
}

/* Where missing values are allowed: whether the field at p (its padding
 * skipped) spells one; *field_end gets its end, before any padding. */
static int missing_field(const csv_reader *reader, const char *p,
                         const char *end, const char **field_end)
{
    separator sep = reader->separator;
    const char *q = p;
    if (sep == SEPARATOR_BLANKS) {
        while (q < end && !is_padding(*q, sep))
            q++;
    } else {
        char separator_char = sep == SEPARATOR_COMMA ? ',' : '\t';
        while (q < end && *q != separator_char)
            q++;
        while (q > p && is_padding(q[-1], sep))
            q--;
    }
    *field_end = q;
    return reader->allow_missing && (q > p || sep != SEPARATOR_BLANKS) &&
           is_missing_word(p, q);
}

/* What a field that is not a number adds to its message when its line
 * holds a carriage return: the file's lines end in CR alone (classic Mac
 * OS), so that the whole file reads as one line. */
static const char *carriage_return_hint(const text_line *line)
{
    return memchr(line->begin, '\r', (size_t)(line->end - line->begin))
               ? " (a carriage return inside the line: do the file's lines end "
                 "in CR alone? Convert them to LF or CRLF)"
               : "";
}

/* A header is a line of which no field is a number (and some field is
 * text: empty fields alone make a data line with stray commas, better
 * reported as such); a line mixing numbers and text is neither, and is
 * refused rather than guessed at: taken as a header it would drop a row
 * without a word ("1,2x"), taken as data it would fail on a name. */
static gmm_status detect_header(const csv_reader *reader, const text_line *line,
                                int *is_header, gmm_error *err)
{
    field_splitter splitter = split_line(line, detect_separator(line));
    const char *begin, *end, *text_begin = NULL, *text_end = NULL;
    size_t column = 0, text_column = 0;
    int any_number = 0;
    *is_header = 0;
    for (; next_field(&splitter, &begin, &end); column++) {
        /* A missing value is neither a name nor a number. */
        if (reader->allow_missing && is_missing_word(begin, end))
            continue;
        field_kind kind = classify_field(begin, end);
        if (kind == FIELD_NOMEM)
            return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", reader->name);
        any_number |= kind == FIELD_NUMBER || kind == FIELD_NONFINITE ||
                      kind == FIELD_RANGE;
        if (kind == FIELD_TEXT && !text_begin) {
            text_begin = begin, text_end = end;
            text_column = column;
        }
        /* A column name is a C string: a NUL would cut it silently. */
        if (kind == FIELD_TEXT && memchr(begin, '\0', (size_t)(end - begin)))
            return gmm_fail(err, GMM_ERR_FORMAT,
                            "%s: line %zu, column %zu: a NUL byte: binary "
                            "data, not CSV text", reader->name, line->number,
                            column + 1);
    }
    if (text_begin && any_number) {
        char quote[IO_QUOTE_SIZE];
        io_quote(quote, text_begin, (size_t)(text_end - text_begin));
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: line %zu, column %zu: expected a number, found %s; "
                        "the line mixes numbers and text, so it is neither a "
                        "header (no field a number) nor a row of numbers%s",
                        reader->name, line->number, text_column + 1, quote,
                        carriage_return_hint(line));
    }
    *is_header = text_begin != NULL;
    return GMM_OK;
}

static gmm_status fail_ragged(const csv_reader *reader, size_t line_number,
                              size_t n_fields, gmm_error *err)
{
    return gmm_fail(err, GMM_ERR_FORMAT,
                    "%s: line %zu: expected %zu fields as on line %zu, found %zu",
                    reader->name, line_number, reader->n_cols,
                    reader->first_row_line, n_fields);
}

/* Say precisely why a row failed the fast parse. */
static gmm_status fail_row(const csv_reader *reader, const text_line *line,
                           size_t column, gmm_error *err)
{
    size_t n_fields = count_fields(line, reader->separator);
    if (n_fields != reader->n_cols)
        return fail_ragged(reader, line->number, n_fields, err);

    field_splitter splitter = split_line(line, reader->separator);
    const char *begin = line->begin, *end = line->end;
    for (size_t i = 0; i <= column; i++)
        next_field(&splitter, &begin, &end);
    char quote[IO_QUOTE_SIZE];
    io_quote(quote, begin, (size_t)(end - begin));
    switch (classify_field(begin, end)) {
    case FIELD_EMPTY:
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: line %zu, column %zu: expected a number, found an empty field",
                        reader->name, line->number, column + 1);
    case FIELD_NONFINITE:
        return gmm_fail(err, GMM_ERR_DATA,
                        "%s: line %zu, column %zu: expected a finite number, found %s "
                        "(%s)", reader->name, line->number, column + 1, quote,
                        reader->allow_missing
                            ? "infinity is not allowed; NaN is a missing value"
                            : "NaN and infinity are not allowed");
    case FIELD_RANGE:
        return gmm_fail(err, GMM_ERR_DATA,
                        "%s: line %zu, column %zu: %s is beyond the range of a double",
                        reader->name, line->number, column + 1, quote);
    case FIELD_NOMEM:
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", reader->name);
    case FIELD_NUMBER:
    case FIELD_TEXT:
        break;
    }
    return gmm_fail(err, GMM_ERR_FORMAT,
                    "%s: line %zu, column %zu: expected a number, found %s%s",
                    reader->name, line->number, column + 1, quote,
                    carriage_return_hint(line));
}

/* The hot loop: one pass over the row's bytes, numbers read in place. */
static gmm_status parse_row(const csv_reader *reader, const text_line *line,
                            double *row, gmm_error *err)
{
    separator sep = reader->separator;
    const char *p = line->begin;
    for (size_t column = 0; column < reader->n_cols; column++) {
        int last = column + 1 == reader->n_cols;
        p = skip_padding(p, line->end, sep);
        const char *field = p;
        if (io_parse_decimal(&p, line->end, &row[column]) != IO_NUMBER_OK) {
            if (!missing_field(reader, field, line->end, &p))
                return fail_row(reader, line, column, err);
            row[column] = NAN;
        }
        const char *number_end = p;
        p = skip_padding(p, line->end, sep);
        int field_ends;
        if (p == line->end)
            field_ends = last;
        else if (sep == SEPARATOR_BLANKS)
            field_ends = !last && p > number_end;
        else
            field_ends = !last && *p++ == (sep == SEPARATOR_COMMA ? ',' : '\t');
        if (!field_ends)
            return fail_row(reader, line, column, err);
    }
    return GMM_OK;
}

/* An upper bound on the rows in [begin, end), so that text in memory
 * allocates the matrix once: the lines that remain, and also what the
 * bytes allow, since a good row of n fields takes at least 2n bytes with
 * its separators and newline, plus one slot for the bad row that may end
 * the parse. */
static size_t max_rows(const char *begin, const char *end, size_t n_cols)
{
    size_t newlines = 0;
    for (const char *p = begin; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        newlines++;
    size_t by_bytes = ((size_t)(end - begin) + 1) / (2 * n_cols) + 1;
    return newlines + 1 < by_bytes ? newlines + 1 : by_bytes;
}

/* Copy a header field, dropping the double quotes that spreadsheets and R
 * put around names (and un-doubling "" inside them). */
static char *header_name(const char *begin, const char *end)
{
    int quoted = end - begin >= 2 && *begin == '"' && end[-1] == '"';
    if (quoted) {
        begin++;
        end--;
    }
    char *name = malloc((size_t)(end - begin) + 1);
    if (!name)
        return NULL;
    char *out = name;
    for (const char *p = begin; p < end; p++) {
        *out++ = *p;
        if (quoted && *p == '"' && p + 1 < end && p[1] == '"')
            p++;
    }
    *out = '\0';
    return name;
}

static gmm_status read_header(const csv_reader *reader, const text_line *header,
                              gmm_data *data, gmm_error *err)
{
    size_t n_fields = count_fields(header, reader->separator);
    if (n_fields != reader->n_cols)
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: line %zu: the header has %zu fields but line %zu has %zu",
                        reader->name, header->number, n_fields,
                        reader->first_row_line, reader->n_cols);
    data->column_names = calloc(n_fields, sizeof *data->column_names);
    if (!data->column_names)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", reader->name);
    field_splitter splitter = split_line(header, reader->separator);
    const char *begin, *end;
    for (size_t i = 0; next_field(&splitter, &begin, &end); i++)
        if (!(data->column_names[i] = header_name(begin, end)))
            return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", reader->name);
    return GMM_OK;
}

/* Room for one more row. Doubling keeps a stream's growth amortized
 * O(1) per row, and costs no copy where realloc moves pages (glibc's
 * mremap for large blocks); pages not yet written are not resident. */
static gmm_status make_room(const csv_reader *reader, gmm_data *data,
                            size_t *capacity, gmm_error *err)
{
    if (data->n_rows < *capacity)
        return GMM_OK;
    size_t row_size = reader->n_cols * sizeof *data->values;
    double *grown = *capacity <= SIZE_MAX / 2 / row_size
                        ? realloc(data->values, *capacity * 2 * row_size)
                        : NULL;
    if (!grown)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu rows of %zu values",
                        reader->name, *capacity * 2, reader->n_cols);
    data->values = grown;
    *capacity *= 2;
    return GMM_OK;
}

/* The rows held so far handed to the batches' function, to make room
 * (batches only). */
static gmm_status hand_on(const csv_reader *reader, gmm_data *data,
                          gmm_error *err)
{
    gmm_status status = reader->batches->fn(reader->batches->context,
                                            data->values, data->n_rows,
                                            reader->n_cols, err);
    data->n_rows = 0;
    return status;
}

static gmm_status read_rows(csv_reader *reader, const text_line *first_row,
                            gmm_data *data, gmm_error *err)
{
    const io_batches *batches = reader->batches;
    size_t capacity = batches ? batches->rows
                              : max_rows(first_row->begin, reader->end,
                                         reader->n_cols);
    data->values = capacity <= SIZE_MAX / sizeof *data->values / reader->n_cols
                       ? malloc(capacity * reader->n_cols * sizeof *data->values)
                       : NULL;
    if (!data->values)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory for %zu rows of %zu values",
                        reader->name, capacity, reader->n_cols);
    text_line line = *first_row;
    for (int found = 1; found;) {
        gmm_status status = !batches                  ? make_room(reader, data, &capacity, err)
                            : data->n_rows == capacity ? hand_on(reader, data, err)
                                                       : GMM_OK;
        if (status == GMM_OK)
            status = parse_row(reader, &line, data->values + data->n_rows * reader->n_cols,
                               err);
        if (status != GMM_OK)
            return status;
        data->n_rows++;
        status = next_nonblank_line(reader, &line, &found, err);
        if (status != GMM_OK)
            return status;
    }
    if (batches)
        return hand_on(reader, data, err);

    double *shrunk = realloc(data->values, data->n_rows * data->n_cols * sizeof *shrunk);
    if (shrunk)
        data->values = shrunk;
    return GMM_OK;
}

/* The rows from first_row on, with the names of a header line (NULL for
 * none). */
static gmm_status parse_table(csv_reader *reader, const text_line *header,
                              const text_line *first_row, gmm_data *data,
                              gmm_error *err)
{
    reader->separator = detect_separator(first_row);
    reader->n_cols = count_fields(first_row, reader->separator);
    reader->first_row_line = first_row->number;
    data->n_cols = reader->n_cols; /* before anything gmm_data_free frees */
    gmm_status status = header ? read_header(reader, header, data, err) : GMM_OK;
    if (status != GMM_OK)
        return status;
    return read_rows(reader, first_row, data, err);
}

/* The header is split with the first row's separator, so it is parsed
 * after that row has been found; finding it may read on and move the
 * text, so the header line is copied first. */
static gmm_status parse_with_header(csv_reader *reader, const text_line *first,
                                    gmm_data *data, gmm_error *err)
{
    size_t length = (size_t)(first->end - first->begin);
    char *text = malloc(length + 1);
    if (!text)
        return gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory", reader->name);
    memcpy(text, first->begin, length);
    text_line header = {text, text + length, first->number};
    text_line first_row;
    int found;
    gmm_status status = next_nonblank_line(reader, &first_row, &found, err);
    if (status == GMM_OK && !found)
        status = gmm_fail(err, GMM_ERR_DATA,
                          "%s: no data: only a header line (line %zu), no rows of numbers",
                          reader->name, header.number);
    if (status == GMM_OK)
        status = parse_table(reader, &header, &first_row, data, err);
    free(text);
    return status;
}

static gmm_status parse_csv(csv_reader *reader, gmm_data *data, gmm_error *err)
{
    text_line first;
    int found;
    gmm_status status = next_nonblank_line(reader, &first, &found, err);
    if (status != GMM_OK)
        return status;
    if (!found)
        return gmm_fail(err, GMM_ERR_DATA, "%s: no data: the file is empty",
                        reader->name);
    int is_header;
    status = detect_header(reader, &first, &is_header, err);
    if (status != GMM_OK)
        return status;
    return is_header ? parse_with_header(reader, &first, data, err)
                     : parse_table(reader, NULL, &first, data, err);
}

/* A zip archive (numpy.savez writes them) is no text at all; it would
 * otherwise be reported by what its bytes happen to look like. */
static gmm_status refuse_archive(csv_reader *reader, gmm_error *err)
{
    static const char zip_magic[] = "PK\x03\x04";
    while (reader->end - reader->next < 4 && !text_is_whole(reader)) {
        gmm_status status = read_more(reader, err);
        if (status != GMM_OK)
            return status;
    }
    if (reader->end - reader->next >= 4 && memcmp(reader->next, zip_magic, 4) == 0)
        return gmm_fail(err, GMM_ERR_FORMAT,
                        "%s: a zip archive (a NumPy .npz file?), not CSV or "
                        ".npy: save one array with numpy.save (from a .npz: "
                        "numpy.save(path, numpy.load(archive)[name]))",
                        reader->name);
    return GMM_OK;
}

/* What both entry points share; on failure data is left empty. */
static gmm_status parse_reader(csv_reader *reader, gmm_data *data, gmm_error *err)
{
    gmm_status status = refuse_archive(reader, err);
    if (status == GMM_OK)
        status = skip_byte_order_mark(reader, err);
    if (status == GMM_OK)
        status = parse_csv(reader, data, err);
    if (status != GMM_OK)
        gmm_data_free(data);
    else
        gmm_error_clear(err);
    return status;
}

gmm_status gmm_data_parse_csv(const char *text, size_t size, const char *name,
                              gmm_data *data, gmm_error *err)
{
    if (!data || (!text && size > 0))
        return gmm_fail(err, GMM_ERR_INVALID, "gmm_data_parse_csv: NULL argument");
    *data = (gmm_data){0};
    if (size == 0)
        text = ""; /* so that no arithmetic is done on a NULL pointer */
    csv_reader reader = {.name = name ? name : "<csv>", .next = text, .end = text + size};
    return parse_reader(&reader, data, err);
}

gmm_status io_csv_read_stream(io_stream *stream, int allow_missing,
                              gmm_data *data, gmm_error *err)
{
    *data = (gmm_data){0};
    csv_reader reader = {.name = stream->name, .next = stream->bytes,
                         .end = stream->bytes + stream->size, .stream = stream,
                         .allow_missing = allow_missing};
    return parse_reader(&reader, data, err);
}

gmm_status io_csv_read_batches(io_stream *stream, const io_batches *batches,
                               gmm_error *err)
{
    gmm_data data = {0};
    csv_reader reader = {.name = stream->name, .next = stream->bytes,
                         .end = stream->bytes + stream->size, .stream = stream,
                         .batches = batches};
    gmm_status status = parse_reader(&reader, &data, err);
    gmm_data_free(&data);
    return status;
}
