/*
 * mixture_picture.c — see mixture_picture.h. Everything numerical comes
 * from the library: ellipses from gmm_model_component_axes, marginal
 * densities from the mixture projected on each axis (gmm_model_project,
 * then gmm_score_samples and gmm_predict_proba on a grid). This file only
 * places things.
 */
#include "draw/mixture_picture.h"

#include <math.h>
#include <stdlib.h>

#include "draw/figure.h"
#include "draw/svg.h"

/* Layout in pixels. The plot area is square-ish; the marginal strips sit
 * above it and to its right; the legend right of everything, outside the
 * data, so it never hides points. */
enum {
    margin_left = 84, margin_top = 64, plot_width = 480, plot_height = 440,
    strip = 72, strip_gap = 6, legend_gap = 24,
    margin_bottom = 64, ellipse_points = 120, grid_points = 200
};
static const double point_radius = 2.8, sigmas[2] = {1.0, 2.0};
static const double two_pi = 6.283185307179586;

static figure_frame frame_of(const mixture_picture *p)
{
    double top = margin_top + (p->marginals ? strip + strip_gap : 0);
    return (figure_frame){margin_left, top, plot_width, plot_height,
                          p->x_lo, p->x_hi, p->y_lo, p->y_hi, 0};
}

/* Points of the ellipse of `sigma` standard deviations of component k:
 * mean + sigma (sqrt(l0) cos t v0 + sqrt(l1) sin t v1), in data units. */
static int ellipse(const gmm_model *model, size_t k, double sigma, double *xy,
                   gmm_error *err)
{
    double values[2], vectors[4];
    if (gmm_model_component_axes(model, k, values, vectors, err) != GMM_OK)
        return -1;
    const double *mean = gmm_model_means(model) + 2 * k;
    double a = sigma * sqrt(values[0]), b = sigma * sqrt(values[1]);
    for (size_t i = 0; i < ellipse_points; i++) {
        double t = two_pi * (double)i / ellipse_points;
        for (int c = 0; c < 2; c++)
            xy[2 * i + c] = mean[c] + a * cos(t) * vectors[c] +
                            b * sin(t) * vectors[2 + c];
    }
    return 0;
}

int mixture_picture_fit_range(mixture_picture *p, gmm_error *err)
{
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    double xy[2 * ellipse_points];
    size_t n_comp = gmm_model_n_components(p->model);
    for (size_t i = 0; i < p->n_points; i++)
        for (int c = 0; c < 2; c++) {
            lo[c] = fmin(lo[c], p->points[2 * i + c]);
            hi[c] = fmax(hi[c], p->points[2 * i + c]);
        }
    for (size_t k = 0; k < n_comp; k++) {
        if (ellipse(p->model, k, sigmas[1], xy, err) != 0)
            return -1;
        for (size_t i = 0; i < ellipse_points; i++)
            for (int c = 0; c < 2; c++) {
                lo[c] = fmin(lo[c], xy[2 * i + c]);
                hi[c] = fmax(hi[c], xy[2 * i + c]);
            }
    }
    for (int c = 0; c < 2; c++)
        figure_pad_range(&lo[c], &hi[c], 0.03);
    p->x_lo = lo[0], p->x_hi = hi[0], p->y_lo = lo[1], p->y_hi = hi[1];
    return 0;
}

/* A point's colour: its label's, or the palette mixed by its
 * responsibilities. */
static void point_colour(const mixture_picture *p, size_t i, size_t n_comp,
                         char colour[8])
{
    if (p->labels) {
        snprintf(colour, 8, "%s", figure_colour((size_t)p->labels[i], NULL));
        return;
    }
    double mixed[3] = {0, 0, 0};
    for (size_t k = 0; k < n_comp; k++) {
        int rgb[3];
        figure_colour(k, rgb);
        for (int c = 0; c < 3; c++)
            mixed[c] += p->proba[i * n_comp + k] * rgb[c];
    }
    snprintf(colour, 8, "#%02x%02x%02x", (unsigned)lround(mixed[0]) & 255u,
             (unsigned)lround(mixed[1]) & 255u, (unsigned)lround(mixed[2]) & 255u);
}

