/*
 * decimal.c — exact, locale-independent parsing of one decimal number.
 *
 * Fast path (Clinger, "How to read floating point numbers accurately",
 * PLDI 1990): when the significant digits form an integer m <= 2^53 and the
 * power of ten p has |p| <= 22, m and 10^|p| are both exact doubles, so the
 * single IEEE operation m * 10^p or m / 10^-p is correctly rounded: the same
 * bits as strtod. Ordinary data ("3.6", "-0.25", "1234.5678") always takes
 * it.
 *
 * Second path, for up to 19 significant digits (the 17 of "%.17g" output,
 * which a round-tripped data file is full of): where long double has a
 * 64-bit significand (x86), m < 10^19 < 2^64 and 10^|p| for |p| <= 27
 * (5^27 < 2^64) are exact long doubles, so m * 10^p is correctly rounded to
 * 64 bits, within half a 64-bit ulp of the exact value. Rounding that to
 * double is then correct unless it lies next to a midpoint between two
 * doubles, i.e. unless its 11 extra bits are 0x3ff..0x401; those rare
 * cases (3 in 2048) and everything else go to strtod, on a copy rewritten
 * as digits and an exponent without a decimal point, so that neither the
 * missing NUL nor the locale's decimal separator matters. The path makes
 * reading such a file several times faster than strtod alone would
 * (bench/RESULTS.md note 24).
 */
#include "io/decimal.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* 10^19 - 1 is the largest run of nines that fits a uint64_t. */
#define MAX_MANTISSA_DIGITS 19
#define MAX_EXACT_MANTISSA (UINT64_C(1) << 53)
#define MAX_EXACT_POWER 22
/* Exponents are clamped here while scanning: no text that fits in memory
 * has enough digits for a larger exponent to still give a finite non-zero
 * double, and the clamp keeps the arithmetic below from overflowing. */
#define EXPONENT_CLAMP INT64_C(1000000000000000)
/* Long numbers are rewritten into a stack buffer of this size when they
 * fit, so that only pathological fields allocate. */
#define STACK_SCRATCH_SIZE 128

/* 10^27 is the largest power of ten exact in a 64-bit significand. */
#define MAX_EXACT_LONG_POWER 27
/* Double-rounding is ambiguous when the 11 bits that a 64-bit significand
 * has beyond a double's 53 are within one unit of the midpoint 0x400. */
#define EXTRA_BITS_MASK 0x7ffu
#define EXTRA_BITS_MIDPOINT 0x400u

static const double exact_powers_of_ten[MAX_EXACT_POWER + 1] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

typedef struct scanned_number {
    int negative;
    uint64_t mantissa;      /* the significant digits, when they fit        */
    size_t n_significant;   /* digits after leading zeros, integer + fraction */
    int64_t power;          /* value = mantissa * 10^power when they fit    */
} scanned_number;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Read a run of digits into the number; fraction digits also lower the
 * power of ten. Returns the position after the run. */
static const char *scan_digits(const char *p, const char *end, int fraction,
                               scanned_number *number)
{
    for (; p < end && is_digit(*p); p++) {
        int digit = *p - '0';
        if (number->n_significant > 0 || digit != 0) {
            if (number->n_significant < MAX_MANTISSA_DIGITS)
                number->mantissa = number->mantissa * 10 + (uint64_t)digit;
            number->n_significant++;
        }
        if (fraction)
            number->power--;
    }
    return p;
}

/* An exponent "e[+-]digits" at p, or p unchanged when there is none (then
 * a trailing 'e' is not part of the number, as for strtod). */
static const char *scan_exponent(const char *p, const char *end,
                                 scanned_number *number)
{
    if (p == end || (*p != 'e' && *p != 'E'))
        return p;
    const char *q = p + 1;
    int negative = 0;
    if (q < end && (*q == '+' || *q == '-'))
        negative = *q++ == '-';
    if (q == end || !is_digit(*q))
        return p;
    int64_t exponent = 0;
    for (; q < end && is_digit(*q); q++)
        if (exponent < EXPONENT_CLAMP)
            exponent = exponent * 10 + (*q - '0');
    number->power += negative ? -exponent : exponent;
    return q;
}

