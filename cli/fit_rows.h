/*
 * fit_rows.h — where `gmm fit` takes its rows from: read whole into memory
 * (any DATA, with --weights), or left in an .npy file for the library to
 * stream under --memory or to split over the ranks of an MPI job
 * (gmm_fit_npy), so that the command never holds data larger than memory.
 */
#ifndef GMM_CLI_FIT_ROWS_H
#define GMM_CLI_FIT_ROWS_H

#include "gmm.h"

typedef struct fit_rows {
    const char *path;
    size_t memory_limit;   /* --memory in bytes; 0 when not given         */
    const void *mpi_comm;  /* under mpirun, else NULL                     */
    int in_file;           /* rows left in the file for gmm_fit_npy       */
    gmm_data data;         /* the rows, when read into memory             */
    gmm_data weights;      /* --weights (in memory only), or empty        */
    gmm_missing missing;   /* --missing: NaN entries read as missing      */
    size_t n_rows, n_cols; /* read, or from the .npy header               */
} fit_rows;

/* How rows left in the file are used, for messages: "with --memory" or
 * "under mpirun". */
const char *fit_rows_mode(const fit_rows *rows);

/* Read DATA and --weights (weights_path may be NULL), or check that DATA
 * can be left in its file. Returns an exit status, after printing why when
 * it is not CLI_EXIT_OK. */
int fit_rows_open(fit_rows *rows, const char *path, const char *weights_path,
                  size_t memory_limit, const void *mpi_comm,
                  gmm_missing missing);

/* gmm_fit on the rows in memory, or gmm_fit_npy on the file. */
gmm_status fit_rows_fit(const fit_rows *rows, gmm_model *model,
                        gmm_error *err);

void fit_rows_free(fit_rows *rows);

#endif /* GMM_CLI_FIT_ROWS_H */
