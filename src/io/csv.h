/*
 * csv.h — the CSV reader on a stream (io layer, internal): the same parser
 * as gmm_data_parse_csv, fed a piece of the file at a time, so that the
 * text is never held whole beside the values.
 */
#ifndef GMM_IO_CSV_H
#define GMM_IO_CSV_H

#include "gmm.h"
#include "io/data_read.h"
#include "io/file.h"

/* The longest line the reader takes, its line end not counted: a row of
 * a million %.17g numbers is about 24 MiB; a longer "line" is a binary
 * file or a device that never ends (/dev/zero), which would otherwise be
 * read until memory runs out. */
#define IO_CSV_MAX_LINE_BYTES ((size_t)64 << 20)

/* Parse the rest of the stream (its unread bytes and what follows them)
 * as gmm_data_parse_csv parses text, with the same results and messages;
 * with allow_missing, an empty field, NA or NaN (any case) is a missing
 * value, read as NaN. On failure *data is empty. */
gmm_status io_csv_read_stream(io_stream *stream, int allow_missing,
                              gmm_data *data, gmm_error *err);

/* The same parse, the rows handed to batches->fn batches->rows at a time
 * (the last batch may be short) instead of kept: memory holds one batch
 * and one piece of text, however long the stream. A failure of the
 * function, or of the parse (the line named), stops the reading. */
gmm_status io_csv_read_batches(io_stream *stream, const io_batches *batches,
                               gmm_error *err);

#endif
