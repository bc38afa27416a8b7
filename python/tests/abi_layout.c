/*
 * abi_layout.c — what ctypes must mirror of gmm.h, as the compiler lays it
 * out: the size and field offsets of each struct the Python package passes
 * and the values of the enum constants it names. Prints JSON for
 * test_abi.py, which compares it with libgmm/_lib.py.
 */
#include <stddef.h>
#include <stdio.h>

#include "gmm.h"

static const char *struct_separator = "";
static const char *field_separator;

static void open_struct(const char *name, size_t size)
{
    printf("%s\"%s\": {\"size\": %zu, \"fields\": {", struct_separator, name,
           size);
    struct_separator = ", ";
    field_separator = "";
}

static void field(const char *name, size_t offset)
{
    printf("%s\"%s\": %zu", field_separator, name, offset);
    field_separator = ", ";
}

static void close_struct(void) { printf("}}"); }

#define FIELD(type, name) field(#name, offsetof(type, name))
#define CONSTANT(name) printf(", \"%s\": %d", #name, (int)(name))

int main(void)
{
    printf("{\"structs\": {");
    open_struct("gmm_error", sizeof(gmm_error));
    FIELD(gmm_error, status);
    FIELD(gmm_error, message);
    close_struct();

    open_struct("gmm_progress", sizeof(gmm_progress));
    FIELD(gmm_progress, init);
    FIELD(gmm_progress, n_iter);
    FIELD(gmm_progress, lower_bound);
    FIELD(gmm_progress, change);
    FIELD(gmm_progress, converged);
    FIELD(gmm_progress, weights);
    FIELD(gmm_progress, means);
    FIELD(gmm_progress, covariances);
    close_struct();

    open_struct("gmm_options", sizeof(gmm_options));
    FIELD(gmm_options, n_components);
    FIELD(gmm_options, covariance_type);
    FIELD(gmm_options, tol);
    FIELD(gmm_options, reg_covar);
    FIELD(gmm_options, max_iter);
    FIELD(gmm_options, n_init);
    FIELD(gmm_options, init_params);
    FIELD(gmm_options, seed);
    FIELD(gmm_options, warm_start);
    FIELD(gmm_options, n_threads);
    FIELD(gmm_options, weights_init);
    FIELD(gmm_options, means_init);
    FIELD(gmm_options, precisions_init);
    FIELD(gmm_options, covariances_init);
    FIELD(gmm_options, progress);
    FIELD(gmm_options, progress_user_data);
    FIELD(gmm_options, dtype);
    FIELD(gmm_options, init_resp);
    FIELD(gmm_options, online_alpha);
    FIELD(gmm_options, online_t0);
    FIELD(gmm_options, weight_prior);
    FIELD(gmm_options, weight_concentration_prior);
    FIELD(gmm_options, mean_precision_prior);
    FIELD(gmm_options, mean_prior);
    FIELD(gmm_options, degrees_of_freedom_prior);
    FIELD(gmm_options, covariance_prior);
    FIELD(gmm_options, fixed);
    FIELD(gmm_options, equal_weights);
    FIELD(gmm_options, missing);
    close_struct();

    open_struct("gmm_posterior", sizeof(gmm_posterior));
    FIELD(gmm_posterior, weight_prior);
    FIELD(gmm_posterior, weight_concentration_prior);
    FIELD(gmm_posterior, mean_precision_prior);
    FIELD(gmm_posterior, degrees_of_freedom_prior);
    FIELD(gmm_posterior, mean_prior);
    FIELD(gmm_posterior, covariance_prior);
    FIELD(gmm_posterior, weight_concentration);
    FIELD(gmm_posterior, mean_precision);
    FIELD(gmm_posterior, degrees_of_freedom);
    close_struct();

    open_struct("gmm_kmeans_options", sizeof(gmm_kmeans_options));
    FIELD(gmm_kmeans_options, n_clusters);
    FIELD(gmm_kmeans_options, init);
    FIELD(gmm_kmeans_options, n_init);
    FIELD(gmm_kmeans_options, max_iter);
    FIELD(gmm_kmeans_options, tol);
    FIELD(gmm_kmeans_options, seed);
    FIELD(gmm_kmeans_options, n_threads);
    FIELD(gmm_kmeans_options, progress);
    FIELD(gmm_kmeans_options, progress_user_data);
    FIELD(gmm_kmeans_options, init_centers);
    close_struct();

    open_struct("gmm_kmeans_result", sizeof(gmm_kmeans_result));
    FIELD(gmm_kmeans_result, inertia);
    FIELD(gmm_kmeans_result, n_iter);
    FIELD(gmm_kmeans_result, converged);
    close_struct();

    open_struct("gmm_select_entry", sizeof(gmm_select_entry));
    FIELD(gmm_select_entry, covariance_type);
    FIELD(gmm_select_entry, n_components);
    FIELD(gmm_select_entry, status);
    FIELD(gmm_select_entry, score);
    FIELD(gmm_select_entry, converged);
    FIELD(gmm_select_entry, n_iter);
    close_struct();

    printf("}, \"constants\": {\"GMM_ERROR_MESSAGE_SIZE\": %d",
           GMM_ERROR_MESSAGE_SIZE);
    CONSTANT(GMM_OK);
    CONSTANT(GMM_ERR_NOMEM);
    CONSTANT(GMM_ERR_INVALID);
    CONSTANT(GMM_ERR_DATA);
    CONSTANT(GMM_ERR_NUMERIC);
    CONSTANT(GMM_ERR_NOT_FITTED);
    CONSTANT(GMM_ERR_IO);
    CONSTANT(GMM_ERR_FORMAT);
    CONSTANT(GMM_ERR_INTERRUPTED);
    CONSTANT(GMM_ERR_UNSUPPORTED);
    CONSTANT(GMM_KMEANS_INIT_KMEANS_PLUSPLUS);
    CONSTANT(GMM_KMEANS_INIT_RANDOM);
    printf("}}\n");
    return 0;
}
