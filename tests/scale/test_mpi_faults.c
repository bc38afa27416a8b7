/*
 * test_mpi_faults.c — run by mpirun with 2 and 3 ranks: a failure on one
 * rank, wherever it happens, makes gmm_fit_npy fail on every rank, and no
 * rank is left waiting in a collective. The failed rank returns its own
 * error; the others the same status with "MPI rank R failed: <its
 * message>". Afterwards every rank has made the same MPI calls (the next
 * collective of this program matches) and no model has changed.
 *
 * Real conditions, on the failing rank only: a path that does not exist,
 * a file of another shape, other options, a memory limit too small for
 * its thread count, a progress callback that stops (also after the last
 * sum). Then, as test_nomem.c does for one process, every allocation and
 * every read (malloc, calloc, realloc and pread are wrapped at link time,
 * CMakeLists.txt) is made to fail in turn on the failing rank, for each
 * initializer, in memory and streamed, float64 and float32 (every STRIDE-th
 * call only, where ranks outnumber cores and each collective is slow).
 *
 * A hang fails the test: each rank arms alarm(), whose default action
 * ends it, and mpirun then ends the others (CTest's TIMEOUT backs it).
 */
#include <errno.h>
#include <mpi.h>
#include <sys/types.h>
#include <unistd.h>

#include "scale_data.h"

#define N_ROWS 2001 /* not a multiple of 2 or 3: slices differ in size */
#define WATCHDOG_SECONDS 280
#define ONE_CHUNK (256 * SCALE_D * sizeof(double)) /* streamed, one chunk */

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *pointer, size_t size);
ssize_t __real_pread(int fd, void *buffer, size_t count, off_t offset);

/* Calls counted since the fault was armed, and the one to fail (0: none).
 * Atomic because OpenMP threads allocate and read. */
static long allocations, allocation_to_fail;
static long reads, read_to_fail;

static int nth(long *counter, const long *target)
{
    long n = __atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
    return n == __atomic_load_n(target, __ATOMIC_RELAXED);
}

void *__wrap_malloc(size_t size)
{
    return nth(&allocations, &allocation_to_fail) ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
    return nth(&allocations, &allocation_to_fail) ? NULL
                                                  : __real_calloc(count, size);
}

void *__wrap_realloc(void *pointer, size_t size)
{
    return nth(&allocations, &allocation_to_fail) ? NULL
                                                  : __real_realloc(pointer, size);
}

ssize_t __wrap_pread(int fd, void *buffer, size_t count, off_t offset)
{
    if (nth(&reads, &read_to_fail)) {
        errno = EIO;
        return -1;
    }
    return __real_pread(fd, buffer, count, offset);
}

static int rank, size;
static MPI_Comm world = MPI_COMM_WORLD;
static const char *data_path, *short_path, *missing_path;

/* One fit: what it is and on which rank something goes wrong. */
typedef struct fit_case {
    const char *name;
    gmm_covariance_type type;
    gmm_init_method init;
    gmm_dtype dtype;
    int n_init;
    int n_threads;
    size_t memory_limit;
} fit_case;

static gmm_options options_for(const fit_case *c)
{
    gmm_options o;
    gmm_options_init(&o);
    o.n_components = SCALE_K;
    o.covariance_type = c->type;
    o.init_params = c->init;
    o.dtype = c->dtype;
    o.n_init = c->n_init;
    o.n_threads = c->n_threads;
    o.max_iter = 3;
    o.tol = 0.0; /* every iteration runs: the same sums each time */
    o.seed = 7;
    return o;
}

/* Every rank at the same test step: this program's own collective, which
 * would meet a stray one of the library's if it had left any rank behind
 * or ahead. */
static void check_in_step(const char *what)
{
    static int step;
    step++; /* before the initializer: its elements are not sequenced */
    int mine[2] = {step, -step}, all[2];
    MPI_Allreduce(mine, all, 2, MPI_INT, MPI_MAX, world);
    CHECK(all[0] == step && -all[1] == step,
          "%s: rank %d at step %d, but others between %d and %d", what, rank,
          step, -all[1], all[0]);
}

/* The outcome of one fit on every rank: every rank fails, or none does.
 * `failing` failed with `expected` (a status, or GMM_OK meaning "OK or
 * expected_fault", for faults that a fit may survive), the others with
 * the same status and its message behind "MPI rank R failed: ". Returns
 * whether the fit failed. */
