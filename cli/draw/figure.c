/*
 * figure.c — see figure.h. Tick steps are 1, 2 or 5 times a power of ten,
 * chosen so that tick labels sit about 90 pixels apart along x and 55
 * along y: far enough that labels of up to eight characters never touch.
 */
#include "draw/figure.h"

#include <math.h>
#include <stdio.h>

#include "draw/svg.h"

static const double x_tick_spacing = 90.0, y_tick_spacing = 55.0;
static const double tick_font = 12.0, label_font = 14.0, title_font = 16.0;
static const char axis_colour[] = "#333333", grid_colour[] = "#e6e6e6";

double figure_x(const figure_frame *f, double x)
{
    return f->left + (x - f->x_lo) / (f->x_hi - f->x_lo) * f->width;
}

double figure_y(const figure_frame *f, double y)
{
    return f->top + (f->y_hi - y) / (f->y_hi - f->y_lo) * f->height;
}

void figure_pad_range(double *lo, double *hi, double margin)
{
    double span = *hi - *lo;
    if (!(span > 0.0))
        span = fabs(*lo) > 0.0 ? fabs(*lo) : 1.0;
    *lo -= margin * span;
    *hi += margin * span;
}

/* The 1-2-5 step nearest above span / target. */
static double tick_step(double span, double target)
{
    double raw = span / (target > 1.0 ? target : 1.0);
    double power = pow(10.0, floor(log10(raw)));
    double steps[] = {1.0, 2.0, 5.0, 10.0};
    for (size_t i = 0; i < 4; i++)
        if (steps[i] * power >= raw)
            return steps[i] * power;
    return 10.0 * power;
}

/* A tick's label, with as few digits as tell the ticks apart. Fixed
 * notation while labels stay short (values below 1e6, steps of 1e-4 and
 * more: the common case); otherwise %g with the significant digits the
 * step needs, which takes an exponent (2e+50, 1.5e-150) where fixed
 * notation would print 47 digits or 150 zeros. */
static void tick_label(char *label, size_t size, double value, double step,
                       double largest)
{
    int short_enough = largest < 1e6 && step >= 1e-4;
    if (short_enough || !(largest > 0.0) || !isfinite(largest)) {
        int decimals = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
        snprintf(label, size, "%.*f", decimals, value);
        return;
    }
    int digits = (int)floor(log10(largest)) - (int)floor(log10(step)) + 1;
    snprintf(label, size, "%.*g", digits < 1 ? 1 : digits > 17 ? 17 : digits,
             value);
}

/* Ticks of one axis: calls draw(position in data units, label) for each.
 * At most a few dozen, and only while they advance: where the span is
 * below the values' own resolution (1e20 + 1), one tick is all there is. */
static void for_each_tick(double lo, double hi, double pixels, double spacing,
                          int integers,
                          void (*draw)(FILE *, const figure_frame *, double,
                                       const char *),
                          FILE *out, const figure_frame *frame)
{
    enum { MOST_TICKS = 64 };
    double step = tick_step(hi - lo, pixels / spacing);
    if (integers && step < 1.0)
        step = 1.0;
    if (!isfinite(step) || !(step > 0.0))
        return;
    double first = ceil(lo / step), largest = fmax(fabs(lo), fabs(hi));
    double previous = -INFINITY;
    for (int j = 0; j < MOST_TICKS; j++) {
        double i = first + j, value = i * step;
        if (value > hi + 1e-9 * step || !(value > previous))
            break;
        previous = value;
        char label[48];
        /* i * step of 0 may come out as -0, which would print "-0". */
        tick_label(label, sizeof label, i == 0 ? 0.0 : value, step, largest);
        draw(out, frame, value, label);
    }
}

static void draw_x_tick(FILE *out, const figure_frame *f, double value,
                        const char *label)
{
    double x = figure_x(f, value), bottom = f->top + f->height;
    char style[64];
    snprintf(style, sizeof style, "stroke=\"%s\"", grid_colour);
    svg_line(out, x, f->top, x, bottom, style);
    snprintf(style, sizeof style, "stroke=\"%s\"", axis_colour);
    svg_line(out, x, bottom, x, bottom + 5, style);
    svg_text(out, x, bottom + 19, tick_font, SVG_MIDDLE, 0, NULL, axis_colour,
             label);
}

static void draw_y_tick(FILE *out, const figure_frame *f, double value,
                        const char *label)
{
    double y = figure_y(f, value);
    char style[64];
    snprintf(style, sizeof style, "stroke=\"%s\"", grid_colour);
    svg_line(out, f->left, y, f->left + f->width, y, style);
    snprintf(style, sizeof style, "stroke=\"%s\"", axis_colour);
    svg_line(out, f->left - 5, y, f->left, y, style);
    svg_text(out, f->left - 8, y + 4, tick_font, SVG_END, 0, NULL,
             axis_colour, label);
}

