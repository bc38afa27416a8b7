/*
 * error.h — filling a caller's gmm_error.
 *
 * Every failing path in the library goes through gmm_fail so that a status
 * and a message always travel together, and so that `err` may be NULL.
 */
#ifndef GMM_UTIL_ERROR_H
#define GMM_UTIL_ERROR_H

#include "gmm.h"

/* Record status and a printf-style message in err (if not NULL) and return
 * status, so callers can write `return gmm_fail(err, GMM_ERR_DATA, ...)`. */
gmm_status gmm_fail(gmm_error *err, gmm_status status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Clear err to GMM_OK with an empty message. */
void gmm_error_clear(gmm_error *err);

#endif
