/*
 * trace_page.c — fit_trace_write: the pictures a trace recorded, as SVG
 * files and one HTML page that steps through them (buttons, a slider, the
 * arrow keys, and play). The page inlines every picture and its script:
 * it works offline, from any folder, without the SVG files beside it.
 *
 * Every picture shares the axes of the fitted model's picture, so that
 * stepping through them shows the components moving, not the axes; a
 * poor start that reaches outside is clipped. Points are coloured by
 * their responsibilities, mixed, as in the classic pictures of EM.
 */
#include "draw/trace_page.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "draw/means_picture.h"
#include "draw/mixture_picture.h"
#include "draw/plane.h"
#include "draw/svg.h"

typedef struct trace_page {
    mixture_picture *pictures;
    int *n_iter;             /* per picture: 0 for the start            */
    size_t n_pictures;       /* 0 for 1-D data: no plane to draw in     */
    char (*titles)[96];
    char (*subtitles)[96];
    const char *data_name;
    means_picture means;     /* the means of every iteration            */
    char means_label[200];
} trace_page;

/* The run the fit kept: the first with the highest final lower bound, the
 * library's own rule (gmm_fit). */
static int kept_init(const fit_trace *trace)
{
    int kept = 0;
    for (int i = 1; i < trace->n_init; i++)
        if (trace->final_bound[i] > trace->final_bound[kept])
            kept = i;
    return kept;
}

/* The kept run's initial parameters: the same fit with max_iter 0 and as
 * many inits as it takes to reach that run (max_iter 0 keeps the last). */
static gmm_model *start_model(const gmm_options *options, int kept,
                              const gmm_data *data,
                              const double *sample_weight, int *code)
{
    gmm_options start = *options;
    start.max_iter = 0;
    start.n_init = kept + 1;
    start.progress = NULL;
    gmm_error err;
    gmm_model *model = gmm_model_new(&start, &err);
    if (model && gmm_fit(model, data->values, data->n_rows, data->n_cols,
                         sample_weight, &err) != GMM_OK) {
        gmm_model_free(model);
        model = NULL;
    }
    *code = model ? CLI_EXIT_OK : cli_fail("fit", &err);
    return model;
}

static const char page_style[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;margin:24px;"
    "color:#222}\nh1{font-size:20px;margin:0 0 12px}\n"
    "#controls{display:flex;gap:8px;align-items:center;margin-bottom:8px}\n"
    "button{font-size:14px;padding:4px 10px}\n#slider{width:320px}\n"
    "figure{margin:0}\n.frame{display:none}\n.frame.shown{display:block}\n";

static const char page_script[] =
    "const frames=[...document.querySelectorAll('.frame')];\n"
    "const slider=document.getElementById('slider');\n"
    "const caption=document.getElementById('caption');\n"
    "const play=document.getElementById('play');\nlet current=0,timer=null;\n"
    "function show(i){current=(i+frames.length)%frames.length;\n"
    " frames.forEach((f,j)=>f.classList.toggle('shown',j===current));\n"
    " slider.value=current;\n"
    " caption.textContent=(current+1)+' / '+frames.length+': '+"
    "frames[current].dataset.caption;}\n"
    "function stop(){clearInterval(timer);timer=null;"
    "play.textContent='\\u25b6 play';}\n"
    "document.getElementById('prev').onclick=()=>{stop();show(current-1);};\n"
    "document.getElementById('next').onclick=()=>{stop();show(current+1);};\n"
    "slider.oninput=()=>{stop();show(+slider.value);};\n"
    "play.onclick=()=>{if(timer){stop();return;}\n"
    " play.textContent='\\u275a\\u275a pause';\n"
    " timer=setInterval(()=>{if(current===frames.length-1)stop();"
    "else show(current+1);},900);};\n"
    "document.onkeydown=e=>{if(e.key==='ArrowLeft')show(current-1);\n"
    " if(e.key==='ArrowRight')show(current+1);};\nshow(0);\n";

/* The stepping pictures, their controls and script. */
static int write_frames(FILE *out, const trace_page *page, gmm_error *err)
{
    fprintf(out, "<div id=\"controls\">\n"
            "<button id=\"prev\">&#9664; previous</button>\n"
            "<button id=\"play\">&#9654; play</button>\n"
            "<button id=\"next\">next &#9654;</button>\n"
            "<input id=\"slider\" type=\"range\" min=\"0\" max=\"%zu\" "
            "value=\"0\">\n<span id=\"caption\"></span>\n</div>\n",
            page->n_pictures - 1);
    for (size_t i = 0; i < page->n_pictures; i++) {
        fprintf(out, "<figure class=\"frame%s\" data-caption=\"",
                i == 0 ? " shown" : "");
        svg_escaped(out, page->titles[i]);
        fprintf(out, "\">\n");
        if (mixture_picture_write(out, &page->pictures[i], err) != 0)
            return -1;
        fprintf(out, "</figure>\n");
    }
    fprintf(out, "<script>\n%s</script>\n", page_script);
    return 0;
}

static int write_page(FILE *out, const void *content, gmm_error *err)
{
    const trace_page *page = content;
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
            "<meta charset=\"utf-8\">\n<title>EM on ");
    svg_escaped(out, page->data_name);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
            "<h1>EM on ", page_style);
    svg_escaped(out, page->data_name);
    fprintf(out, ", step by step</h1>\n");
    if (page->n_pictures > 0 && write_frames(out, page, err) != 0)
        return -1;
    fprintf(out, "<h2>The means, iteration by iteration</h2>\n<figure>\n");
    if (means_picture_write(out, &page->means, err) != 0)
        return -1;
    fprintf(out, "</figure>\n</body>\n</html>\n");
    return 0;
}

