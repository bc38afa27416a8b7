/*
 * decimal.h — exact parsing of one decimal number (io layer, internal).
 *
 * The CSV reader spends nearly all its time here. strtod alone is correct
 * but slow, and it needs a NUL-terminated string, which a field inside a
 * larger buffer is not; so this scanner reads the number in place, computes
 * short numbers exactly itself and hands only long ones to strtod.
 */
#ifndef GMM_IO_DECIMAL_H
#define GMM_IO_DECIMAL_H

#include <stddef.h>

typedef enum io_number_status {
    IO_NUMBER_OK,      /* *value holds the correctly rounded number          */
    IO_NUMBER_NONE,    /* no number syntax at the cursor; cursor unchanged   */
    IO_NUMBER_RANGE,   /* valid syntax but beyond the largest double         */
    IO_NUMBER_NOMEM    /* a very long number needed memory that failed       */
} io_number_status;

/* Scan the longest prefix of [*cursor, end) that is a decimal number,
 * [+-] digits [. digits] [(e|E) [+-] digits], with at least one digit before
 * the exponent: exactly the decimal form strtod accepts (no hex, no
 * nan/inf, no leading blanks). On IO_NUMBER_OK or IO_NUMBER_RANGE *cursor
 * moves past the number. The result is bit-identical to glibc's strtod on
 * the same text, and does not depend on the locale. */
io_number_status io_parse_decimal(const char **cursor, const char *end,
                                  double *value);

/* Non-zero when [text, text+length) spells NaN or infinity as strtod would
 * accept it ("nan", "-Inf", "infinity", any case): text that is meant as a
 * number but is rejected as data. */
int io_is_nonfinite_word(const char *text, size_t length);

#endif
