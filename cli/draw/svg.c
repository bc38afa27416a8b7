/*
 * svg.c — see svg.h. Every element is written whole by one call, so a
 * document is well formed as long as groups are balanced, which the
 * callers' structure (begin/end in the same function) makes plain.
 */
#include "draw/svg.h"

static const char font_family[] =
    "DejaVu Sans, Helvetica, Arial, sans-serif";

/* U+FFFD, the replacement character, in UTF-8. */
static const char replacement[] = "\xef\xbf\xbd";

/* The length of the well-formed UTF-8 sequence at text (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF) of a character
 * XML allows, or 0: a control character other than tab and line ends,
 * U+FFFE, U+FFFF, or bytes that are not UTF-8. */
static size_t xml_char_length(const unsigned char *text)
{
    unsigned c = text[0];
    if (c < 0x80)
        return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
    size_t length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    if (length == 0 || c > 0xf4)
        return 0;
    unsigned long code = c & (0x7f >> length);
    for (size_t i = 1; i < length; i++) {
        if ((text[i] & 0xc0) != 0x80)
            return 0;
        code = code << 6 | (text[i] & 0x3f);
    }
    static const unsigned long smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < smallest[length] || code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff) || code == 0xfffe || code == 0xffff)
        return 0;
    return length;
}

void svg_escaped(FILE *out, const char *text)
{
    const unsigned char *c = (const unsigned char *)text;
    while (*c) {
        size_t length = xml_char_length(c);
        if (length == 0) {
            /* Column names and titles come from anywhere: a byte XML
             * cannot hold would make the file unreadable. */
            fputs(replacement, out);
            c++;
            continue;
        }
        switch (*c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default: fwrite(c, 1, length, out);
        }
        c += length;
    }
}

void svg_begin(FILE *out, double width, double height, const char *title)
{
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
            "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
            "font-family=\"%s\">\n<title>",
            width, height, width, height, font_family);
    svg_escaped(out, title);
    fprintf(out, "</title>\n");
    svg_rect(out, 0, 0, width, height, "fill=\"white\"");
}

void svg_end(FILE *out) { fputs("</svg>\n", out); }

void svg_group_begin(FILE *out, const char *attributes)
{
    fprintf(out, "<g %s>\n", attributes);
}

void svg_group_end(FILE *out) { fputs("</g>\n", out); }

void svg_line(FILE *out, double x1, double y1, double x2, double y2,
              const char *style)
{
    fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" %s/>\n",
            x1, y1, x2, y2, style);
}

void svg_rect(FILE *out, double x, double y, double width, double height,
              const char *style)
{
    fprintf(out, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
            "%s/>\n", x, y, width, height, style);
}

void svg_circle(FILE *out, double cx, double cy, double r, const char *style)
{
    fprintf(out, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" %s/>\n", cx, cy,
            r, style);
}

void svg_polyline(FILE *out, const double *xy, size_t n, int closed,
                  const char *style)
{
    fprintf(out, "<%s points=\"", closed ? "polygon" : "polyline");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%.2f,%.2f", i ? " " : "", xy[2 * i], xy[2 * i + 1]);
    fprintf(out, "\" %s/>\n", style);
}

void svg_text(FILE *out, double x, double y, double size, svg_anchor anchor,
              double rotate, const char *weight, const char *fill,
              const char *text)
{
    static const char *const anchors[] = {"start", "middle", "end"};
    fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" "
            "text-anchor=\"%s\" fill=\"%s\"", x, y, size, anchors[anchor],
            fill);
    if (rotate != 0.0)
        fprintf(out, " transform=\"rotate(%.1f %.2f %.2f)\"", rotate, x, y);
    if (weight)
        fprintf(out, " font-weight=\"%s\"", weight);
    fputc('>', out);
    svg_escaped(out, text);
    fputs("</text>\n", out);
}
