/*
 * bench_common.h — what every compiled benchmark program shares (ours,
 * Armadillo's, VLFeat's): loading the case's .npy data and initial
 * parameters, a monotonic clock, and writing the fitted parameters in
 * libgmm's model-file format for the one evaluator (eval_ll.py).
 * Header-only so that the C and the C++ programs include the same code.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline void bench_die(const char *what, const char *detail)
{
    fprintf(stderr, "bench: %s: %s\n", what, detail);
    exit(1);
}

/* The minimum of .npy the generator writes: version 1, little-endian
 * float64, C order, 2-D. The library's own reader lives in src/io. */
static inline double *bench_load_npy(const char *path, size_t *n_rows, size_t *n_cols)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        bench_die(path, "cannot open");
    unsigned char head[10];
    if (fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY", 6) != 0 || head[6] != 1)
        bench_die(path, "not a version-1 .npy file");
    size_t header_len = head[8] | (size_t)head[9] << 8;
    char *header = (char *)calloc(header_len + 1, 1);
    if (fread(header, 1, header_len, f) != header_len)
        bench_die(path, "truncated header");
    if (!strstr(header, "'<f8'") || strstr(header, "'fortran_order': True"))
        bench_die(path, "expected little-endian float64 in C order");
    const char *shape = strstr(header, "'shape': (");
    if (!shape || sscanf(shape + 10, "%zu, %zu", n_rows, n_cols) != 2)
        bench_die(path, "expected a 2-D shape");
    free(header);
    size_t count = *n_rows * *n_cols;
    double *X = (double *)malloc(count * sizeof *X);
    if (!X || fread(X, sizeof *X, count, f) != count)
        bench_die(path, "truncated data");
    fclose(f);
    return X;
}

/* The initial parameters of a case, flattened row-major. */
typedef struct bench_init {
    char covariance_type[16];
    size_t n_components, n_features;
    double *weights, *means, *covariances;
} bench_init;

static inline size_t bench_flatten(const json_t *value, double *out, size_t at)
{
    if (!json_is_array(value)) {
        out[at] = json_number_value(value);
        return at + 1;
    }
    size_t i;
    const json_t *item;
    json_array_foreach(value, i, item) at = bench_flatten(item, out, at);
    return at;
}

static inline bench_init bench_load_init(const char *path)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root)
        bench_die(path, jerr.text);
    bench_init init;
    snprintf(init.covariance_type, sizeof init.covariance_type, "%s",
             json_string_value(json_object_get(root, "covariance_type")));
    init.n_components = (size_t)json_integer_value(json_object_get(root, "n_components"));
    init.n_features = (size_t)json_integer_value(json_object_get(root, "n_features"));
    size_t k = init.n_components, d = init.n_features;
    init.weights = (double *)malloc(k * sizeof(double));
    init.means = (double *)malloc(k * d * sizeof(double));
    init.covariances = (double *)malloc(k * d * d * sizeof(double));
    bench_flatten(json_object_get(root, "weights"), init.weights, 0);
    bench_flatten(json_object_get(root, "means"), init.means, 0);
    bench_flatten(json_object_get(root, "covariances"), init.covariances, 0);
    json_decref(root);
    return init;
}

static inline double bench_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU seconds of the whole process (all threads): on a shared machine the
 * wall clock also counts time other processes held our cores. */
static inline double bench_cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Repeated timing. A tiny case's fit takes about a millisecond (Old
 * Faithful: 100 iterations of ~10 us), where one scheduler tick or cache
 * miss on this shared machine moves a single timing by 30%. So every
 * program (ours and the peers alike) runs the whole fit again, from the
 * same initial parameters, until BENCH_MIN_SECONDS of fitting or
 * BENCH_MAX_REPEATS fits, and reports the median of the repeats' seconds
 * per iteration. A fit longer than BENCH_MIN_SECONDS runs once, as before.
 * Use:
 *     bench_repeats r = {0};
 *     while (bench_more(&r)) {
 *         (untimed set-up)
 *         bench_begin(&r);
 *         (the fit)
 *         bench_end(&r, n_iter);
 *     }
 *     bench_median(r.wall, r.n), bench_median(r.cpu, r.n)
 * (peer_sklearn.py does the same in Python.) */
#ifndef BENCH_MIN_SECONDS
#define BENCH_MIN_SECONDS 0.2
#endif
#define BENCH_MAX_REPEATS 1000

typedef struct bench_repeats {
    int n;                              /* repeats done              */
    double total;                       /* their wall seconds in all */
    double wall[BENCH_MAX_REPEATS];     /* seconds per iteration     */
    double cpu[BENCH_MAX_REPEATS];      /* CPU seconds per iteration */
    double start, cpu_start;
} bench_repeats;

static inline int bench_more(const bench_repeats *r)
{
    return r->n == 0 || (r->total < BENCH_MIN_SECONDS && r->n < BENCH_MAX_REPEATS);
}

static inline void bench_begin(bench_repeats *r)
{
    r->start = bench_seconds();
    r->cpu_start = bench_cpu_seconds();
}

static inline void bench_end(bench_repeats *r, int n_iter)
{
    double elapsed = bench_seconds() - r->start;
    double cpu = bench_cpu_seconds() - r->cpu_start;
    r->total += elapsed;
    r->wall[r->n] = elapsed / n_iter;
    r->cpu[r->n] = cpu / n_iter;
    r->n++;
}

static inline int bench_compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of n values (sorts them). */
static inline double bench_median(double *values, int n)
{
    qsort(values, (size_t)n, sizeof *values, bench_compare);
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

static inline json_t *bench_array(const double *values, size_t n)
{
    json_t *array = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(array, json_real(values[i]));
    return array;
}

/* Write fitted parameters (row-major, covariances of n_cov doubles). */
static inline void bench_save(const char *path, const char *covariance_type, size_t k,
                       size_t d, const double *weights, const double *means,
                       const double *covariances, size_t n_cov)
{
    json_t *out = json_object();
    json_object_set_new(out, "covariance_type", json_string(covariance_type));
    json_object_set_new(out, "n_components", json_integer((json_int_t)k));
    json_object_set_new(out, "n_features", json_integer((json_int_t)d));
    json_object_set_new(out, "weights", bench_array(weights, k));
    json_object_set_new(out, "means", bench_array(means, k * d));
    json_object_set_new(out, "covariances", bench_array(covariances, n_cov));
    if (json_dump_file(out, path, JSON_REAL_PRECISION(17)) != 0)
        bench_die(path, "cannot write");
    json_decref(out);
}

#endif
