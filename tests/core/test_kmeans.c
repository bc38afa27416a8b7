/*
 * test_kmeans.c — k-means: recovers separated clusters, restarts keep the
 * lowest inertia, weights act as repeated rows, results do not depend on
 * the thread count, options are checked, and the progress callback is
 * polled before each k-means++ seed and Lloyd iteration (a stop is heeded
 * there, and a callback that never stops changes nothing).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data.h"
#include "gmm.h"

/* Counts the polls, asks to stop at poll number stop_at (0: never), and
 * counts the polls that were not what gmm.h promises: n_iter 0, nothing
 * else told, from the calling thread. */
typedef struct poll_counter {
    int stop_at;
    int calls;
    int wrong;
    pthread_t caller;
} poll_counter;

static int count_polls(const gmm_progress *p, void *user_data)
{
    poll_counter *c = user_data;
    c->calls++;
    c->wrong += p->n_iter != 0 || p->weights || p->means || p->covariances ||
                !isnan(p->lower_bound) ||
                !pthread_equal(pthread_self(), c->caller);
    return c->stop_at > 0 && c->calls >= c->stop_at;
}

static void check_interrupt(const double *X, size_t n, size_t d, size_t k)
{
    gmm_kmeans_options o;
    gmm_kmeans_options_init(&o);
    CHECK(o.progress == NULL && o.progress_user_data == NULL,
          "a progress callback by default");
    o.n_clusters = k;
    o.n_threads = 2;
    double *centers = malloc(2 * k * d * sizeof *centers);
    double *polled_centers = centers + k * d;
    int *labels = malloc(2 * n * sizeof *labels), *polled_labels = labels + n;
    gmm_kmeans_result result, polled;
    gmm_error err;
    for (int init = 0; init < 2; init++) {
        o.init = init ? GMM_KMEANS_INIT_RANDOM : GMM_KMEANS_INIT_KMEANS_PLUSPLUS;
        const char *name = init ? "random" : "k-means++";
        o.progress = NULL;
        CHECK_OK(gmm_kmeans(&o, X, n, d, NULL, centers, labels, &result, &err));
        /* Never stops: the same results, one poll per k-means++ seed and
         * per Lloyd iteration. */
        poll_counter never = {0, 0, 0, pthread_self()};
        o.progress = count_polls;
        o.progress_user_data = &never;
        CHECK_OK(gmm_kmeans(&o, X, n, d, NULL, polled_centers, polled_labels,
                            &polled, &err));
        CHECK(memcmp(centers, polled_centers, k * d * sizeof *centers) == 0 &&
                  memcmp(labels, polled_labels, n * sizeof *labels) == 0 &&
                  result.inertia == polled.inertia &&
                  result.n_iter == polled.n_iter,
              "%s: a progress callback changed k-means", name);
        int seeds = init ? 0 : (int)k;
        CHECK(never.calls == seeds + result.n_iter && never.wrong == 0,
              "%s: %d polls (%d not as documented), expected %d seeds + %d "
              "iterations", name, never.calls, never.wrong, seeds, result.n_iter);

        /* Stops at the first poll, then at the second Lloyd iteration's:
         * no more polls after it. */
        int stops[2] = {1, seeds + 2};
        CHECK(result.n_iter >= 2, "%s: only %d iterations", name, result.n_iter);
        for (int s = 0; s < 2; s++) {
            poll_counter stop = {stops[s], 0, 0, pthread_self()};
            o.progress_user_data = &stop;
            gmm_status status = gmm_kmeans(&o, X, n, d, NULL, polled_centers,
                                           polled_labels, &polled, &err);
            CHECK(status == GMM_ERR_INTERRUPTED && err.status == status &&
                      stop.calls == stops[s] && stop.wrong == 0,
                  "%s, stop at poll %d: %s, %d polls", name, stops[s],
                  gmm_strerror(status), stop.calls);
        }
    }
    free(centers);
    free(labels);
}

/* Explicit initial centres (scikit-learn's init=array) make one run from
 * them, whatever n_init; gmm_kmeans_predict gives the fit's rows the
 * fit's labels, and its distances sum to the inertia. */
static void check_init_centers_and_predict(const double *X, size_t n,
                                           size_t d, size_t k)
{
    gmm_kmeans_options o;
    gmm_kmeans_options_init(&o);
    o.n_clusters = k;
    double start[12], centers[12], again[12];
    for (size_t c = 0; c < k; c++)
        memcpy(start + c * d, X + c * d, d * sizeof *start);
    o.init_centers = start;
    o.n_init = 5;
    int *labels = malloc(n * sizeof *labels), *predicted = malloc(n * sizeof *predicted);
    double *dist = malloc(n * sizeof *dist);
    gmm_kmeans_result result, result2;
    gmm_error err;
    CHECK_OK(gmm_kmeans(&o, X, n, d, NULL, centers, labels, &result, &err));
    o.n_init = 1;
    CHECK_OK(gmm_kmeans(&o, X, n, d, NULL, again, NULL, &result2, &err));
    CHECK(memcmp(centers, again, k * d * sizeof *centers) == 0 &&
              result.n_iter == result2.n_iter,
          "init_centers: n_init 5 is not the one run from them");
    o.seed = 99; /* the seed plays no part */
    CHECK_OK(gmm_kmeans(&o, X, n, d, NULL, again, NULL, &result2, &err));
    CHECK(memcmp(centers, again, k * d * sizeof *centers) == 0,
          "init_centers: the seed changed the run");

    CHECK_OK(gmm_kmeans_predict(centers, k, X, n, d, 2, predicted, dist, &err));
    size_t differ = 0;
    double inertia = 0.0;
    for (size_t i = 0; i < n; i++) {
        differ += predicted[i] != labels[i];
        inertia += dist[i];
    }
    CHECK(differ == 0, "predict: %zu rows differ from the fit's labels", differ);
    CHECK(close_to(inertia, result.inertia, 1e-12, 1), "predict: distances sum "
          "to %.17g, inertia %.17g", inertia, result.inertia);
    CHECK_OK(gmm_kmeans_predict(centers, k, X, n, d, 1, labels, NULL, &err));
    CHECK(memcmp(labels, predicted, n * sizeof *labels) == 0,
          "predict: thread count changed the labels");

    start[1] = NAN;
    CHECK(gmm_kmeans(&o, X, n, d, NULL, again, NULL, NULL, &err) == GMM_ERR_INVALID &&
              strstr(err.message, "init_centers"), "NaN init_centers: %s",
          err.message);
    centers[0] = INFINITY;
    CHECK(gmm_kmeans_predict(centers, k, X, n, d, 0, labels, NULL, &err) ==
              GMM_ERR_INVALID, "infinite centre accepted");
    CHECK(gmm_kmeans_predict(centers, 0, X, n, d, 0, labels, NULL, &err) ==
              GMM_ERR_INVALID, "K = 0 accepted");
    free(labels), free(predicted), free(dist);
}

