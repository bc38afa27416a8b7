/*
 * test_stream.c — a fit streamed from an .npy file (gmm_fit_npy with a
 * memory limit) is the in-memory fit, bit for bit: every covariance type,
 * every initializer, windows of one chunk (hundreds of reads per pass) and
 * larger, any thread count; and so with missing entries marginalized
 * (NaN at random and in a block of rows, arranged by pattern in the file).
 * Also: the limit's bounds, bad files, and gmm_npy_shape.
 */
#include "scale_data.h"

#define N_ROWS 20000

/* Fit in memory and from the file; the models must be identical. */
static void check_identical(const char *path, const double *X,
                            gmm_covariance_type type, gmm_init_method init,
                            size_t memory_limit, int n_threads,
                            gmm_missing missing)
{
    gmm_options o;
    gmm_options_init(&o);
    o.missing = missing;
    o.n_components = SCALE_K;
    o.covariance_type = type;
    o.init_params = init;
    o.seed = 7;
    o.n_threads = n_threads;
    o.n_init = init == GMM_INIT_RANDOM ? 2 : 1;
    gmm_model *memory = gmm_model_new(&o, NULL), *streamed = gmm_model_new(&o, NULL);
    gmm_error err;
    CHECK_OK(gmm_fit(memory, X, N_ROWS, SCALE_D, NULL, &err));
    gmm_status status = gmm_fit_npy(streamed, path, memory_limit, NULL, &err);
    CHECK(status == GMM_OK, "gmm_fit_npy: %s", err.message);
    char what[128];
    snprintf(what, sizeof what, "%s, %s, limit %zu, %d threads, missing %s",
             gmm_covariance_type_name(type), gmm_init_method_name(init),
             memory_limit, n_threads, gmm_missing_name(missing));
    if (status == GMM_OK) {
        double diff = scale_compare(streamed, memory, what);
        CHECK(diff == 0.0, "%s: streamed differs from in memory by %g", what, diff);
        double lb_a = gmm_model_lower_bound(streamed), lb_b = gmm_model_lower_bound(memory);
        CHECK(memcmp(&lb_a, &lb_b, sizeof lb_a) == 0, "%s: lower bound bits", what);
    }
    gmm_model_free(memory);
    gmm_model_free(streamed);
}

static void check_errors(const char *dir, const char *path)
{
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = 2;
    o.n_threads = 2;
    gmm_model *model = gmm_model_new(&o, NULL);
    gmm_error err;
    /* Less than one chunk of 256 rows x 3 doubles for each of 2 threads. */
    CHECK(gmm_fit_npy(model, path, 12287, NULL, &err) == GMM_ERR_INVALID,
          "a too-small limit is refused");
    CHECK(strstr(err.message, "too small") != NULL, "message: %s", err.message);
    CHECK(gmm_fit_npy(model, path, 12288, NULL, &err) == GMM_OK,
          "one chunk per thread is enough: %s", err.message);

    char bad[4096];
    snprintf(bad, sizeof bad, "%s/missing.npy", dir);
    CHECK(gmm_fit_npy(model, bad, 1 << 20, NULL, &err) == GMM_ERR_IO, "missing file");
    CHECK(strstr(err.message, "missing.npy") != NULL, "message: %s", err.message);

    /* A NaN deep in the file is found and named by its global row. */
    double *X = scale_sample(1000, 3);
    X[777 * SCALE_D + 2] = NAN;
    snprintf(bad, sizeof bad, "%s/nan.npy", dir);
    scale_write_npy(bad, X, 1000, SCALE_D);
    CHECK(gmm_fit_npy(model, bad, 1 << 16, NULL, &err) == GMM_ERR_DATA, "NaN found");
    CHECK(strstr(err.message, "row 777, column 2") != NULL, "message: %s", err.message);
    free(X);

    gmm_model_free(model);
}

