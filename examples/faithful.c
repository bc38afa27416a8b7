/* faithful.c: libgmm in one page. Reads Old Faithful, fits mixtures of one
 * and two Gaussians, and compares them by BIC (lower is better).
 *   cc faithful.c $(pkg-config --cflags --libs gmm) -o faithful
 *   ./faithful data/faithful.csv
 */
#include <stdio.h>

#include <gmm.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/faithful.csv";
    gmm_error err;
    gmm_data data;
    if (gmm_data_read(path, &data, &err) != GMM_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }

    int status = 0;
    for (size_t k = 1; k <= 2 && status == 0; k++) {
        gmm_options options;
        gmm_options_init(&options); /* scikit-learn's defaults */
        options.n_components = k;
        options.covariance_type = GMM_COVARIANCE_FULL;

        double bic;
        gmm_model *model = gmm_model_new(&options, &err);
        if (model == NULL ||
            gmm_fit(model, data.values, data.n_rows, data.n_cols, NULL,
                    &err) != GMM_OK ||
            gmm_bic(model, data.values, data.n_rows, data.n_cols, &bic,
                    &err) != GMM_OK) {
            fprintf(stderr, "K=%zu: %s\n", k, err.message);
            status = 1;
        } else {
            const double *weights = gmm_model_weights(model);
            const double *means = gmm_model_means(model); /* K x D */
            printf("K=%zu: BIC %.3f, %d iterations\n", k, bic,
                   gmm_model_n_iter(model));
            for (size_t c = 0; c < k; c++)
                printf("  component %zu: weight %.3f, mean (%.3f, %.3f)\n", c,
                       weights[c], means[c * data.n_cols],
                       means[c * data.n_cols + 1]);
        }
        gmm_model_free(model);
    }
    gmm_data_free(&data);
    return status;
}
