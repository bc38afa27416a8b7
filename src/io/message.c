/*
 * message.c — quoting input and describing errno values for error messages.
 */
#define _POSIX_C_SOURCE 200809L /* the XSI strerror_r, which is thread-safe */

#include "io/message.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"

void io_quote(char quote[IO_QUOTE_SIZE], const char *text, size_t length)
{
    static const char hex[] = "0123456789abcdef";
    size_t shown = length > IO_QUOTE_MAX_INPUT_BYTES ? IO_QUOTE_MAX_INPUT_BYTES : length;
    char *out = quote;
    *out++ = '"';
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\') {
            *out++ = '\\';
            *out++ = (char)c;
        } else if (c < 0x20 || c > 0x7e) {
            *out++ = '\\';
            *out++ = 'x';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 15];
        } else {
            *out++ = (char)c;
        }
    }
    *out++ = '"';
    if (shown < length) {
        memcpy(out, "...", 3);
        out += 3;
    }
    *out = '\0';
}

gmm_status io_fail_errno(gmm_error *err, gmm_status status, int errnum,
                         const char *format, ...)
{
    char what[GMM_ERROR_MESSAGE_SIZE];
    va_list args;
    va_start(args, format);
    vsnprintf(what, sizeof what, format, args);
    va_end(args);

    char description[128];
    if (strerror_r(errnum, description, sizeof description) != 0)
        snprintf(description, sizeof description, "error %d", errnum);
    return gmm_fail(err, status, "%s: %s", what, description);
}