static void draw_points(FILE *out, const mixture_picture *p,
                        const figure_frame *f)
{
    size_t n_comp = gmm_model_n_components(p->model);
    svg_group_begin(out, "class=\"points\" fill-opacity=\"0.8\" "
                         "stroke=\"white\" stroke-width=\"0.4\"");
    for (size_t i = 0; i < p->n_points; i++) {
        char colour[8], style[32];
        point_colour(p, i, n_comp, colour);
        snprintf(style, sizeof style, "fill=\"%s\"", colour);
        svg_circle(out, figure_x(f, p->points[2 * i]),
                   figure_y(f, p->points[2 * i + 1]), point_radius, style);
    }
    svg_group_end(out);
}

static int draw_components(FILE *out, const mixture_picture *p,
                           const figure_frame *f, gmm_error *err)
{
    size_t n_comp = gmm_model_n_components(p->model);
    double xy[2 * ellipse_points];
    svg_group_begin(out, "class=\"components\"");
    for (size_t k = 0; k < n_comp; k++) {
        const char *colour = figure_colour(k, NULL);
        for (int s = 0; s < 2; s++) {
            if (ellipse(p->model, k, sigmas[s], xy, err) != 0)
                return -1;
            for (size_t i = 0; i < ellipse_points; i++) {
                xy[2 * i] = figure_x(f, xy[2 * i]);
                xy[2 * i + 1] = figure_y(f, xy[2 * i + 1]);
            }
            char style[320], line[160];
            figure_line_style(line, sizeof line, colour,
                              s ? FIGURE_MARKER_DASHED : FIGURE_MARKER_LINE,
                              s ? 1.5 : 2.2);
            snprintf(style, sizeof style, "class=\"ellipse\" "
                     "data-component=\"%zu\" data-sigma=\"%.0f\" %s", k + 1,
                     sigmas[s], line);
            svg_polyline(out, xy, ellipse_points, 1, style);
        }
    }
    /* Means last, so that no ellipse or point covers them. */
    for (size_t k = 0; k < n_comp; k++) {
        const double *mean = gmm_model_means(p->model) + 2 * k;
        char style[120];
        snprintf(style, sizeof style, "class=\"mean\" data-component=\"%zu\" "
                 "fill=\"%s\" stroke=\"black\" stroke-width=\"1.5\"", k + 1,
                 figure_colour(k, NULL));
        svg_circle(out, figure_x(f, mean[0]), figure_y(f, mean[1]), 5.5, style);
    }
    svg_group_end(out);
    return 0;
}

/* Marginal densities along one axis of the plane (0: x, 1: y) on a grid:
 * total[g] and component[g * K + k] = weight_k N_k. */
static int marginal(const gmm_model *model, int axis, const double *grid,
                    double *total, double *component, gmm_error *err)
{
    double basis[2] = {axis == 0, axis == 1};
    gmm_model *line = gmm_model_project(model, NULL, basis, 1, err);
    if (!line)
        return -1;
    int failed =
        gmm_score_samples(line, grid, grid_points, 1, total, err) != GMM_OK ||
        gmm_predict_proba(line, grid, grid_points, 1, component, err) != GMM_OK;
    gmm_model_free(line);
    size_t n_comp = gmm_model_n_components(model);
    for (size_t g = 0; !failed && g < grid_points; g++) {
        total[g] = exp(total[g]);
        for (size_t k = 0; k < n_comp; k++)
            component[g * n_comp + k] *= total[g];
    }
    return failed ? -1 : 0;
}

