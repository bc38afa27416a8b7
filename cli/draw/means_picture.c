/*
 * means_picture.c — see means_picture.h. A line with a dot per iteration
 * for each component, in the component's colour of the other pictures.
 */
#include "draw/means_picture.h"

#include <math.h>
#include <stdlib.h>

#include "draw/figure.h"
#include "draw/svg.h"

enum { margin_left = 92, margin_top = 48, plot_width = 560,
       plot_height = 360, legend_gap = 24, margin_bottom = 64 };

/* Component k's first coordinate at step s. */
static double coordinate(const means_picture *p, size_t s, size_t k)
{
    return p->means[(s * p->n_components + k) * p->n_features];
}

static figure_frame frame_of(const means_picture *p)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t s = 0; s < p->n_steps; s++)
        for (size_t k = 0; k < p->n_components; k++) {
            lo = fmin(lo, coordinate(p, s, k));
            hi = fmax(hi, coordinate(p, s, k));
        }
    double x_lo = 0.0, x_hi = (double)(p->n_steps - 1);
    figure_pad_range(&lo, &hi, 0.05);
    figure_pad_range(&x_lo, &x_hi, 0.03);
    return (figure_frame){margin_left, margin_top, plot_width, plot_height,
                          x_lo, x_hi, lo, hi, 1};
}

int means_picture_write(FILE *out, const void *content, gmm_error *err)
{
    const means_picture *p = content;
    size_t k_count = p->n_components;
    double *xy = malloc(2 * p->n_steps * sizeof *xy);
    figure_legend_entry *entries = malloc(k_count * sizeof *entries);
    char (*labels)[32] = malloc(k_count * sizeof *labels);
    if (!xy || !entries || !labels) {
        free(xy), free(entries), free(labels);
        return figure_out_of_memory(err);
    }
    figure_frame f = frame_of(p);
    for (size_t k = 0; k < k_count; k++) {
        snprintf(labels[k], sizeof labels[k], "component %zu", k + 1);
        entries[k] = (figure_legend_entry){figure_colour(k, NULL),
                                           FIGURE_MARKER_LINE, labels[k]};
    }
    double legend_x = f.left + f.width + legend_gap;
    svg_begin(out, legend_x + figure_legend_width(entries, k_count) + 16,
              fmax(f.top + f.height + margin_bottom,
                   f.top + 22.0 * (double)k_count + 40),
              p->title);
    figure_draw_title(out, &f, p->title);
    figure_draw_axes(out, &f, "EM iteration (0: the start)", p->y_label);
    for (size_t k = 0; k < k_count; k++) {
        const char *colour = figure_colour(k, NULL);
        char group[64], line[160], dot[64];
        snprintf(group, sizeof group, "class=\"means-path\" "
                 "data-component=\"%zu\"", k + 1);
        figure_line_style(line, sizeof line, colour, FIGURE_MARKER_LINE, 2.0);
        snprintf(dot, sizeof dot, "fill=\"%s\"", colour);
        svg_group_begin(out, group);
        for (size_t s = 0; s < p->n_steps; s++) {
            xy[2 * s] = figure_x(&f, (double)s);
            xy[2 * s + 1] = figure_y(&f, coordinate(p, s, k));
        }
        if (p->n_steps > 1)
            svg_polyline(out, xy, p->n_steps, 0, line);
        for (size_t s = 0; s < p->n_steps; s++)
            svg_circle(out, xy[2 * s], xy[2 * s + 1], 3.0, dot);
        svg_group_end(out);
    }
    figure_draw_legend(out, legend_x, f.top, entries, k_count);
    svg_end(out);
    free(xy), free(entries), free(labels);
    return 0;
}
