/*
 * svg.h — a small writer of well-formed SVG 1.1: the drawing layer under
 * every picture of the gmm command (plot, select --plot, fit --trace).
 *
 * Why our own: SVG is text, so a hundred lines give well-formed files that
 * any browser or rsvg-convert renders, with no library to install, and
 * tests can read them back with an XML parser. Coordinates are pixels,
 * y downwards; numbers are written with two decimals (1/100 pixel).
 * Text is XML-escaped here, so callers may pass column names as they are:
 * what XML cannot hold (control characters, bytes that are not UTF-8)
 * becomes U+FFFD, so the file stays well formed.
 * Documents start at <svg> (UTF-8, no XML declaration, which XML makes
 * optional) so that an HTML page can inline them as they are.
 */
#ifndef GMM_CLI_DRAW_SVG_H
#define GMM_CLI_DRAW_SVG_H

#include <stdio.h>

/* How text is anchored at its point. */
typedef enum svg_anchor { SVG_START, SVG_MIDDLE, SVG_END } svg_anchor;

/* The document; `title` becomes its <title> (what a browser tab shows). */
void svg_begin(FILE *out, double width, double height, const char *title);
void svg_end(FILE *out);

/* <g> with attributes, e.g. "class=\"points\"" (may be ""). */
void svg_group_begin(FILE *out, const char *attributes);
void svg_group_end(FILE *out);

/* Shapes. `style` is a string of extra attributes written as they are
 * (stroke, fill, class, ...), so the caller controls the look. */
void svg_line(FILE *out, double x1, double y1, double x2, double y2,
              const char *style);
void svg_rect(FILE *out, double x, double y, double width, double height,
              const char *style);
void svg_circle(FILE *out, double cx, double cy, double r, const char *style);
/* A polyline through n points (xy holds x0 y0 x1 y1 ...); closed makes it
 * a polygon. */
void svg_polyline(FILE *out, const double *xy, size_t n, int closed,
                  const char *style);

/* Text at (x, y) of `size` pixels; rotate in degrees about (x, y), 0 for
 * none; weight "bold" or NULL. */
void svg_text(FILE *out, double x, double y, double size, svg_anchor anchor,
              double rotate, const char *weight, const char *fill,
              const char *text);

/* Text escaped for XML (&, <, >, ", '; U+FFFD for what XML cannot hold),
 * for callers building attributes. */
void svg_escaped(FILE *out, const char *text);

#endif /* GMM_CLI_DRAW_SVG_H */