/* One strip: along x above the plot (axis 0) or along y right of it. */
static int draw_marginal(FILE *out, const mixture_picture *p,
                         const figure_frame *f, int axis, gmm_error *err)
{
    size_t n_comp = gmm_model_n_components(p->model);
    double *grid = malloc(grid_points * (4 + n_comp) * sizeof *grid);
    if (!grid)
        return figure_out_of_memory(err);
    double *total = grid + grid_points, *component = total + grid_points;
    double *xy = component + grid_points * n_comp;
    double lo = axis ? f->y_lo : f->x_lo, hi = axis ? f->y_hi : f->x_hi;
    for (size_t g = 0; g < grid_points; g++)
        grid[g] = lo + (hi - lo) * (double)g / (grid_points - 1);
    if (marginal(p->model, axis, grid, total, component, err) != 0) {
        free(grid);
        return -1;
    }
    double peak = 0.0;
    for (size_t g = 0; g < grid_points; g++)
        peak = fmax(peak, total[g]);
    /* Pixel of a density value across the strip. */
    double base = axis ? f->left + f->width + strip_gap : f->top - strip_gap;
    double scale = (strip - 6) / peak * (axis ? 1.0 : -1.0);
    svg_group_begin(out, axis ? "class=\"marginal-y\"" : "class=\"marginal-x\"");
    for (size_t k = 0; k <= n_comp; k++) {
        for (size_t g = 0; g < grid_points; g++) {
            double density = k < n_comp ? component[g * n_comp + k] : total[g];
            double along = axis ? figure_y(f, grid[g]) : figure_x(f, grid[g]);
            double across = base + scale * density;
            xy[2 * g] = axis ? across : along;
            xy[2 * g + 1] = axis ? along : across;
        }
        char style[160];
        figure_line_style(style, sizeof style,
                          k < n_comp ? figure_colour(k, NULL) : "#333333",
                          FIGURE_MARKER_LINE, k < n_comp ? 1.4 : 2.0);
        svg_polyline(out, xy, grid_points, 0, style);
    }
    svg_group_end(out);
    free(grid);
    return 0;
}

/* The legend's entries: one per component with its weight, then what the
 * markers mean. labels holds K strings of 48 characters. */
static void legend_entries(const mixture_picture *p, figure_legend_entry *entries,
                           char (*labels)[48])
{
    size_t n_comp = gmm_model_n_components(p->model);
    const double *weights = gmm_model_weights(p->model);
    for (size_t k = 0; k < n_comp; k++) {
        snprintf(labels[k], sizeof labels[k], "component %zu, w = %.3f", k + 1,
                 weights[k]);
        entries[k] = (figure_legend_entry){figure_colour(k, NULL),
                                           FIGURE_MARKER_POINT, labels[k]};
    }
    entries[n_comp] = (figure_legend_entry){"#888888", FIGURE_MARKER_MEAN,
                                            "mean"};
    entries[n_comp + 1] = (figure_legend_entry){"#555555", FIGURE_MARKER_LINE,
                                                "1\xcf\x83 ellipse"};
    entries[n_comp + 2] = (figure_legend_entry){"#555555", FIGURE_MARKER_DASHED,
                                                "2\xcf\x83 ellipse"};
}

int mixture_picture_write(FILE *out, const void *content, gmm_error *err)
{
    const mixture_picture *p = content;
    figure_frame f = frame_of(p);
    size_t n_comp = gmm_model_n_components(p->model), n_entries = n_comp + 3;
    figure_legend_entry *entries = malloc(n_entries * sizeof *entries);
    char (*labels)[48] = malloc(n_comp * sizeof *labels);
    if (!entries || !labels) {
        free(entries), free(labels);
        return figure_out_of_memory(err);
    }
    legend_entries(p, entries, labels);
    double legend_x = f.left + f.width + (p->marginals ? strip + strip_gap : 0) +
                      legend_gap;
    double legend_bottom = f.top + 22.0 * (double)n_entries + 12;
    double width = legend_x + figure_legend_width(entries, n_entries) + 16;
    double height = fmax(f.top + f.height + margin_bottom, legend_bottom + 16);

    svg_begin(out, width, height, p->title);
    figure_draw_title(out, &f, p->title);
    if (p->subtitle)
        svg_text(out, f.left + f.width / 2, 48, 13, SVG_MIDDLE, 0, NULL,
                 "#555555", p->subtitle);
    figure_draw_axes(out, &f, p->x_label, p->y_label);
    /* A nested viewport clips to the plot area without ids, so several
     * pictures can share one HTML page. */
    fprintf(out, "<svg x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
            "viewBox=\"%.2f %.2f %.2f %.2f\" overflow=\"hidden\">\n",
            f.left, f.top, f.width, f.height, f.left, f.top, f.width, f.height);
    draw_points(out, p, &f);
    int failed = draw_components(out, p, &f, err);
    svg_end(out);
    if (!failed && p->marginals)
        failed = draw_marginal(out, p, &f, 0, err) ||
                 draw_marginal(out, p, &f, 1, err);
    figure_draw_legend(out, legend_x, f.top, entries, n_entries);
    svg_end(out);
    free(entries), free(labels);
    return failed ? -1 : 0;
}