/* The shape comes from the header; a file that is not .npy is named. */
static void check_shape(const char *dir, const char *path)
{
    size_t n_rows = 0, n_cols = 0;
    gmm_error err;
    CHECK_OK(gmm_npy_shape(path, &n_rows, &n_cols, &err));
    CHECK(n_rows == N_ROWS && n_cols == SCALE_D, "shape %zu x %zu", n_rows, n_cols);

    char csv[4096];
    snprintf(csv, sizeof csv, "%s/rows.csv", dir);
    FILE *file = fopen(csv, "w");
    CHECK(file != NULL, "cannot create %s", csv);
    if (!file)
        return;
    fputs("1,2\n3,4\n", file);
    fclose(file);
    CHECK(gmm_npy_shape(csv, &n_rows, &n_cols, &err) == GMM_ERR_FORMAT, "CSV refused");
    CHECK(strstr(err.message, "not a .npy file") != NULL, "message: %s", err.message);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_stream SCRATCH_DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/stream.npy", argv[1]);
    double *X = scale_sample(N_ROWS, 11);
    scale_write_npy(path, X, N_ROWS, SCALE_D);

    /* One chunk per thread per read: 256 rows x 3 doubles x 2 threads. */
    size_t one_chunk = 256 * SCALE_D * sizeof(double) * 2;
    for (size_t t = 0; t < 4; t++)
        for (size_t i = 0; i < 4; i++)
            check_identical(path, X, scale_types[t], scale_inits[i], one_chunk, 2,
                            GMM_MISSING_ERROR);
    /* Larger windows, other thread counts, and rows read into memory. */
    check_identical(path, X, GMM_COVARIANCE_FULL, GMM_INIT_KMEANS, 5 * one_chunk, 3,
                    GMM_MISSING_ERROR);
    check_identical(path, X, GMM_COVARIANCE_DIAG, GMM_INIT_KMEANS_PLUSPLUS, 1 << 20, 1,
                    GMM_MISSING_ERROR);
    check_identical(path, X, GMM_COVARIANCE_FULL, GMM_INIT_KMEANS, 0, 2,
                    GMM_MISSING_ERROR);

    /* Missing entries: about 15% at random (never a whole row) and the
     * first two features of rows 3000-3999; complete data marginalized
     * take the plain path (checked above, by missing = ERROR). */
    char holes_path[4096];
    snprintf(holes_path, sizeof holes_path, "%s/holes.npy", argv[1]);
    double *H = malloc(N_ROWS * SCALE_D * sizeof *H);
    memcpy(H, X, N_ROWS * SCALE_D * sizeof *H);
    for (size_t i = 0; i < N_ROWS; i++)
        for (size_t j = 0; j + 1 < SCALE_D; j++)
            if ((i * 7919 + j * 104729) % 100 < 15 || (i >= 3000 && i < 4000))
                H[i * SCALE_D + j] = NAN;
    scale_write_npy(holes_path, H, N_ROWS, SCALE_D);
    for (size_t t = 0; t < 4; t++)
        for (size_t i = 0; i < 4; i++)
            check_identical(holes_path, H, scale_types[t], scale_inits[i],
                            one_chunk, 2, GMM_MISSING_MARGINALIZE);
    check_identical(holes_path, H, GMM_COVARIANCE_FULL, GMM_INIT_KMEANS,
                    5 * one_chunk, 3, GMM_MISSING_MARGINALIZE);
    check_identical(holes_path, H, GMM_COVARIANCE_DIAG, GMM_INIT_KMEANS, 1 << 20,
                    1, GMM_MISSING_MARGINALIZE);
    check_identical(holes_path, H, GMM_COVARIANCE_TIED, GMM_INIT_KMEANS, 0, 2,
                    GMM_MISSING_MARGINALIZE);
    free(H);
    check_errors(argv[1], path);
    check_shape(argv[1], path);
    free(X);
    return check_failures() != 0;
}