/* The models pictured, in order: the start, the kept run's iterations
 * shown, and its last iteration if it was not among them. Borrowed from
 * the trace, except the start. */
static size_t pictured(const fit_trace *trace, int kept, gmm_model *start,
                       const gmm_model **models, int *n_iter)
{
    size_t n = 0;
    models[n] = start, n_iter[n++] = 0;
    for (size_t i = 0; i < trace->n_frames; i++)
        if (trace->frames[i].init == kept)
            models[n] = trace->frames[i].model,
            n_iter[n++] = trace->frames[i].n_iter;
    if (trace->latest[kept].model)
        models[n] = trace->latest[kept].model,
        n_iter[n++] = trace->latest[kept].n_iter;
    return n;
}

/* One picture: the model in the plane, responsibilities, captions. */
static int prepare_picture(const gmm_model *model, int n_iter,
                           const gmm_model *fitted, const plane *plane,
                           const gmm_data *data, const double *points,
                           trace_page *page, size_t i)
{
    mixture_picture *picture = &page->pictures[i];
    int code;
    gmm_model *projected = plane_project_model("fit", plane, model, &code);
    if (!projected)
        return code;
    size_t n_comp = gmm_model_n_components(model);
    double *proba = cli_alloc_results("fit", data->n_rows, n_comp,
                                      sizeof *proba);
    double score = NAN;
    gmm_error err;
    if (!proba) {
        gmm_model_free(projected);
        return CLI_EXIT_NOMEM;
    }
    if (gmm_predict_proba(model, data->values, data->n_rows, data->n_cols,
                          proba, &err) != GMM_OK ||
        gmm_score(model, data->values, data->n_rows, data->n_cols, &score,
                  &err) != GMM_OK) {
        gmm_model_free(projected);
        free(proba);
        return cli_fail("fit", &err);
    }
    if (n_iter == 0)
        snprintf(page->titles[i], sizeof page->titles[i], "start");
    else
        snprintf(page->titles[i], sizeof page->titles[i], "EM iteration %d%s",
                 n_iter,
                 n_iter == gmm_model_n_iter(fitted) && gmm_model_converged(fitted)
                     ? " (converged)" : "");
    snprintf(page->subtitles[i], sizeof page->subtitles[i],
             "mean log-likelihood %.4f", score);
    *picture = (mixture_picture){
        .model = projected, .points = points, .n_points = data->n_rows,
        .proba = proba, .title = page->titles[i],
        .subtitle = page->subtitles[i], .x_label = plane->x_label,
        .y_label = plane->y_label};
    return CLI_EXIT_OK;
}

