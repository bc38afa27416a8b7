/*
 * plane.h — which plane of the data a picture shows: two columns (by name
 * from the CSV header, or by number from 1), or the first two principal
 * components. Both are the same thing to the library, an affine map
 * y = basis (x - origin), so data and mixture are projected alike.
 */
#ifndef GMM_CLI_DRAW_PLANE_H
#define GMM_CLI_DRAW_PLANE_H

#include "gmm.h"

typedef struct plane {
    size_t n_features;
    double *origin;        /* n_features (zero for columns)                */
    double *basis;         /* 2 x n_features                               */
    char x_label[160];
    char y_label[160];
} plane;

/* The plane for these data: columns x and y (NULL: the first two) or,
 * with pca, the principal components (then x and y must be NULL). Errors
 * are reported; returns an exit status. */
int plane_choose(const char *cmd, const gmm_data *data, const char *x,
                 const char *y, int pca, plane *plane);
void plane_free(plane *plane);

/* The rows' coordinates in the plane: n_rows x 2, freed with free(); NULL
 * after reporting that memory ran out. */
double *plane_project_rows(const char *cmd, const plane *plane,
                           const gmm_data *data);

/* The model seen in the plane (a 2-D full-covariance mixture), or NULL
 * after reporting why; *code gets the exit status. */
gmm_model *plane_project_model(const char *cmd, const plane *plane,
                               const gmm_model *model, int *code);

#endif /* GMM_CLI_DRAW_PLANE_H */
