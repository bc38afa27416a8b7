/*
 * message.h — pieces of the io layer's error messages (internal).
 *
 * Messages quote the offending input, which may be anything (binary, huge,
 * control characters), so it is always shown escaped and shortened.
 */
#ifndef GMM_IO_MESSAGE_H
#define GMM_IO_MESSAGE_H

#include <stddef.h>

#include "gmm.h"

/* Input bytes shown before the quote is cut: enough to recognise the text
 * without flooding a one-line message. */
#define IO_QUOTE_MAX_INPUT_BYTES 40
/* Each shown byte takes at most 4 characters (\xNN), plus the quotes,
 * "..." and the NUL. */
#define IO_QUOTE_SIZE (4 * IO_QUOTE_MAX_INPUT_BYTES + 6)

/* Write [text, text+length) into quote as printable ASCII between double
 * quotes: bytes outside 0x20..0x7e become \xNN, '"' and '\\' are escaped,
 * and text longer than IO_QUOTE_MAX_INPUT_BYTES is cut with "...". */
void io_quote(char quote[IO_QUOTE_SIZE], const char *text, size_t length);

/* gmm_fail with ": <description of errnum>" appended to the message, for
 * failures of system calls ("data.csv: cannot open: No such file..."). */
gmm_status io_fail_errno(gmm_error *err, gmm_status status, int errnum,
                         const char *format, ...)
    __attribute__((format(printf, 4, 5)));

#endif