/* A picture's file name, of its iteration (0: the start). */
#define PICTURE_NAME "iter-%03d.svg"

/* Each picture as dir/iter-NNN.svg, then dir/index.html. */
static int write_files(cli_outputs *outputs, const char *dir,
                       const trace_page *page)
{
    size_t length = strlen(dir) + 32;
    char *path = malloc(length);
    if (!path)
        return cli_error("fit", CLI_EXIT_NOMEM, "out of memory");
    int code = CLI_EXIT_OK;
    for (size_t i = 0; code == CLI_EXIT_OK && i < page->n_pictures; i++) {
        snprintf(path, length, "%s/" PICTURE_NAME, dir, page->n_iter[i]);
        code = cli_outputs_write(outputs, path, mixture_picture_write,
                                 &page->pictures[i]);
    }
    snprintf(path, length, "%s/means.svg", dir);
    if (code == CLI_EXIT_OK)
        code = cli_outputs_write(outputs, path, means_picture_write,
                                 &page->means);
    snprintf(path, length, "%s/index.html", dir);
    if (code == CLI_EXIT_OK)
        code = cli_outputs_write(outputs, path, write_page, page);
    free(path);
    return code;
}

/* Whether name is a picture of ours that this trace did not draw. */
static int stale_picture(const char *name, const fit_trace *trace)
{
    int n_iter;
    char again[32];
    if (sscanf(name, "iter-%d.svg", &n_iter) != 1 || n_iter < 0)
        return 0;
    /* Exactly the name we would write, nothing a person named. */
    snprintf(again, sizeof again, PICTURE_NAME, n_iter);
    if (strcmp(again, name) != 0)
        return 0;
    for (size_t i = 0; i < trace->n_pictured; i++)
        if (trace->pictured[i] == n_iter)
            return 0;
    return 1;
}

void fit_trace_prune(const char *dir, const fit_trace *trace)
{
    DIR *folder = opendir(dir);
    if (!folder)
        return;
    size_t length = strlen(dir) + 32;
    char *path = malloc(length);
    for (struct dirent *entry; path && (entry = readdir(folder));)
        if (strlen(entry->d_name) < 24 && stale_picture(entry->d_name, trace)) {
            snprintf(path, length, "%s/%s", dir, entry->d_name);
            unlink(path);
        }
    free(path);
    closedir(folder);
}

static void free_page(trace_page *page)
{
    for (size_t i = 0; i < page->n_pictures; i++) {
        gmm_model_free((gmm_model *)page->pictures[i].model);
        free((double *)page->pictures[i].proba);
    }
    free(page->pictures), free(page->n_iter);
    free(page->titles), free(page->subtitles);
    free((double *)page->means.means);
}

/* The kept run's means, the start's first, for means.svg; its first
 * coordinate named as the data name their first column. */
static int prepare_means(const fit_trace *trace, int kept,
                         const gmm_model *start, const gmm_data *data,
                         trace_page *page)
{
    const trace_path *path = &trace->paths[kept];
    size_t size = trace->n_components * trace->n_features;
    double *means = malloc((path->n_iter + 1) * size * sizeof *means);
    if (!means)
        return cli_error("fit", CLI_EXIT_NOMEM, "out of memory for --trace");
    memcpy(means, gmm_model_means(start), size * sizeof *means);
    if (path->n_iter > 0)
        memcpy(means + size, path->means, path->n_iter * size * sizeof *means);
    if (data->column_names)
        snprintf(page->means_label, sizeof page->means_label, "mean of %s",
                 data->column_names[0]);
    else
        snprintf(page->means_label, sizeof page->means_label,
                 data->n_cols > 1 ? "mean of column 1" : "mean");
    page->means = (means_picture){
        .means = means, .n_steps = path->n_iter + 1,
        .n_components = trace->n_components,
        .n_features = trace->n_features, .y_label = page->means_label,
        .title = "The means, iteration by iteration"};
    return CLI_EXIT_OK;
}

/* The range that shows the fitted model's picture whole, which every
 * picture of the page shares. */
