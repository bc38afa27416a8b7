/*
 * select_picture.h — gmm select --plot: the criterion (BIC or AIC) against
 * K, one line per covariance type, the chosen pair ringed. mclust's
 * plot.mclustBIC shows the same, upside down (its BIC has the other sign).
 */
#ifndef GMM_CLI_DRAW_SELECT_PICTURE_H
#define GMM_CLI_DRAW_SELECT_PICTURE_H

#include <stdio.h>

#include "gmm.h"

typedef struct select_picture {
    const gmm_select_entry *entries; /* n_types x n_k, as gmm_select's   */
    size_t n_types, n_k;
    size_t best;                     /* index of the chosen entry        */
    gmm_criterion criterion;
    const char *title;
} select_picture;

/* Write the SVG document (a cli_write_fn: content is a select_picture).
 * Returns 0, or -1 with err filled if memory ran out. */
int select_picture_write(FILE *out, const void *content, gmm_error *err);

#endif /* GMM_CLI_DRAW_SELECT_PICTURE_H */
