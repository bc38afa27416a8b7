/*
 * figure.h — chart furniture shared by every picture: the frame that maps
 * data to pixels, axes with round-numbered ticks, colours, legends.
 * Layout only: no statistics are computed here.
 */
#ifndef GMM_CLI_DRAW_FIGURE_H
#define GMM_CLI_DRAW_FIGURE_H

#include <stddef.h>
#include <stdio.h>

#include "gmm.h"

/* A plot area (pixels, y downwards) and the data range it shows. */
typedef struct figure_frame {
    double left, top, width, height;
    double x_lo, x_hi, y_lo, y_hi;
    int x_integers;   /* x ticks at whole numbers only (counts, like K)   */
} figure_frame;

/* Pixel coordinates of data coordinates. */
double figure_x(const figure_frame *frame, double x);
double figure_y(const figure_frame *frame, double y);

/* [lo, hi] widened by `margin` of its span on each side (a zero span gets
 * a unit), so that no point sits on the frame. */
void figure_pad_range(double *lo, double *hi, double margin);

/* The frame, light grid lines at the ticks, tick labels and axis labels. */
void figure_draw_axes(FILE *out, const figure_frame *frame,
                      const char *x_label, const char *y_label);

/* A title centred over the frame. */
void figure_draw_title(FILE *out, const figure_frame *frame,
                       const char *title);

/* Colour k of a palette that tells ten colours apart (Tableau 10), as
 * "#rrggbb"; rgb (may be NULL) gets its components in [0, 255]. */
const char *figure_colour(size_t k, int rgb[3]);

typedef enum figure_marker {
    FIGURE_MARKER_POINT,   /* a dot, as the scatter's points              */
    FIGURE_MARKER_LINE,    /* a solid line segment                         */
    FIGURE_MARKER_DASHED,  /* a dashed line segment                        */
    FIGURE_MARKER_MEAN,    /* a ringed dot, as a component's mean          */
    FIGURE_MARKER_RING     /* an empty ring, marking a chosen point        */
} figure_marker;

typedef struct figure_legend_entry {
    const char *colour;
    figure_marker marker;
    const char *label;
} figure_legend_entry;

/* The width in pixels of the legend of these entries, from its longest
 * label, for callers sizing their picture. */
double figure_legend_width(const figure_legend_entry *entries, size_t n);

/* Entries stacked downwards from (x, y), the top left corner, in a box. */
void figure_draw_legend(FILE *out, double x, double y,
                        const figure_legend_entry *entries, size_t n);

/* The ring that marks a chosen point, as the legend shows it. */
void figure_draw_ring(FILE *out, double x, double y);

/* Attributes of a line of this marker style ("stroke=... "), shared by
 * the legend and what it explains. */
void figure_line_style(char *style, size_t size, const char *colour,
                       figure_marker marker, double width);

/* For a picture's writer when its memory runs out: err says so (status
 * GMM_ERR_NOMEM); returns -1. */
int figure_out_of_memory(gmm_error *err);

#endif /* GMM_CLI_DRAW_FIGURE_H */
