/*
 * test_nomem.c — allocation failure inside the library is an error code,
 * never a crash, an abort or a leak (SQLite's habit: a test hook makes the
 * Nth allocation fail).
 *
 * The program is linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc
 * (CMakeLists.txt), so every allocation libgmm makes goes through the
 * wrappers below. For each scenario a clean run counts its allocations
 * (M); then, for N = 1..M, the run is repeated with the Nth allocation
 * failing, and must return GMM_OK (an allocation it could do without) or
 * GMM_ERR_NOMEM with a message. Under AddressSanitizer (GMM_SANITIZE) any
 * leak on those paths fails the test at exit.
 *
 * jansson's allocations (routed here with json_set_alloc_funcs) fail only
 * in the scenarios marked so, which also accept GMM_ERR_FORMAT: jansson
 * 2.14 ignores a failed growth of its token buffer and parses the token
 * cut short (a key "covariance_typ", which we then report as missing).
 * What is checked there is that nothing crashes or leaks.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/check.h"
#include "../core/data.h"
#include "gmm.h"
#include "io/data_read.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *pointer, size_t size);

/* Allocations counted since the scenario started, and the one to fail
 * (0: none). Atomic because OpenMP threads may allocate. */
static long allocations;
static long fail_at;

static int should_fail(void)
{
    long n = __atomic_add_fetch(&allocations, 1, __ATOMIC_RELAXED);
    return n == __atomic_load_n(&fail_at, __ATOMIC_RELAXED);
}

void *__wrap_malloc(size_t size)
{
    return should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
    return should_fail() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *pointer, size_t size)
{
    return should_fail() ? NULL : __real_realloc(pointer, size);
}

/* ---- Scenarios: each runs one library call on fixed inputs ------------ */

#define N_ROWS 60
#define N_FEATURES 3

static double *data_rows;
static double sample_weights[N_ROWS];
static gmm_model *fitted; /* made before counting starts */
static char model_path[64];
static char data_csv[] = "x,y,z\n1,2,3\n4,5,6.5\n7,8.25,9\n-1,0,2\n";

static gmm_status fit_with(gmm_covariance_type type, gmm_init_method init,
                           const double *weights, gmm_error *err)
{
    gmm_options options;
    gmm_options_init(&options);
    options.n_components = 3;
    options.covariance_type = type;
    options.init_params = init;
    options.n_threads = 1;
    options.max_iter = 5;
    gmm_model *model = gmm_model_new(&options, err);
    if (!model)
        return err->status;
    gmm_status status =
        gmm_fit(model, data_rows, N_ROWS, N_FEATURES, weights, err);
    gmm_model_free(model);
    return status;
}

static gmm_status fit_full(gmm_error *err)
{
    return fit_with(GMM_COVARIANCE_FULL, GMM_INIT_KMEANS, NULL, err);
}

static gmm_status fit_tied_weighted(gmm_error *err)
{
    return fit_with(GMM_COVARIANCE_TIED, GMM_INIT_KMEANS_PLUSPLUS,
                    sample_weights, err);
}

static gmm_status fit_diag_random(gmm_error *err)
{
    return fit_with(GMM_COVARIANCE_DIAG, GMM_INIT_RANDOM, NULL, err);
}

static gmm_status fit_spherical(gmm_error *err)
{
    return fit_with(GMM_COVARIANCE_SPHERICAL, GMM_INIT_RANDOM_FROM_DATA, NULL,
                    err);
}

static gmm_status predict_proba(gmm_error *err)
{
    static double proba[N_ROWS * 3];
    static int labels[N_ROWS];
    gmm_status status = gmm_predict_proba(fitted, data_rows, N_ROWS, N_FEATURES, proba, err);
    if (status == GMM_OK)
        status = gmm_predict(fitted, data_rows, N_ROWS, N_FEATURES, labels, err);
    return status;
}

static gmm_status score(gmm_error *err)
{
    double bic;
    return gmm_bic(fitted, data_rows, N_ROWS, N_FEATURES, &bic, err);
}

static gmm_status sample(gmm_error *err)
{
    static double X[100 * N_FEATURES];
    static int labels[100];
    return gmm_sample(fitted, 100, 1, X, labels, err);
}

static gmm_status kmeans(gmm_error *err)
{
    gmm_kmeans_options options;
    gmm_kmeans_options_init(&options);
    options.n_clusters = 3;
    options.n_init = 2;
    options.n_threads = 1;
    double centers[3 * N_FEATURES];
    int labels[N_ROWS];
    return gmm_kmeans(&options, data_rows, N_ROWS, N_FEATURES, sample_weights,
                      centers, labels, NULL, err);
}

