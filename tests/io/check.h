/*
 * check.h — the few assertions the io tests share. A failed check prints
 * where and why and counts; main returns the count, so CTest sees non-zero.
 */
#ifndef GMM_TESTS_IO_CHECK_H
#define GMM_TESTS_IO_CHECK_H

#include <stdio.h>
#include <string.h>

#include "gmm.h"

static int check_failures;

#define CHECK(condition)                                                     \
    do {                                                                     \
        if (!(condition)) {                                                  \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, \
                    #condition);                                             \
            check_failures++;                                                \
        }                                                                    \
    } while (0)

/* The call failed with `status` and its message contains every one of the
 * NULL-terminated fragments (file name, line, column, offending text...). */
#define CHECK_ERROR(err, expected_status, ...)                               \
    check_error(__FILE__, __LINE__, (err), (expected_status),                \
                (const char *[]){__VA_ARGS__, NULL})

static inline void check_error(const char *file, int line, const gmm_error *err,
                        gmm_status expected_status, const char **fragments)
{
    int ok = err->status == expected_status;
    for (const char **fragment = fragments; *fragment; fragment++)
        ok = ok && strstr(err->message, *fragment) != NULL;
    if (!ok) {
        fprintf(stderr, "%s:%d: expected status %d with", file, line, (int)expected_status);
        for (const char **fragment = fragments; *fragment; fragment++)
            fprintf(stderr, " [%s]", *fragment);
        fprintf(stderr, "\n    got status %d: %s\n", (int)err->status, err->message);
        check_failures++;
    }
}

static inline int check_report(const char *name)
{
    if (check_failures)
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
    else
        printf("%s: all checks passed\n", name);
    return check_failures != 0;
}

#endif