void figure_draw_axes(FILE *out, const figure_frame *f, const char *x_label,
                      const char *y_label)
{
    svg_group_begin(out, "class=\"axes\"");
    for_each_tick(f->x_lo, f->x_hi, f->width, x_tick_spacing, f->x_integers,
                  draw_x_tick, out, f);
    for_each_tick(f->y_lo, f->y_hi, f->height, y_tick_spacing, 0, draw_y_tick,
                  out, f);
    char style[64];
    snprintf(style, sizeof style, "fill=\"none\" stroke=\"%s\"", axis_colour);
    svg_rect(out, f->left, f->top, f->width, f->height, style);
    svg_text(out, f->left + f->width / 2, f->top + f->height + 44, label_font,
             SVG_MIDDLE, 0, NULL, axis_colour, x_label);
    /* Left of the widest tick label (eight characters of 12 px). */
    double x = f->left - 62;
    svg_text(out, x, f->top + f->height / 2, label_font, SVG_MIDDLE, -90,
             NULL, axis_colour, y_label);
    svg_group_end(out);
}

void figure_draw_title(FILE *out, const figure_frame *f, const char *title)
{
    svg_text(out, f->left + f->width / 2, 28, title_font, SVG_MIDDLE, 0,
             "bold", "#222222", title);
}

const char *figure_colour(size_t k, int rgb[3])
{
    static const char *const palette[] = {
        "#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1",
        "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"};
    const char *colour = palette[k % (sizeof palette / sizeof palette[0])];
    if (rgb)
        sscanf(colour, "#%2x%2x%2x", (unsigned *)&rgb[0], (unsigned *)&rgb[1],
               (unsigned *)&rgb[2]);
    return colour;
}

void figure_line_style(char *style, size_t size, const char *colour,
                       figure_marker marker, double width)
{
    snprintf(style, size, "fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s",
             colour, width,
             marker == FIGURE_MARKER_DASHED ? " stroke-dasharray=\"6 4\"" : "");
}

void figure_draw_ring(FILE *out, double x, double y)
{
    svg_circle(out, x, y, 9, "class=\"ring\" fill=\"none\" stroke=\"black\" "
               "stroke-width=\"2\"");
}

static const double legend_row = 22.0;

double figure_legend_width(const figure_legend_entry *entries, size_t n)
{
    /* 7.2 px per character bounds DejaVu Sans at 12 px; UTF-8
     * continuation bytes take no room of their own. */
    size_t longest = 0;
    for (size_t i = 0; i < n; i++) {
        size_t characters = 0;
        for (const char *c = entries[i].label; *c; c++)
            characters += ((unsigned char)*c & 0xC0) != 0x80;
        if (characters > longest)
            longest = characters;
    }
    return 40.0 + 7.2 * (double)longest + 10.0;
}

static void draw_legend_marker(FILE *out, double x, double y,
                               const figure_legend_entry *e)
{
    char style[160];
    switch (e->marker) {
    case FIGURE_MARKER_POINT:
        snprintf(style, sizeof style, "fill=\"%s\"", e->colour);
        svg_circle(out, x + 12, y, 4, style);
        break;
    case FIGURE_MARKER_MEAN:
        snprintf(style, sizeof style, "fill=\"%s\" stroke=\"black\" "
                 "stroke-width=\"1.5\"", e->colour);
        svg_circle(out, x + 12, y, 5, style);
        break;
    case FIGURE_MARKER_RING:
        figure_draw_ring(out, x + 12, y);
        break;
    case FIGURE_MARKER_LINE:
    case FIGURE_MARKER_DASHED:
        figure_line_style(style, sizeof style, e->colour, e->marker, 2.0);
        svg_line(out, x, y, x + 24, y, style);
        break;
    }
}

void figure_draw_legend(FILE *out, double x, double y,
                        const figure_legend_entry *entries, size_t n)
{
    svg_group_begin(out, "class=\"legend\"");
    svg_rect(out, x, y, figure_legend_width(entries, n),
             legend_row * (double)n + 12,
             "fill=\"white\" fill-opacity=\"0.9\" stroke=\"#cccccc\"");
    for (size_t i = 0; i < n; i++) {
        double row_y = y + 6 + legend_row * ((double)i + 0.5);
        draw_legend_marker(out, x + 8, row_y, &entries[i]);
        svg_text(out, x + 40, row_y + 4, tick_font, SVG_START, 0, NULL,
                 axis_colour, entries[i].label);
    }
    svg_group_end(out);
}

int figure_out_of_memory(gmm_error *err)
{
    err->status = GMM_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "out of memory drawing");
    return -1;
}