/* Two types share the k-means runs (a failed run is redone by the fit that
 * needs it); K = 3 with n_init 2 makes several of them. */
static gmm_status select_pairs(gmm_error *err)
{
    gmm_options options;
    gmm_options_init(&options);
    options.n_threads = 1;
    options.max_iter = 5;
    options.n_init = 2;
    gmm_covariance_type types[] = {GMM_COVARIANCE_FULL, GMM_COVARIANCE_DIAG};
    size_t n_components[] = {1, 3};
    gmm_select_entry entries[4];
    gmm_model *best = NULL;
    gmm_status status = gmm_select(&options, types, 2, n_components, 2,
                                   GMM_CRITERION_BIC, data_rows, N_ROWS,
                                   N_FEATURES, entries, NULL, &best, err);
    gmm_model_free(best);
    return status;
}

static gmm_status json_round_trip(gmm_error *err)
{
    char *json = gmm_model_to_json(fitted, err);
    if (!json)
        return err->status;
    gmm_model *model = gmm_model_from_json(json, strlen(json), "m.json", err);
    free(json);
    gmm_model_free(model);
    return model ? GMM_OK : err->status;
}

static gmm_status save_and_load(gmm_error *err)
{
    gmm_status status = gmm_model_save(fitted, model_path, err);
    if (status != GMM_OK)
        return status;
    gmm_model *model = gmm_model_load(model_path, err);
    gmm_model_free(model);
    return model ? GMM_OK : err->status;
}

static gmm_status parse_csv(gmm_error *err)
{
    gmm_data data;
    gmm_status status =
        gmm_data_parse_csv(data_csv, strlen(data_csv), "d.csv", &data, err);
    gmm_data_free(&data);
    return status;
}

/* A 2 x 2 array as numpy.save writes it (a 128-byte header, zeros): float64
 * in C order, or float32 in Fortran order. */
static void make_npy(unsigned char bytes[128 + 32], int fortran)
{
    static const char c_header[] =
        "\x93NUMPY\x01\x00\x76\x00{'descr': '<f8', 'fortran_order': False, "
        "'shape': (2, 2), }";
    static const char fortran_header[] =
        "\x93NUMPY\x01\x00\x76\x00{'descr': '<f4', 'fortran_order': True, "
        "'shape': (2, 2), }";
    const char *header = fortran ? fortran_header : c_header;
    size_t length = fortran ? sizeof fortran_header - 1 : sizeof c_header - 1;
    memset(bytes, 0, 128 + 32);
    memcpy(bytes, header, length);
    memset(bytes + length, ' ', 127 - length);
    bytes[127] = '\n';
}

static gmm_status parse_npy(gmm_error *err)
{
    unsigned char bytes[128 + 32];
    make_npy(bytes, 0);
    gmm_data data;
    gmm_status status = gmm_data_parse_npy(bytes, sizeof bytes, "d.npy", &data,
                                           err);
    gmm_data_free(&data);
    return status;
}

/* Files read in pieces of 8 bytes, so that buffers and the matrix grow. */
#define SMALL_PIECE 8
static char csv_path[64], npy_path[64];

static gmm_status read_csv_file(gmm_error *err)
{
    gmm_data data;
    gmm_status status = io_data_read(csv_path, SMALL_PIECE, &data, err);
    gmm_data_free(&data);
    return status;
}

static gmm_status read_npy_file(gmm_error *err)
{
    gmm_data data;
    gmm_status status = io_data_read(npy_path, SMALL_PIECE, &data, err);
    gmm_data_free(&data);
    return status;
}

/* Standard input is the .npy file, read as a stream: whole, then
 * converted in place. */
static gmm_status read_npy_stdin(gmm_error *err)
{
    lseek(STDIN_FILENO, 0, SEEK_SET);
    gmm_data data;
    gmm_status status = io_data_read("-", SMALL_PIECE, &data, err);
    gmm_data_free(&data);
    return status;
}

static void write_file(const char *path, const void *bytes, size_t size)
{
    FILE *file = fopen(path, "wb");
    CHECK(file && fwrite(bytes, 1, size, file) == size, "cannot write %s", path);
    if (file)
        fclose(file);
}

