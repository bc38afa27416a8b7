/*
 * model_file.c — gmm_model_save and gmm_model_load: the model's JSON
 * (model_json.c) to and from a file, written atomically (atomic_file.c).
 */
#include <stdlib.h>
#include <string.h>

#include "io/file.h"
#include "util/error.h"

gmm_status gmm_model_save(const gmm_model *model, const char *path,
                          gmm_error *err)
{
    if (!path)
        return gmm_fail(err, GMM_ERR_INVALID, "gmm_model_save: NULL path");
    gmm_error json_error = {GMM_OK, ""};
    char *json = gmm_model_to_json(model, &json_error);
    if (!json)
        return gmm_fail(err, json_error.status, "%s: %s", path, json_error.message);
    gmm_status status = io_write_file_atomic(path, json, strlen(json), err);
    free(json);
    if (status == GMM_OK)
        gmm_error_clear(err);
    return status;
}

gmm_model *gmm_model_load(const char *path, gmm_error *err)
{
    if (!path) {
        gmm_fail(err, GMM_ERR_INVALID, "gmm_model_load: NULL path");
        return NULL;
    }
    char *bytes;
    size_t size;
    if (io_read_file(path, &bytes, &size, err) != GMM_OK)
        return NULL;
    gmm_model *model = gmm_model_from_json(bytes, size, path, err);
    free(bytes);
    return model;
}