static int check_outcome(const char *what, int failing, gmm_status expected,
                         gmm_status fault, const char *needle,
                         gmm_model *model, gmm_status status,
                         const gmm_error *err)
{
    int statuses[3] = {0};
    MPI_Allgather(&status, 1, MPI_INT, statuses, 1, MPI_INT, world);
    gmm_status failed_with = (gmm_status)statuses[failing];
    CHECK(expected != GMM_OK ? failed_with == expected
                             : failed_with == GMM_OK || failed_with == fault,
          "%s: rank %d returned %s", what, failing, gmm_strerror(failed_with));
    for (int r = 0; r < size; r++)
        CHECK(statuses[r] == (int)failed_with, "%s: rank %d returned %s, rank %d %s",
              what, r, gmm_strerror((gmm_status)statuses[r]), failing,
              gmm_strerror(failed_with));
    if (status == GMM_OK)
        CHECK(gmm_model_is_fitted(model), "%s: no model", what);
    else
        CHECK(!gmm_model_is_fitted(model), "%s: rank %d changed its model",
              what, rank);
    /* Decided on what every rank knows, so that this program's own
     * collectives below stay matched even when a check fails. */
    if (failed_with == GMM_OK)
        return 0;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "MPI rank %d failed: ", failing);
    const char *own = err->message;
    if (rank != failing && strncmp(err->message, prefix, strlen(prefix)) == 0)
        own = err->message + strlen(prefix);
    else
        CHECK(rank == failing, "%s: rank %d says '%s'", what, rank, err->message);
    /* The message that arrives is the failing rank's own. */
    char theirs[GMM_ERROR_MESSAGE_SIZE];
    snprintf(theirs, sizeof theirs, "%s", own);
    MPI_Bcast(theirs, (int)sizeof theirs, MPI_CHAR, failing, world);
    CHECK(strcmp(own, theirs) == 0, "%s: rank %d says '%s', rank %d '%s'", what,
          rank, own, failing, theirs);
    CHECK(!needle || strstr(own, needle), "%s: '%s' lacks '%s'", what, own,
          needle);
    return 1;
}

/* ---- Real conditions on one rank --------------------------------------- */

typedef struct stopper {
    int at_iteration; /* 0: never */
} stopper;

static int stop_at(const gmm_progress *progress, void *user_data)
{
    const stopper *s = user_data;
    return s->at_iteration > 0 && progress->n_iter == s->at_iteration;
}

/* The failing rank's data path when it is not to be given. */
static const char no_path[] = "";

static void check_condition(const char *what, int failing, const char *path,
                            size_t n_components, size_t memory_limit,
                            int stop_iteration, gmm_status expected,
                            const char *needle)
{
    static const fit_case c = {"", GMM_COVARIANCE_FULL, GMM_INIT_KMEANS,
                               GMM_DTYPE_FLOAT64, 1, 1, 0};
    gmm_options o = options_for(&c);
    stopper stop = {0};
    o.progress = stop_at;
    o.progress_user_data = &stop;
    size_t limit = c.memory_limit;
    const char *my_path = data_path;
    if (rank == failing) {
        my_path = path == no_path ? NULL : path ? path : data_path;
        o.n_components = n_components ? n_components : o.n_components;
        limit = memory_limit ? memory_limit : limit;
        stop.at_iteration = stop_iteration;
    }
    gmm_model *model = gmm_model_new(&o, NULL);
    gmm_error err;
    gmm_status status = gmm_fit_npy(model, my_path, limit, &world, &err);
    char label[128];
    snprintf(label, sizeof label, "%s on rank %d of %d", what, failing, size);
    check_outcome(label, failing, expected, expected, needle, model, status, &err);
    check_in_step(label);
    gmm_model_free(model);
    if (rank == 0)
        printf("%-50s every rank failed\n", label);
}

static void check_real_conditions(int failing)
{
    check_condition("missing file", failing, missing_path, 0, 0, 0, GMM_ERR_IO,
                    "cannot open");
    check_condition("no file given", failing, no_path, 0, 0, 0, GMM_ERR_INVALID,
                    "NULL argument");
    check_condition("a file of another shape", failing, short_path, 0, 0, 0,
                    GMM_ERR_DATA, "every rank must read the same file");
    check_condition("other options", failing, NULL, SCALE_K + 1, 0, 0,
                    GMM_ERR_INVALID, "n_components is 5 here, but 4 on MPI rank 0");
    check_condition("memory limit too small", failing, NULL, 0, 100, 0,
                    GMM_ERR_INVALID, "memory limit of 100 bytes is too small");
    check_condition("progress callback stops", failing, NULL, 0, 0, 2,
                    GMM_ERR_INTERRUPTED, "interrupted at iteration 2");
    /* After the last sum: the others' fits are complete, but their models
     * must not change when one rank's fit failed. */
    check_condition("progress callback stops at the end", failing, NULL, 0, 0,
                    3, GMM_ERR_INTERRUPTED, "interrupted at iteration 3");
}

/* ---- Every allocation and every read, on one rank ----------------------- */

/* A new model (made before the count starts) fitted to the data, with
 * the fail_at-th call counted by counter failing (0: none). */
static gmm_status fit_once(const fit_case *c, long *counter, long *target,
                           long fail_at, gmm_model **model, gmm_error *err)
{
    gmm_options o = options_for(c);
    *model = gmm_model_new(&o, NULL);
    __atomic_store_n(counter, 0, __ATOMIC_RELAXED);
    __atomic_store_n(target, fail_at, __ATOMIC_RELAXED);
    gmm_status status = gmm_fit_npy(*model, data_path, c->memory_limit, &world,
                                    err);
    __atomic_store_n(target, 0, __ATOMIC_RELAXED);
    return status;
}

