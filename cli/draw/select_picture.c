/*
 * select_picture.c — see select_picture.h. A pair that could not be fitted
 * leaves a gap in its line rather than a misleading straight segment.
 */
#include "draw/select_picture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw/figure.h"
#include "draw/svg.h"

enum { margin_left = 92, margin_top = 48, plot_width = 520,
       plot_height = 400, legend_gap = 24,
       margin_bottom = 64 };

static figure_frame frame_of(const select_picture *p)
{
    double lo = INFINITY, hi = -INFINITY;
    double k_lo = INFINITY, k_hi = -INFINITY;
    for (size_t i = 0; i < p->n_types * p->n_k; i++) {
        const gmm_select_entry *e = &p->entries[i];
        k_lo = fmin(k_lo, (double)e->n_components);
        k_hi = fmax(k_hi, (double)e->n_components);
        if (e->status == GMM_OK) {
            lo = fmin(lo, e->score);
            hi = fmax(hi, e->score);
        }
    }
    figure_pad_range(&lo, &hi, 0.05);
    figure_pad_range(&k_lo, &k_hi, 0.04);
    return (figure_frame){margin_left, margin_top, plot_width, plot_height,
                          k_lo, k_hi, lo, hi, 1};
}

/* Runs of consecutive fitted pairs of one type, each as a polyline. */
static void draw_type(FILE *out, const select_picture *p,
                      const figure_frame *f, size_t t, double *xy)
{
    const char *colour = figure_colour(t, NULL);
    char line[160], dot[64];
    figure_line_style(line, sizeof line, colour, FIGURE_MARKER_LINE, 2.0);
    snprintf(dot, sizeof dot, "fill=\"%s\"", colour);
    size_t run = 0;
    for (size_t i = 0; i <= p->n_k; i++) {
        const gmm_select_entry *e = i < p->n_k ? &p->entries[t * p->n_k + i]
                                               : NULL;
        if (e && e->status == GMM_OK) {
            xy[2 * run] = figure_x(f, (double)e->n_components);
            xy[2 * run + 1] = figure_y(f, e->score);
            run++;
            continue;
        }
        if (run > 1)
            svg_polyline(out, xy, run, 0, line);
        for (size_t r = 0; r < run; r++)
            svg_circle(out, xy[2 * r], xy[2 * r + 1], 3.5, dot);
        run = 0;
    }
}

/* The legend: a line per type, then the ring, which names the chosen pair
 * where no line can run through its label. labels holds n_types + 1. */
static void legend_entries(const select_picture *p,
                           figure_legend_entry *entries, char (*labels)[40])
{
    for (size_t t = 0; t < p->n_types; t++) {
        gmm_covariance_type type = p->entries[t * p->n_k].covariance_type;
        /* mclust's name too, for readers who know it. */
        const char *name = gmm_covariance_type_name(type),
                   *mclust = gmm_covariance_type_mclust_name(type);
        if (strcmp(name, mclust) == 0)
            snprintf(labels[t], sizeof labels[t], "%s", name);
        else
            snprintf(labels[t], sizeof labels[t], "%s (mclust %s)", name,
                     mclust);
        entries[t] = (figure_legend_entry){figure_colour(t, NULL),
                                           FIGURE_MARKER_LINE, labels[t]};
    }
    const gmm_select_entry *best = &p->entries[p->best];
    snprintf(labels[p->n_types], sizeof labels[p->n_types],
             "best: %s, K = %zu",
             gmm_covariance_type_name(best->covariance_type),
             best->n_components);
    entries[p->n_types] = (figure_legend_entry){"black", FIGURE_MARKER_RING,
                                                labels[p->n_types]};
}

int select_picture_write(FILE *out, const void *content, gmm_error *err)
{
    const select_picture *p = content;
    figure_frame f = frame_of(p);
    size_t n_entries = p->n_types + 1;
    double *xy = malloc(2 * p->n_k * sizeof *xy);
    figure_legend_entry *entries = malloc(n_entries * sizeof *entries);
    char (*labels)[40] = malloc(n_entries * sizeof *labels);
    if (!xy || !entries || !labels) {
        free(xy), free(entries), free(labels);
        return figure_out_of_memory(err);
    }
    legend_entries(p, entries, labels);
    const char *name = p->criterion == GMM_CRITERION_AIC ? "AIC" : "BIC";
    char axis_label[64];
    snprintf(axis_label, sizeof axis_label, "%s (lower is better)", name);
    double legend_x = f.left + f.width + legend_gap;
    svg_begin(out, legend_x + figure_legend_width(entries, n_entries) + 16,
              fmax(f.top + f.height + margin_bottom,
                   f.top + 22.0 * (double)n_entries + 40),
              p->title);
    figure_draw_title(out, &f, p->title);
    figure_draw_axes(out, &f, "number of components K", axis_label);
    for (size_t t = 0; t < p->n_types; t++) {
        char group[64];
        snprintf(group, sizeof group, "class=\"criterion\" data-covariance="
                 "\"%s\"", gmm_covariance_type_name(
                     p->entries[t * p->n_k].covariance_type));
        svg_group_begin(out, group);
        draw_type(out, p, &f, t, xy);
        svg_group_end(out);
    }
    const gmm_select_entry *best = &p->entries[p->best];
    figure_draw_ring(out, figure_x(&f, (double)best->n_components),
                     figure_y(&f, best->score));
    figure_draw_legend(out, legend_x, f.top, entries, n_entries);
    svg_end(out);
    free(xy), free(entries), free(labels);
    return 0;
}