static int fitted_range(const gmm_model *fitted, const plane *plane,
                        const double *points, size_t n_points,
                        mixture_picture *range)
{
    int code;
    gmm_model *projected = plane_project_model("fit", plane, fitted, &code);
    if (!projected)
        return code;
    *range = (mixture_picture){.model = projected, .points = points,
                               .n_points = n_points};
    gmm_error err;
    if (mixture_picture_fit_range(range, &err) != 0)
        code = cli_fail("fit", &err);
    gmm_model_free(projected);
    range->model = NULL;
    return code;
}

/* The page's pictures share the fitted model's axes. */
static int build_and_write(cli_outputs *outputs, const char *dir,
                           const fit_trace *trace, gmm_model *start,
                           const gmm_model *fitted, const gmm_data *data,
                           trace_page *page)
{
    int kept = kept_init(trace);
    int code = prepare_means(trace, kept, start, data, page);
    /* 1-D data have no plane to draw the mixture in: the means alone. */
    if (code != CLI_EXIT_OK || data->n_cols < 2)
        return code == CLI_EXIT_OK ? write_files(outputs, dir, page) : code;
    plane plane;
    code = plane_choose("fit", data, NULL, NULL, data->n_cols > 2, &plane);
    double *points = NULL;
    const gmm_model **models = NULL;
    size_t most = trace->n_frames + 2;
    if (code == CLI_EXIT_OK) {
        points = plane_project_rows("fit", &plane, data);
        models = malloc(most * sizeof *models);
        page->pictures = calloc(most, sizeof *page->pictures);
        page->n_iter = malloc(most * sizeof *page->n_iter);
        page->titles = malloc(most * sizeof *page->titles);
        page->subtitles = malloc(most * sizeof *page->subtitles);
        if (!points || !models || !page->pictures || !page->n_iter ||
            !page->titles || !page->subtitles)
            code = cli_error("fit", CLI_EXIT_NOMEM, "out of memory for --trace");
    }
    size_t n = code == CLI_EXIT_OK
                   ? pictured(trace, kept, start, models, page->n_iter) : 0;
    mixture_picture range = {0};
    if (code == CLI_EXIT_OK)
        code = fitted_range(fitted, &plane, points, data->n_rows, &range);
    for (size_t i = 0; code == CLI_EXIT_OK && i < n; i++) {
        code = prepare_picture(models[i], page->n_iter[i], fitted, &plane,
                               data, points, page, i);
        page->n_pictures = i + 1;
        page->pictures[i].x_lo = range.x_lo, page->pictures[i].x_hi = range.x_hi;
        page->pictures[i].y_lo = range.y_lo, page->pictures[i].y_hi = range.y_hi;
    }
    if (code == CLI_EXIT_OK)
        code = write_files(outputs, dir, page);
    free(points), free(models);
    plane_free(&plane);
    return code;
}

/* The iterations pictured, for fit_trace_prune. */
static int keep_pictured(fit_trace *trace, const trace_page *page)
{
    trace->pictured = malloc((page->n_pictures + 1) * sizeof *trace->pictured);
    if (!trace->pictured)
        return cli_error("fit", CLI_EXIT_NOMEM, "out of memory for --trace");
    if (page->n_pictures > 0) /* page->n_iter is NULL without pictures */
        memcpy(trace->pictured, page->n_iter,
               page->n_pictures * sizeof *trace->pictured);
    trace->n_pictured = page->n_pictures;
    return CLI_EXIT_OK;
}

int fit_trace_write(cli_outputs *outputs, const char *dir, fit_trace *trace,
                    const gmm_model *fitted, const gmm_options *options,
                    const char *data_path, const gmm_data *data,
                    const double *sample_weight)
{
    if (trace->out_of_memory)
        return cli_error("fit", CLI_EXIT_NOMEM, "out of memory for --trace");
    int code;
    gmm_model *start = start_model(options, kept_init(trace), data,
                                   sample_weight, &code);
    if (!start)
        return code;
    const char *slash = strrchr(data_path, '/');
    trace_page page = {.data_name = slash ? slash + 1 : data_path};
    code = build_and_write(outputs, dir, trace, start, fitted, data, &page);
    if (code == CLI_EXIT_OK)
        code = keep_pictured(trace, &page);
    free_page(&page);
    gmm_model_free(start);
    return code;
}
