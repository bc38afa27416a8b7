/*
 * means_picture.h — gmm fit --trace DIR's means.svg: each component's
 * mean (its first coordinate: the value itself for 1-D data) against the
 * EM iteration, from the start (iteration 0) to the last, one line per
 * component: the lecture's picture of EM learning two means.
 */
#ifndef GMM_CLI_DRAW_MEANS_PICTURE_H
#define GMM_CLI_DRAW_MEANS_PICTURE_H

#include <stdio.h>

#include "gmm.h"

typedef struct means_picture {
    const double *means;       /* n_steps x K x D: the start, then every
                                  iteration in order                     */
    size_t n_steps, n_components, n_features;
    const char *y_label;       /* what the first coordinate is           */
    const char *title;
} means_picture;

/* Write the SVG document (a cli_write_fn: content is a means_picture).
 * Returns 0, or -1 with err filled if memory ran out. */
int means_picture_write(FILE *out, const void *content, gmm_error *err);

#endif /* GMM_CLI_DRAW_MEANS_PICTURE_H */
