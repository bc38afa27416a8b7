/*
 * check.h — the few assertion helpers the C tests share. A failed check
 * prints where and what, counts the failure, and the test goes on so one
 * run shows every problem; main returns check_failures() != 0.
 */
#ifndef GMM_TESTS_CHECK_H
#define GMM_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_failure_count;

static inline int check_failures(void) { return check_failure_count; }

#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        if (!(cond)) {                                                        \
            check_failure_count++;                                            \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__,  \
                    #cond);                                                   \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
        }                                                                     \
    } while (0)

/* |a - b| <= rel * max(|b|, floor): relative, with an absolute floor for
 * values near zero. */
static inline int close_to(double a, double b, double rel, double floor)
{
    double scale = fabs(b) > floor ? fabs(b) : floor;
    return fabs(a - b) <= rel * scale;
}

#define CHECK_OK(call)                                                        \
    do {                                                                      \
        gmm_error check_err_;                                                 \
        gmm_status check_status_ = (call);                                    \
        (void)check_err_;                                                     \
        CHECK(check_status_ == GMM_OK, "%s returned %s", #call,               \
              gmm_strerror(check_status_));                                   \
    } while (0)

#endif
