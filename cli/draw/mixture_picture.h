/*
 * mixture_picture.h — the picture of a mixture over its data: the rows as
 * a scatter coloured by component, each component's mean and its 1-sigma
 * and 2-sigma ellipses, a legend with the weights, and optionally the
 * marginal densities along both axes. gmm plot draws one; gmm fit --trace
 * draws one per EM iteration shown.
 */
#ifndef GMM_CLI_DRAW_MIXTURE_PICTURE_H
#define GMM_CLI_DRAW_MIXTURE_PICTURE_H

#include <stdio.h>

#include "gmm.h"

typedef struct mixture_picture {
    const gmm_model *model;   /* in the picture's plane: 2 features        */
    const double *points;     /* n_points x 2, in the same plane           */
    size_t n_points;
    /* Each point's colour: labels (hard, one component) or, if labels is
     * NULL, proba (n_points x K responsibilities, colours mixed in that
     * proportion, as in the classic pictures of EM). */
    const int *labels;
    const double *proba;
    const char *title;
    const char *subtitle;     /* a line under the title, or NULL           */
    const char *x_label, *y_label;
    double x_lo, x_hi, y_lo, y_hi; /* the shown range                      */
    int marginals;            /* draw the marginal densities               */
} mixture_picture;

/* The shown range that holds the points and every component's 2-sigma
 * ellipse, with a margin. Returns 0, or -1 with err filled. */
int mixture_picture_fit_range(mixture_picture *picture, gmm_error *err);

/* Write the SVG document (a cli_write_fn: content is a mixture_picture).
 * Returns 0, or -1 with err filled if memory ran out or the library
 * failed. */
int mixture_picture_write(FILE *out, const void *content, gmm_error *err);

#endif /* GMM_CLI_DRAW_MIXTURE_PICTURE_H */