/* How many calls of `counter`'s kind a clean fit makes on `failing`; the
 * fit's model into *clean. */
static long count_calls(const fit_case *c, int failing, long *counter,
                        long *target, gmm_model **clean)
{
    gmm_error err;
    CHECK_OK(fit_once(c, counter, target, 0, clean, &err));
    long calls = __atomic_load_n(counter, __ATOMIC_RELAXED);
    MPI_Bcast(&calls, 1, MPI_LONG, failing, world);
    return calls;
}

static long stride = 1;

static void sweep(const fit_case *c, int failing, const char *kind,
                  long *counter, long *target, gmm_status fault,
                  const char *needle)
{
    gmm_model *clean;
    long calls = count_calls(c, failing, counter, target, &clean), failures = 0;
    for (long n = 1; n <= calls && check_failures() == 0; n += stride) {
        gmm_model *model;
        gmm_error err;
        gmm_status status = fit_once(c, counter, target, rank == failing ? n : 0,
                                     &model, &err);
        char label[160];
        snprintf(label, sizeof label, "%s, %s %ld of %ld on rank %d", c->name,
                 kind, n, calls, failing);
        failures += check_outcome(label, failing, GMM_OK, fault, needle, model,
                                  status, &err);
        /* A fit that did without the call is the clean fit. */
        if (status == GMM_OK)
            CHECK(scale_compare(model, clean, label) == 0.0, "%s: another model",
                  label);
        check_in_step(label);
        gmm_model_free(model);
    }
    gmm_model_free(clean);
    if (rank == 0)
        printf("%-42s %5ld %-11s on rank %d: every %ld-th failed, %5ld failed "
               "every rank\n", c->name, calls, kind, failing, stride, failures);
}

static const fit_case sweep_cases[] = {
    {"full, kmeans, n_init 2, in memory", GMM_COVARIANCE_FULL, GMM_INIT_KMEANS,
     GMM_DTYPE_FLOAT64, 2, 1, 0},
    {"diag, k-means++, streamed, 2 threads", GMM_COVARIANCE_DIAG,
     GMM_INIT_KMEANS_PLUSPLUS, GMM_DTYPE_FLOAT64, 1, 2, 2 * ONE_CHUNK},
    {"tied, random, in memory", GMM_COVARIANCE_TIED, GMM_INIT_RANDOM,
     GMM_DTYPE_FLOAT64, 1, 1, 0},
    {"spherical, random_from_data, streamed", GMM_COVARIANCE_SPHERICAL,
     GMM_INIT_RANDOM_FROM_DATA, GMM_DTYPE_FLOAT64, 1, 1, ONE_CHUNK},
    {"full, kmeans, float32, streamed", GMM_COVARIANCE_FULL, GMM_INIT_KMEANS,
     GMM_DTYPE_FLOAT32, 1, 1, ONE_CHUNK},
};

int main(int argc, char **argv)
{
    alarm(WATCHDOG_SECONDS);
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(world, &rank);
    MPI_Comm_size(world, &size);
    if (argc < 4 || argc > 5 || size < 2 || size > 3) {
        fprintf(stderr, "usage: mpirun -np 2|3 test_mpi_faults DATA.npy "
                        "SHORT.npy MISSING.npy [STRIDE]\n");
        MPI_Abort(world, 2);
    }
    if (argc == 5)
        stride = atol(argv[4]) > 0 ? atol(argv[4]) : 1;
    data_path = argv[1];
    short_path = argv[2];
    missing_path = argv[3];
    if (rank == 0) {
        double *X = scale_sample(N_ROWS, 5);
        scale_write_npy(data_path, X, N_ROWS, SCALE_D);
        scale_write_npy(short_path, X, N_ROWS - 500, SCALE_D);
        free(X);
        unlink(missing_path);
    }
    MPI_Barrier(world);

    /* Not rank 0, whose file and options are the reference. */
    for (int f = 1; f < size; f++)
        check_real_conditions(f);
    /* The last rank, and rank 0 (whose failure every other rank reports). */
    int failing_ranks[2] = {size - 1, 0};
    for (size_t c = 0; c < sizeof sweep_cases / sizeof *sweep_cases; c++)
        for (int f = 0; f < 2; f++) {
            sweep(&sweep_cases[c], failing_ranks[f], "allocations", &allocations,
                  &allocation_to_fail, GMM_ERR_NOMEM, "out of memory");
            sweep(&sweep_cases[c], failing_ranks[f], "reads", &reads,
                  &read_to_fail, GMM_ERR_IO, "cannot read");
        }

    int failed = check_failures() != 0, any;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, world);
    MPI_Finalize();
    return any;
}
