/*
 * fuzz_model_json.c — libFuzzer target for gmm_model_from_json: any text
 * gives a clean error or a model, and a model written, read and written
 * again gives identical bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gmm.h"

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    gmm_error err;
    gmm_model *model = gmm_model_from_json((const char *)bytes, size, "fuzz.json", &err);
    if (!model) {
        if (err.message[0] == '\0')
            abort();
        return 0;
    }
    char *first = gmm_model_to_json(model, &err);
    gmm_model *again = first ? gmm_model_from_json(first, strlen(first), "again", &err) : NULL;
    char *second = again ? gmm_model_to_json(again, &err) : NULL;
    if (!second || strcmp(first, second) != 0)
        abort();
    free(second);
    gmm_model_free(again);
    free(first);
    gmm_model_free(model);
    return 0;
}