static void make_files(void)
{
    snprintf(csv_path, sizeof csv_path, "nomem-%ld.csv", (long)getpid());
    snprintf(npy_path, sizeof npy_path, "nomem-%ld.npy", (long)getpid());
    write_file(csv_path, data_csv, strlen(data_csv));
    unsigned char npy[128 + 32];
    make_npy(npy, 1);
    write_file(npy_path, npy, 128 + 16);
    FILE *input = freopen(npy_path, "rb", stdin);
    CHECK(input != NULL, "cannot open %s as standard input", npy_path);
}

typedef struct scenario {
    const char *name;
    gmm_status (*run)(gmm_error *err);
    int fail_in_jansson; /* jansson's allocations fail too */
} scenario;

static const scenario scenarios[] = {
    {"fit full, k-means init", fit_full, 0},
    {"fit tied, k-means++ init, weights", fit_tied_weighted, 0},
    {"fit diag, random init", fit_diag_random, 0},
    {"fit spherical, random_from_data init", fit_spherical, 0},
    {"predict_proba and predict", predict_proba, 0},
    {"bic", score, 0},
    {"sample", sample, 0},
    {"kmeans with weights", kmeans, 0},
    {"select, k-means starts shared", select_pairs, 0},
    {"model JSON round trip", json_round_trip, 0},
    {"model save and load", save_and_load, 0},
    {"model JSON round trip, jansson failing", json_round_trip, 1},
    {"parse CSV", parse_csv, 0},
    {"parse .npy", parse_npy, 0},
    {"read CSV file in pieces", read_csv_file, 0},
    {"read .npy file (float32, Fortran order)", read_npy_file, 0},
    {"read .npy from standard input", read_npy_stdin, 0},
};

/* Run a scenario with allocation `n` failing (0: none); return how many
 * allocations it made. */
static int jansson_hooked;

static long run_failing_at(const scenario *s, long n, gmm_status *status,
                           gmm_error *err)
{
    memset(err, 0, sizeof *err);
    jansson_hooked = s->fail_in_jansson;
    __atomic_store_n(&allocations, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&fail_at, n, __ATOMIC_RELAXED);
    *status = s->run(err);
    __atomic_store_n(&fail_at, 0, __ATOMIC_RELAXED);
    return __atomic_load_n(&allocations, __ATOMIC_RELAXED);
}

static void check_scenario(const scenario *s)
{
    gmm_error err;
    gmm_status status;
    long total = run_failing_at(s, 0, &status, &err);
    CHECK(status == GMM_OK, "%s: clean run: %s", s->name, err.message);
    CHECK(total > 0, "%s: no allocation seen (is malloc wrapped?)", s->name);
    long nomem = 0;
    for (long n = 1; n <= total; n++) {
        run_failing_at(s, n, &status, &err);
        CHECK(status == GMM_OK || status == GMM_ERR_NOMEM ||
                  (s->fail_in_jansson && status == GMM_ERR_FORMAT),
              "%s: allocation %ld failing gave %s: %s", s->name, n,
              gmm_strerror(status), err.message);
        CHECK(status == GMM_OK || err.message[0] != '\0',
              "%s: allocation %ld failing: no message", s->name, n);
        nomem += status == GMM_ERR_NOMEM;
    }
    CHECK(nomem > 0, "%s: no failing allocation was reported", s->name);
    printf("%-40s %4ld allocations, %4ld reported as out of memory\n",
           s->name, total, nomem);
}

static void *jansson_malloc(size_t size)
{
    return jansson_hooked ? __wrap_malloc(size) : __real_malloc(size);
}

int main(void)
{
    json_set_alloc_funcs(jansson_malloc, free);
    data_rows = blobs(N_ROWS, N_FEATURES, 3, 6.0, 0.0, 3);
    for (size_t i = 0; i < N_ROWS; i++)
        sample_weights[i] = 1.0 + (double)(i % 4);
    snprintf(model_path, sizeof model_path, "nomem-%ld.json", (long)getpid());

    gmm_options options;
    gmm_options_init(&options);
    options.n_components = 3;
    options.n_threads = 1;
    gmm_error err;
    fitted = gmm_model_new(&options, &err);
    CHECK_OK(gmm_fit(fitted, data_rows, N_ROWS, N_FEATURES, NULL, &err));
    make_files();

    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        check_scenario(&scenarios[i]);

    unlink(model_path);
    unlink(csv_path);
    unlink(npy_path);
    gmm_model_free(fitted);
    free(data_rows);
    return check_failures() != 0;
}
