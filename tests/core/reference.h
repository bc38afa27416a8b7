/*
 * reference.h — reading the reference cases the scripts in tests/reference write
 * (JSON: the data, the options and scikit-learn's fitted values) and
 * comparing a fit with them, for the tests that match scikit-learn's
 * estimators case by case.
 */
#ifndef GMM_TESTS_REFERENCE_H
#define GMM_TESTS_REFERENCE_H

#include <jansson.h>
#include <stdlib.h>

#include "check.h"

/* Nested JSON arrays of numbers, flattened row-major into out (NULL: only
 * counted); returns the count so far. */
static size_t reference_flatten(const json_t *value, double *out, size_t at)
{
    if (json_is_array(value)) {
        size_t i;
        const json_t *item;
        json_array_foreach(value, i, item) at = reference_flatten(item, out, at);
        return at;
    }
    if (out)
        out[at] = json_number_value(value);
    return at + 1;
}

/* The numbers of a (nested) array, malloc'd; their count in *count. */
static inline double *reference_numbers(const json_t *value, size_t *count)
{
    size_t n = reference_flatten(value, NULL, 0);
    double *out = malloc((n ? n : 1) * sizeof *out);
    reference_flatten(value, out, 0);
    if (count)
        *count = n;
    return out;
}

/* got against the case's expected values, to rtol relative (floor for
 * values near zero); the first difference is reported, naming the case
 * and the array. */
static inline void reference_compare(const char *name, const char *what,
                                     const double *got,
                                     const json_t *expected_json, double rtol,
                                     double floor)
{
    size_t n;
    double *expected = reference_numbers(expected_json, &n);
    for (size_t i = 0; i < n; i++)
        if (!close_to(got[i], expected[i], rtol, floor)) {
            CHECK(0, "%s: %s[%zu] = %.17g, scikit-learn %.17g", name, what, i,
                  got[i], expected[i]);
            break;
        }
    free(expected);
}

/* The case file at path, or NULL after a failed check naming it. */
static inline json_t *reference_load(const char *path)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    CHECK(root != NULL, "%s: %s", path, jerr.text);
    return root;
}

#endif