int main(void)
{
    size_t n = 3000, d = 3, k = 4;
    double *X = blobs(n, d, k, 40.0, 0.0, 13);
    gmm_kmeans_options o;
    gmm_kmeans_options_init(&o);
    CHECK(o.n_clusters == 8 && o.max_iter == 300 && o.tol == 1e-4, "defaults");
    o.n_clusters = k;
    o.n_init = 3;
    double centers[12], centers2[12];
    int *labels = malloc(n * sizeof *labels), *labels2 = malloc(n * sizeof *labels2);
    gmm_kmeans_result result, result2;
    gmm_error err;
    CHECK_OK(gmm_kmeans(&o, X, n, d, NULL, centers, labels, &result, &err));
    /* blobs() deals rows round-robin: rows i and i + k share a cluster. */
    size_t wrong = 0;
    for (size_t i = k; i < n; i++)
        wrong += labels[i] != labels[i - k];
    CHECK(wrong == 0, "%zu rows in the wrong cluster", wrong);
    CHECK(result.converged && result.n_iter >= 1, "not converged");
    /* Inertia is the sum of squared distances to the assigned centres. */
    double inertia = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++) {
            double y = X[i * d + j] - centers[labels[i] * d + j];
            inertia += y * y;
        }
    CHECK(close_to(result.inertia, inertia, 1e-10, 1), "inertia %g vs %g",
          result.inertia, inertia);

    o.n_threads = 1;
    CHECK_OK(gmm_kmeans(&o, X, n, d, NULL, centers2, labels2, &result2, &err));
    o.n_threads = 2;
    CHECK_OK(gmm_kmeans(&o, X, n, d, NULL, centers, labels, &result, &err));
    CHECK(memcmp(centers, centers2, sizeof centers) == 0 &&
              result.inertia == result2.inertia, "thread count changed k-means");

    /* More restarts never give a higher inertia (same seed stream). */
    o.n_clusters = 9;
    o.n_init = 1;
    double many[27];
    CHECK_OK(gmm_kmeans(&o, X, n, d, NULL, many, NULL, &result, &err));
    o.n_init = 8;
    CHECK_OK(gmm_kmeans(&o, X, n, d, NULL, many, NULL, &result2, &err));
    CHECK(result2.inertia <= result.inertia, "n_init 8 inertia %g > n_init 1 %g",
          result2.inertia, result.inertia);

    /* Weight 2 on a row = that row twice (random init picks rows, not
     * weights, so compare with k-means++ on both). */
    double Y[8] = {0, 0, 0, 1, 10, 10, 10, 11};
    double Ydup[10] = {0, 0, 0, 0, 0, 1, 10, 10, 10, 11};
    double w[4] = {2, 1, 1, 1};
    double c1[4], c2[4];
    o.n_clusters = 2;
    o.n_init = 1;
    CHECK_OK(gmm_kmeans(&o, Y, 4, 2, w, c1, NULL, &result, &err));
    CHECK_OK(gmm_kmeans(&o, Ydup, 5, 2, NULL, c2, NULL, &result2, &err));
    double lo1 = c1[0] < c1[2] ? c1[1] : c1[3], lo2 = c2[0] < c2[2] ? c2[1] : c2[3];
    CHECK(close_to(lo1, 1.0 / 3.0, 1e-12, 1) && close_to(lo2, 1.0 / 3.0, 1e-12, 1),
          "weighted centre %g / %g", lo1, lo2);
    CHECK(close_to(result.inertia, result2.inertia, 1e-12, 1), "weighted inertia");

    o.n_clusters = 5;
    CHECK(gmm_kmeans(&o, Y, 4, 2, NULL, c1, NULL, NULL, &err) == GMM_ERR_DATA,
          "K > N accepted");
    o.n_clusters = 2;
    o.max_iter = 0;
    CHECK(gmm_kmeans(&o, Y, 4, 2, NULL, c1, NULL, NULL, &err) == GMM_ERR_INVALID,
          "max_iter 0 accepted");
    free(X), free(labels), free(labels2);

    X = blobs(n, d, k, 3.0, 0.0, 17);
    check_interrupt(X, n, d, k);
    check_init_centers_and_predict(X, n, d, k);
    free(X);
    printf("test_kmeans: %d failures\n", check_failures());
    return check_failures() != 0;
}
