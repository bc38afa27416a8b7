/*
 * test_decimal.c — io_parse_decimal must give strtod's bits for every
 * text, whichever path (fast or strtod fallback) it takes.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "io/decimal.h"

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Parse the whole text both ways; bits must match. */
static void check_like_strtod(const char *text)
{
    const char *cursor = text, *end = text + strlen(text);
    double value = 0;
    io_number_status status = io_parse_decimal(&cursor, end, &value);
    char *strtod_end;
    double expected = strtod(text, &strtod_end);
    if (isinf(expected)) {
        CHECK(status == IO_NUMBER_RANGE);
    } else if (status != IO_NUMBER_OK || memcmp(&value, &expected, sizeof value) != 0
               || cursor != strtod_end) {
        fprintf(stderr, "  text %s: got %.17g (status %d), strtod %.17g\n", text, value,
                (int)status, expected);
        CHECK(!"same bits as strtod");
    }
}

static void check_edge_cases(void)
{
    static const char *texts[] = {
        "0", "-0", "+0", "0.0", "00012", "1", "-1", "3.6", "79", ".5", "5.", "-.25e+2",
        "1e22", "1e23", "9007199254740992", "9007199254740993", "9007199254740991e5",
        "123456789012345678", "1234567890123456789", "12345678901234567890",
        "0.1", "0.30000000000000004", "2.2250738585072014e-308", "4.9406564584124654e-324",
        "2.4703282292062328e-324", "2.4703282292062327e-324", "1e-400", "1e-99999999999",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
        "1e309", "1e99999999999999999999", "0e99999999999", "0.000000000000000000000000001",
        /* One literal split over two lines: a 163-digit mantissa that rounds
         * on its last digit. The parentheses tell clang the join is meant. */
        ("1.00000000000000000000000000000000000000000000000000000000000000000000000000000000"
         "0000000000000000000000000000000000000000000000000000000000000000000000000000000001"),
        "9007199254740993.0000000000000000000000000000000000000000000000000000000000001",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        check_like_strtod(texts[i]);
}

/* Random bit patterns printed the ways data files print numbers. */
static void check_random(void)
{
    static const char *formats[] = {"%.17g", "%.16g", "%.15g", "%.6g", "%.3f", "%.10e", "%g"};
    uint64_t state = 42;
    char text[64];
    for (int i = 0; i < 200000; i++) {
        uint64_t bits = splitmix64(&state);
        double value;
        memcpy(&value, &bits, sizeof value);
        if (!isfinite(value))
            continue;
        snprintf(text, sizeof text, formats[i % 7], value);
        check_like_strtod(text);
        /* Short decimals, the common case of real data. */
        snprintf(text, sizeof text, "%.*f", (int)(bits % 7), (double)(int64_t)(bits >> 40) / 1000.0);
        check_like_strtod(text);
    }
}

static void check_not_numbers(void)
{
    static const char *texts[] = {"", "+", "-", ".", "-.", "e5", ".e1", "abc", " 1", "nan", "inf", "0x10"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const char *cursor = texts[i];
        double value;
        /* "0x10" is a number "0" followed by text; the rest must be NONE. */
        io_number_status status = io_parse_decimal(&cursor, texts[i] + strlen(texts[i]), &value);
        if (strcmp(texts[i], "0x10") == 0)
            CHECK(status == IO_NUMBER_OK && cursor == texts[i] + 1);
        else
            CHECK(status == IO_NUMBER_NONE && cursor == texts[i]);
    }
    /* A trailing exponent marker without digits is not part of the number. */
    const char *text = "1e+", *cursor = text;
    double value;
    CHECK(io_parse_decimal(&cursor, text + 3, &value) == IO_NUMBER_OK && cursor == text + 1);
    /* Numbers stop at the end given, not at a NUL. */
    text = "12345";
    cursor = text;
    CHECK(io_parse_decimal(&cursor, text + 2, &value) == IO_NUMBER_OK && value == 12);
}

static void check_nonfinite_words(void)
{
    CHECK(io_is_nonfinite_word("nan", 3));
    CHECK(io_is_nonfinite_word("-NaN", 4));
    CHECK(io_is_nonfinite_word("+inf", 4));
    CHECK(io_is_nonfinite_word("Infinity", 8));
    CHECK(io_is_nonfinite_word("nan(0x1)", 8));
    CHECK(!io_is_nonfinite_word("nano", 4));
    CHECK(!io_is_nonfinite_word("in", 2));
    CHECK(!io_is_nonfinite_word("", 0));
}

int main(void)
{
    check_edge_cases();
    check_random();
    check_not_numbers();
    check_nonfinite_words();
    return check_report("test_decimal");
}
