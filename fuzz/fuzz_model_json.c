/*
 * fuzz_model_json.c — libFuzzer target for gmm_model_from_json: any text
 * gives a clean error or a model, and a model written, read and written
 * again gives identical bytes. gmm_model_load, reading the same bytes
 * from a file, gives the same model or the same error.
 */
#define _GNU_SOURCE /* memfd_create */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gmm.h"

/* The bytes as a file (a memfd, by its /proc path) read by gmm_model_load
 * give what they give in memory under that name: the same JSON written
 * back, or the same status and message. */
static void check_load(const uint8_t *bytes, size_t size)
{
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    if (fd < 0 || (size > 0 && write(fd, bytes, size) != (ssize_t)size))
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    gmm_error expected_err = {GMM_OK, ""}, err = {GMM_OK, ""};
    gmm_model *expected = gmm_model_from_json((const char *)bytes, size, path,
                                              &expected_err);
    gmm_model *loaded = gmm_model_load(path, &err);
    if (!expected != !loaded
        || (!loaded && (err.status != expected_err.status
                        || strcmp(err.message, expected_err.message) != 0))) {
        fprintf(stderr, "load differs: \"%s\", expected \"%s\"\n", err.message,
                expected_err.message);
        abort();
    }
    if (loaded) {
        char *a = gmm_model_to_json(expected, &err);
        char *b = gmm_model_to_json(loaded, &err);
        if (!a || !b || strcmp(a, b) != 0)
            abort();
        free(a);
        free(b);
    }
    gmm_model_free(loaded);
    gmm_model_free(expected);
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    gmm_error err;
    gmm_model *model = gmm_model_from_json((const char *)bytes, size, "fuzz.json", &err);
    if (!model) {
        if (err.message[0] == '\0')
            abort();
        check_load(bytes, size);
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
    check_load(bytes, size);
    return 0;
}
