/*
 * error.c — status strings and the gmm_error helpers (see error.h).
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

const char *gmm_strerror(gmm_status status)
{
    switch (status) {
    case GMM_OK: return "success";
    case GMM_ERR_NOMEM: return "out of memory";
    case GMM_ERR_INVALID: return "invalid argument";
    case GMM_ERR_DATA: return "unusable data";
    case GMM_ERR_NUMERIC: return "numerical failure";
    case GMM_ERR_NOT_FITTED: return "model not fitted";
    case GMM_ERR_IO: return "input/output error";
    case GMM_ERR_FORMAT: return "malformed file";
    case GMM_ERR_INTERRUPTED: return "interrupted";
    case GMM_ERR_UNSUPPORTED: return "not supported by this build";
    }
    return "unknown status";
}

gmm_status gmm_fail(gmm_error *err, gmm_status status, const char *format, ...)
{
    if (err) {
        va_list args;
        va_start(args, format);
        err->status = status;
        vsnprintf(err->message, sizeof err->message, format, args);
        va_end(args);
    }
    return status;
}

void gmm_error_clear(gmm_error *err)
{
    if (err) {
        err->status = GMM_OK;
        err->message[0] = '\0';
    }
}