#if LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__))
/* The second path above; returns 0 when it cannot be sure. */
static int parse_medium(const scanned_number *number, double *value)
{
    if (number->n_significant > MAX_MANTISSA_DIGITS
        || number->power < -MAX_EXACT_LONG_POWER || number->power > MAX_EXACT_LONG_POWER)
        return 0;
    static const long double exact_long_powers_of_ten[MAX_EXACT_LONG_POWER + 1] = {
        1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
        1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
        1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};
    long double magnitude = (long double)number->mantissa;
    if (number->power < 0)
        magnitude /= exact_long_powers_of_ten[-number->power];
    else
        magnitude *= exact_long_powers_of_ten[number->power];
    /* x87's 80-bit format keeps the 64-bit significand, explicit leading
     * bit included, in its first 8 bytes. */
    uint64_t significand;
    memcpy(&significand, &magnitude, sizeof significand);
    unsigned extra_bits = (unsigned)(significand & EXTRA_BITS_MASK);
    if (extra_bits >= EXTRA_BITS_MIDPOINT - 1 && extra_bits <= EXTRA_BITS_MIDPOINT + 1)
        return 0;
    *value = number->negative ? -(double)magnitude : (double)magnitude;
    return 1;
}
#else
static int parse_medium(const scanned_number *number, double *value)
{
    (void)number;
    (void)value;
    return 0;
}
#endif

/* strtod on "[-]DIGITSeP": the significant digits of [begin, end) with the
 * decimal point and leading zeros dropped and the power adjusted. */
static io_number_status parse_long(const char *begin, const char *end,
                                   const scanned_number *number, double *value)
{
    char stack_scratch[STACK_SCRATCH_SIZE];
    size_t needed = number->n_significant + 32; /* sign, 'e', int64, NUL */
    char *scratch = needed <= sizeof stack_scratch ? stack_scratch : malloc(needed);
    if (!scratch)
        return IO_NUMBER_NOMEM;

    char *out = scratch;
    if (number->negative)
        *out++ = '-';
    size_t copied = 0;
    for (const char *p = begin; p < end && copied < number->n_significant; p++) {
        if (!is_digit(*p) || (copied == 0 && *p == '0'))
            continue;
        *out++ = *p;
        copied++;
    }
    int64_t power = number->power;
    snprintf(out, (size_t)(scratch + needed - out), "e%lld", (long long)power);

    int saved_errno = errno;
    *value = strtod(scratch, NULL);
    errno = saved_errno;
    if (scratch != stack_scratch)
        free(scratch);
    return isinf(*value) ? IO_NUMBER_RANGE : IO_NUMBER_OK;
}

io_number_status io_parse_decimal(const char **cursor, const char *end,
                                  double *value)
{
    const char *p = *cursor;
    scanned_number number = {0, 0, 0, 0};
    if (p < end && (*p == '+' || *p == '-'))
        number.negative = *p++ == '-';
    const char *digits_begin = p;
    p = scan_digits(p, end, 0, &number);
    int has_digits = p > digits_begin;
    if (p < end && *p == '.') {
        const char *fraction_begin = ++p;
        p = scan_digits(p, end, 1, &number);
        has_digits = has_digits || p > fraction_begin;
    }
    if (!has_digits)
        return IO_NUMBER_NONE;
    const char *digits_end = p;
    p = scan_exponent(p, end, &number);
    *cursor = p;

    if (number.n_significant == 0) {
        *value = number.negative ? -0.0 : 0.0;
        return IO_NUMBER_OK;
    }
    if (number.n_significant <= MAX_MANTISSA_DIGITS
        && number.mantissa <= MAX_EXACT_MANTISSA
        && number.power >= -MAX_EXACT_POWER && number.power <= MAX_EXACT_POWER) {
        double magnitude = (double)number.mantissa;
        if (number.power < 0)
            magnitude /= exact_powers_of_ten[-number.power];
        else
            magnitude *= exact_powers_of_ten[number.power];
        *value = number.negative ? -magnitude : magnitude;
        return IO_NUMBER_OK;
    }
    if (parse_medium(&number, value))
        return IO_NUMBER_OK;
    /* The power recorded so far counts every fraction digit; the rewritten
     * text keeps them all, so it needs the same power. */
    return parse_long(digits_begin, digits_end, &number, value);
}

int io_is_nonfinite_word(const char *text, size_t length)
{
    if (length > 0 && (*text == '+' || *text == '-')) {
        text++;
        length--;
    }
    if ((length == 3 && strncasecmp(text, "nan", 3) == 0)
        || (length == 3 && strncasecmp(text, "inf", 3) == 0)
        || (length == 8 && strncasecmp(text, "infinity", 8) == 0))
        return 1;
    /* strtod also accepts "nan(n-char-sequence)". */
    return length >= 5 && strncasecmp(text, "nan(", 4) == 0
           && text[length - 1] == ')';
}
