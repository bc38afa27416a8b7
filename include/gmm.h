/*
 * gmm.h — libgmm: Gaussian mixture models fitted by Expectation-Maximization.
 *
 * This header is the whole public API and reads as its table of contents.
 * The semantics (parameter names, defaults, what `lower_bound` means, when a
 * fit has converged, how BIC counts parameters) are those of scikit-learn
 * 1.2.1's sklearn.mixture.GaussianMixture, except where the documentation
 * below says we differ and why.
 *
 * Conventions
 *  - Every name starts with gmm_ (types gmm_*, constants GMM_*).
 *  - Arrays are caller-owned, row-major, double: data X is n_rows x n_features.
 *  - Every call that can fail returns a gmm_status and, when `err` is not
 *    NULL, fills it with the same status and a message that names what went
 *    wrong and where (component, row, field). The library never prints,
 *    never exits, and keeps no global mutable state: different models may be
 *    used from different threads at once.
 *  - Pointers returned by getters are owned by the model and stay valid until
 *    the next call that modifies that model (gmm_fit, gmm_set_options with a
 *    new shape, gmm_model_free).
 */
#ifndef GMM_H
#define GMM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Every function below is exported from the shared library, and nothing
 * else is: the library is compiled with hidden visibility, so its internal
 * names are free to change (the test exported_symbols checks the list). */
#if defined(__GNUC__) || defined(__clang__)
#define GMM_API __attribute__((visibility("default")))
#else
#define GMM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/* Status codes and errors                                                  */
/* ======================================================================== */

typedef enum gmm_status {
    GMM_OK = 0,
    GMM_ERR_NOMEM,       /* an allocation failed                             */
    GMM_ERR_INVALID,     /* an argument or option is out of range            */
    GMM_ERR_DATA,        /* data unusable: NaN/Inf, too few rows, wrong width */
    GMM_ERR_NUMERIC,     /* numerical failure: a covariance is not positive
                            definite (collapsed or singleton component)       */
    GMM_ERR_NOT_FITTED,  /* the model has no parameters yet                  */
    GMM_ERR_IO,          /* a file could not be opened, read or written      */
    GMM_ERR_FORMAT,      /* a data or model file is malformed                */
    GMM_ERR_INTERRUPTED, /* the progress callback asked to stop              */
    GMM_ERR_UNSUPPORTED  /* the build lacks a feature (e.g. MPI)             */
} gmm_status;

#define GMM_ERROR_MESSAGE_SIZE 512

/* A status and its human-readable explanation. */
typedef struct gmm_error {
    gmm_status status;
    char message[GMM_ERROR_MESSAGE_SIZE];
} gmm_error;

/* A fixed one-line description of a status code ("out of memory", ...). */
GMM_API const char *gmm_strerror(gmm_status status);

/* ======================================================================== */
/* Options                                                                  */
/* ======================================================================== */

/* scikit-learn's four types, then the rest of mclust's fourteen models.
 * mclust writes Sigma_k = lambda_k D_k A_k D_k^T (volume lambda, shape A
 * diagonal with det 1, orientation D orthogonal), each equal (E) or
 * varying (V) across components, or the identity (I): VII, VVI, EEE and
 * VVV are spherical, diag, tied and full (their mclust names parse to
 * these four, bit for bit); the other ten store K D x D matrices, as full
 * does. Their M-steps are closed forms (EII, EEI, EVI, EEV, EVV), Celeux
 * & Govaert's (1995) alternating fixed points (VEI, VEE, VEV) or Browne &
 * McNicholas's (2014) MM iterations (EVE, VVE), each iterated until the
 * M-step has converged, as mclust's; their free parameters are mclust's
 * (nVarParams). */
typedef enum gmm_covariance_type {
    GMM_COVARIANCE_FULL,      /* one D x D matrix per component (VVV)        */
    GMM_COVARIANCE_TIED,      /* one D x D matrix shared by all (EEE)        */
    GMM_COVARIANCE_DIAG,      /* one D-vector of variances per component (VVI) */
    GMM_COVARIANCE_SPHERICAL, /* one variance per component (VII)            */
    GMM_COVARIANCE_EII,       /* lambda I                                    */
    GMM_COVARIANCE_EEI,       /* lambda A                                    */
    GMM_COVARIANCE_VEI,       /* lambda_k A                                  */
    GMM_COVARIANCE_EVI,       /* lambda A_k                                  */
    GMM_COVARIANCE_VEE,       /* lambda_k D A D^T                            */
    GMM_COVARIANCE_EVE,       /* lambda D A_k D^T                            */
    GMM_COVARIANCE_VVE,       /* lambda_k D A_k D^T                          */
    GMM_COVARIANCE_EEV,       /* lambda D_k A D_k^T                          */
    GMM_COVARIANCE_VEV,       /* lambda_k D_k A D_k^T                        */
    GMM_COVARIANCE_EVV        /* lambda D_k A_k D_k^T                        */
} gmm_covariance_type;

/* The number of covariance types: they are 0 .. GMM_N_COVARIANCE_TYPES-1. */
#define GMM_N_COVARIANCE_TYPES 14

typedef enum gmm_init_method {
    GMM_INIT_KMEANS,           /* responsibilities from a k-means fit        */
    GMM_INIT_KMEANS_PLUSPLUS,  /* hard assignment to k-means++ seeds         */
    GMM_INIT_RANDOM,           /* uniform random responsibilities            */
    GMM_INIT_RANDOM_FROM_DATA  /* hard assignment to K random distinct rows  */
} gmm_init_method;

/* Names as scikit-learn spells them ("full", "k-means++", ...); the ten
 * covariance models scikit-learn lacks by mclust's names ("EVE"). The
 * parse functions return GMM_ERR_INVALID for an unknown name;
 * gmm_covariance_type_parse also takes the mclust names of scikit-learn's
 * four ("VVV" is full). gmm_covariance_type_mclust_name gives every
 * type's mclust name ("VVV" for full). */
GMM_API const char *gmm_covariance_type_name(gmm_covariance_type type);
GMM_API const char *gmm_covariance_type_mclust_name(gmm_covariance_type type);
GMM_API gmm_status gmm_covariance_type_parse(const char *name,
                                             gmm_covariance_type *type);
/* How a covariance type stores its covariances (gmm_model_covariances,
 * gmm_model_precisions_cholesky, covariances_init, precisions_init, the
 * model file): blocks of one kind, either one per component (K blocks, in
 * component order) or one shared by every component; a block is a D x D
 * matrix (row-major), D variances (a diagonal matrix) or one variance
 * (a multiple of the identity). full: K matrices; tied: one shared
 * matrix; diag: K diagonals; spherical: K scalars. */
typedef enum gmm_covariance_block {
    GMM_COVARIANCE_BLOCK_MATRIX,    /* D x D values                         */
    GMM_COVARIANCE_BLOCK_DIAGONAL,  /* D values                             */
    GMM_COVARIANCE_BLOCK_SCALAR     /* 1 value                              */
} gmm_covariance_block;

typedef struct gmm_covariance_layout {
    gmm_covariance_block block;
    int shared;                     /* 1: one block for all components      */
} gmm_covariance_layout;

/* The layout of `type`; GMM_ERR_INVALID for an unknown type. */
GMM_API gmm_status gmm_covariance_type_layout(gmm_covariance_type type,
                                              gmm_covariance_layout *layout);

GMM_API const char *gmm_init_method_name(gmm_init_method method);
GMM_API gmm_status gmm_init_method_parse(const char *name,
                                         gmm_init_method *method);

/* The arithmetic of a fit's EM iterations (gmm_options.dtype).
 *  - GMM_DTYPE_FLOAT64: double throughout (the default; scikit-learn's).
 *  - GMM_DTYPE_FLOAT32: the per-row kernels (the E-step's distances,
 *    log-densities relative to a constant of each chunk of rows, and
 *    exponentials, the M-step's partial sums of at most 256 terms)
 *    run in float, twice as many rows per vector register; those
 *    constants, each row's logarithm in the log-sum-exp, the
 *    log-likelihood, every sum across chunks and the M-step's solves
 *    stay in double, and so do the model's parameters and the caller's
 *    data (each chunk is converted as it is read: no float copy of the
 *    data). Rows are centred on the mixture's mean in double before
 *    rounding, so an offset of the data from the origin costs nothing;
 *    what float cannot hold is data spread over far more than a
 *    component's standard deviation: up to 1e5 of them, the lower bound
 *    stays within 1e-5 relative of the float64 fit's (tested, offsets up
 *    to 1e6 included); beyond, it drifts. Faster per iteration on large
 *    fits (bench/RESULTS.md, "float32"). Results are still bit-identical
 *    for any thread count. Initialization (k-means, ...), prediction and
 *    scoring are float64 whatever the dtype. */
typedef enum gmm_dtype {
    GMM_DTYPE_FLOAT64,
    GMM_DTYPE_FLOAT32
} gmm_dtype;

/* "float64", "float32"; parse returns GMM_ERR_INVALID for an unknown name. */
GMM_API const char *gmm_dtype_name(gmm_dtype dtype);
GMM_API gmm_status gmm_dtype_parse(const char *name, gmm_dtype *dtype);

/* What a fit, predict, score or impute does with NaN entries in the data.
 * GMM_MISSING_ERROR (the default) takes NaN for bad data (GMM_ERR_DATA
 * naming the row and column), as scikit-learn does. With
 * GMM_MISSING_MARGINALIZE a NaN is a value missing at random, and EM
 * treats it as one more hidden variable (Ghahramani & Jordan, 1994): each
 * row's responsibilities and log-likelihood are those of the marginal
 * density of its observed entries, and the M-step's statistics take each
 * missing entry's conditional mean and covariance given the observed
 * ones, so the fit maximizes the observed-data likelihood, for every
 * covariance type. The initialization (k-means and the others) reads the
 * data with each missing entry replaced by its column's mean over the
 * observed entries. Inf is an error either way, and so is a row with every
 * entry missing (naming the row). On data without NaN the option changes
 * nothing, bit for bit. A fit that marginalizes holds one reordered copy of
 * the data; it takes no variational prior (GMM_ERR_INVALID). gmm_fit_npy
 * (streamed or over MPI) marginalizes too, holding an index per row and
 * the incomplete rows' patterns, not the data: streamed on one process
 * its model is gmm_fit's bit for bit, over MPI to rounding. And
 * gmm_partial_fit and gmm_stats_accumulate refuse NaN as before. predict, predict_proba,
 * score_samples and score follow the model's option (gmm_set_options):
 * marginalizing, they use each row's marginal density. */
typedef enum gmm_missing {
    GMM_MISSING_ERROR,
    GMM_MISSING_MARGINALIZE
} gmm_missing;

/* "error", "marginalize"; parse returns GMM_ERR_INVALID for an unknown
 * name. */
GMM_API const char *gmm_missing_name(gmm_missing missing);
GMM_API gmm_status gmm_missing_parse(const char *name, gmm_missing *missing);

/* The prior on the mixture weights. GMM_WEIGHT_PRIOR_NONE (the default)
 * fits by EM, maximum likelihood, scikit-learn's GaussianMixture. The
 * other two fit by variational inference with scikit-learn 1.2.1's
 * BayesianGaussianMixture semantics (its weight_concentration_prior_type):
 * a Dirichlet process (stick-breaking; BayesianGaussianMixture's default)
 * or a Dirichlet distribution on the weights, with the conjugate
 * Gaussian-Wishart prior on means and precisions (gmm_options' prior
 * fields). Names: "none", "dirichlet_process", "dirichlet_distribution". */
typedef enum gmm_weight_prior {
    GMM_WEIGHT_PRIOR_NONE,
    GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS,
    GMM_WEIGHT_PRIOR_DIRICHLET_DISTRIBUTION
} gmm_weight_prior;

GMM_API const char *gmm_weight_prior_name(gmm_weight_prior prior);
GMM_API gmm_status gmm_weight_prior_parse(const char *name,
                                          gmm_weight_prior *prior);

/* What the progress callback is told after each EM iteration (n_iter
 * from 1), or, with n_iter 0, at a poll with nothing to report (see
 * gmm_progress_fn). */
typedef struct gmm_progress {
    int init;            /* which initialization, 0 .. n_init-1              */
    int n_iter;          /* iteration just finished, from 1                  */
    double lower_bound;  /* mean log-likelihood of that iteration's E-step   */
    double change;       /* lower_bound minus the previous one (inf at first) */
    int converged;       /* 1 if this iteration met the tolerance            */
    /* The parameters after this iteration's M-step, shaped as
     * gmm_model_weights, gmm_model_means and gmm_model_covariances. They
     * point into the fit's working arrays (so offering them costs nothing)
     * and are valid only during the callback: copy what you keep. */
    const double *weights;
    const double *means;
    const double *covariances;
} gmm_progress;

/* Return non-zero to stop the fit; gmm_fit then fails with
 * GMM_ERR_INTERRUPTED and leaves the model as it was before the fit.
 * It is called after every EM iteration, and also polled where no
 * iteration has ended but the work is long, so that a stop is heeded
 * there too: before each k-means++ seed and each Lloyd iteration of the
 * k-means that initializes a fit (init_params kmeans or k-means++), and of
 * gmm_kmeans (gmm_kmeans_options.progress). Such a poll has n_iter 0;
 * its other fields tell nothing (init 0, lower_bound and change NaN,
 * converged 0, NULL parameters). It is called between passes over the
 * data, from the thread running the fit, never from a pass's worker
 * threads; but gmm_select calls it from several threads at once (one per
 * pair, or per k-means run it shares among covariance types). */
typedef int (*gmm_progress_fn)(const gmm_progress *progress, void *user_data);

/* gmm_partial_fit's defaults (gmm_options.online_alpha, online_t0), and
 * the rows per batch that `gmm fit --online` reads: chosen by measurement
 * (bench/RESULTS.md, "Online EM"). */
#define GMM_ONLINE_ALPHA 0.6
#define GMM_ONLINE_T0 1.0
#define GMM_ONLINE_BATCH_SIZE 50000

/* The parameters EM may hold fixed (gmm_options.fixed, a bit set): EM
 * then maximizes the likelihood over the others only. Fixed weights stay
 * (the means and covariances still come from the responsibilities); with
 * fixed means the covariances are the scatter around those means (every
 * covariance model's M-step reads that scatter); fixed covariances, and
 * their precision factors, stay. gmm_fixed_parse reads a comma-separated
 * list of "weights", "means", "covariances" (each at most once) into such
 * a bit set; GMM_ERR_INVALID for anything else. */
#define GMM_FIX_WEIGHTS 1u
#define GMM_FIX_MEANS 2u
#define GMM_FIX_COVARIANCES 4u
GMM_API gmm_status gmm_fixed_parse(const char *names, unsigned *fixed);

/* The most threads an n_threads may ask for (larger values are
 * GMM_ERR_INVALID): no machine has that many cores, and OpenMP fails to
 * start tens of thousands of threads (libgomp crashes outright). */
#define GMM_MAX_THREADS 1024

typedef struct gmm_options {
    size_t n_components;                 /* K, default 1                    */
    gmm_covariance_type covariance_type; /* default full                    */
    double tol;                /* stop when |change of lower bound| < tol;
                                  default 1e-3; 0 never stops early          */
    double reg_covar;          /* added to every variance in M-steps; 1e-6   */
    int max_iter;              /* EM iterations per initialization; 100.
                                  0 keeps the initial parameters.            */
    int n_init;                /* initializations; the best lower bound is
                                  kept (the earlier one on ties); default 1  */
    gmm_init_method init_params; /* default GMM_INIT_KMEANS                  */
    uint64_t seed;             /* every random choice derives from it; 0     */
    int warm_start;            /* refit from the current parameters; n_init
                                  is then ignored (scikit-learn's meaning)   */
    int n_threads;             /* OpenMP threads; 0 = OpenMP's default;
                                  at most GMM_MAX_THREADS. Results are
                                  bit-identical for any value.               */

    /* Explicit initial parameters, each optional (NULL: from init_params),
     * exactly as scikit-learn's weights_init / means_init / precisions_init.
     * covariances_init is our convenience alternative to precisions_init
     * (give at most one of the two). Shapes: weights K; means K x D;
     * precisions/covariances K x D x D (full), D x D (tied), K x D (diag),
     * K (spherical). The arrays are read during gmm_fit and must stay valid
     * until it returns. They are validated as scikit-learn does. */
    const double *weights_init;
    const double *means_init;
    const double *precisions_init;
    const double *covariances_init;

    gmm_progress_fn progress;  /* called after every iteration and polled
                                  during k-means initialization, or NULL     */
    void *progress_user_data;

    gmm_dtype dtype;           /* EM arithmetic; default GMM_DTYPE_FLOAT64
                                  (see gmm_dtype)                            */

    /* Initial responsibilities, n_rows x K row-major (the rows of the
     * data gmm_fit is given; for gmm_fit_npy every row of the file), or
     * NULL. When given, each initialization starts with an M-step from
     * them (scikit-learn's initial M-step: weights nk / n_rows) instead of
     * init_params, as mclust's me() starts from z; weights_init,
     * means_init and precisions_init / covariances_init still replace
     * their parts. Every entry finite and >= 0, every row summing to 1
     * within 1e-6; anything else fails with GMM_ERR_INVALID naming the
     * row (counted from 0). Read during gmm_fit only. */
    const double *init_resp;

    /* Stepwise online EM (gmm_partial_fit): step t's weight is
     * eta_t = (t + online_t0)^(-online_alpha). alpha in (0.5, 1], default
     * GMM_ONLINE_ALPHA; t0 >= 0, default GMM_ONLINE_T0. */
    double online_alpha;
    double online_t0;

    /* Variational Bayes (weight_prior not NONE; every field below is
     * ignored otherwise), as scikit-learn's BayesianGaussianMixture: each
     * iteration's E-step takes expected log-weights and log-determinants
     * under the posterior, its M-step updates the posterior from the same
     * sufficient statistics as EM's (so threads, sample weights,
     * streamed rows and MPI serve it alike), and lower_bound is the
     * evidence lower bound as scikit-learn computes it (not divided by
     * the number of rows). Each prior left at its default (NaN or NULL)
     * is scikit-learn's (None): derived from the data where scikit-learn
     * derives it, with sample weights weighted (our extension: the
     * weights are relative, rescaled to sum to the number of rows, so the
     * posterior's counts add up to n_rows; the covariance prior is the
     * weighted covariance times n / (n - 1)). Variational
     * fits are float64 (dtype float32 is GMM_ERR_INVALID) and take no
     * weights_init / means_init / precisions_init (GMM_ERR_INVALID); an
     * initialization's responsibilities give the first posterior as in
     * scikit-learn's _initialize. */
    gmm_weight_prior weight_prior;      /* default GMM_WEIGHT_PRIOR_NONE    */
    double weight_concentration_prior;  /* > 0; NaN: 1 / K                   */
    double mean_precision_prior;        /* > 0; NaN: 1                       */
    const double *mean_prior;           /* D values; NULL: the data's mean   */
    double degrees_of_freedom_prior;    /* > D - 1; NaN: D                   */
    /* Shaped as one block of the covariance type's layout: D x D (full,
     * tied; symmetric positive definite), D (diag; positive), 1
     * (spherical; positive). NULL: the data's covariance (full, tied),
     * variances (diag) or mean variance (spherical), unbiased (n - 1). */
    const double *covariance_prior;

    /* Fixed parameters (GMM_FIX_* bits; default 0, none), R mclust's
     * fixed-parameter EM and the lecture's "learn the means only". Their
     * values are the initial ones: weights_init, means_init,
     * precisions_init / covariances_init, each required for its part
     * (GMM_ERR_INVALID naming it when missing), or on a warm start the
     * model's own. equal_weights (0 or 1, default 0; mclust's equalPro):
     * every weight is 1 / K, from the start (weights_init is not read)
     * through every M-step. Free parameters (gmm_n_parameters, so BIC and
     * AIC) leave out what is fixed, the weights' K - 1 under
     * equal_weights too. GMM_ERR_INVALID: fixing everything (weights,
     * means and covariances, or means and covariances with
     * equal_weights: nothing left to fit), equal_weights with fixed
     * weights, either with a weight prior (they are EM's). */
    unsigned fixed;
    int equal_weights;
    gmm_missing missing;  /* NaN entries; default GMM_MISSING_ERROR       */
} gmm_options;

/* Fill scikit-learn's defaults (listed above). Always call this first, then
 * change what you need: new fields get safe defaults in later versions. */
GMM_API void gmm_options_init(gmm_options *options);

/* ======================================================================== */
/* Create and destroy                                                       */
/* ======================================================================== */

typedef struct gmm_model gmm_model;

/* An unfitted model with these options (validated: K >= 1, tol >= 0,
 * reg_covar >= 0, max_iter >= 0, n_init >= 1, 0 <= n_threads <=
 * GMM_MAX_THREADS).
 * Returns NULL on failure, with the reason in err. */
GMM_API gmm_model *gmm_model_new(const gmm_options *options, gmm_error *err);

/* A fitted model from explicit parameters (shapes as for covariances_init),
 * validated as scikit-learn validates its *_init parameters: weights in
 * [0, 1] summing to 1 within 1e-8, covariances symmetric positive definite
 * (full, tied) or positive (diag, spherical). converged = 0, n_iter = 0,
 * lower_bound = -inf. Other options take their defaults. */
GMM_API gmm_model *gmm_model_from_params(size_t n_components, size_t n_features,
                                         gmm_covariance_type covariance_type,
                                         const double *weights,
                                         const double *means,
                                         const double *covariances,
                                         gmm_error *err);

/* Replace the options. A change of n_components or covariance_type
 * discards the fitted parameters. */
GMM_API gmm_status gmm_set_options(gmm_model *model, const gmm_options *options,
                                   gmm_error *err);

GMM_API void gmm_model_free(gmm_model *model);

/* ======================================================================== */
/* Fit                                                                      */
/* ======================================================================== */

/* Estimate the parameters by EM (scikit-learn's fit). X is n_rows x
 * n_features; sample_weight is NULL or n_rows non-negative finite weights,
 * not all zero (our extension: every statistic is weighted, the lower bound
 * is the weighted mean log-likelihood). Requires n_rows >= max(2, K).
 * On failure the model keeps the parameters it had before the call. */
GMM_API gmm_status gmm_fit(gmm_model *model, const double *X, size_t n_rows,
                           size_t n_features, const double *sample_weight,
                           gmm_error *err);

/* ======================================================================== */
/* Sufficient statistics: EM over any storage                               */
/* ======================================================================== */

/* What an E-step gathers from rows under a model, and all an M-step
 * reads. For component k, with r_ik the responsibility of k for row i
 * times the row's weight w_i, and a shift c_k (the means of the model
 * they were gathered under):
 *   n_k = sum_i r_ik
 *   s_k = sum_i r_ik (x_i - c_k)                            (D values)
 *   q_k = sum_i r_ik (x_i - c_k)(x_i - c_k)^T, reduced to what the
 *         covariance type's M-step reads (its statistics layout,
 *         gmm_covariance_type_statistics_layout): a D x D matrix of which
 *         the upper triangle (j >= i) is meaningful, D diagonal values or
 *         one trace; per component, or one block summed over components
 *         (tied)
 * and the sums of w_i log p(x_i) and of w_i. gmm_fit is exactly
 * "zero, accumulate every row, M-step" repeated (the same functions run
 * inside it), so a caller can drive EM over rows wherever they live (a
 * database cursor, Spark or Dask partitions, files on several
 * machines): statistics of disjoint sets of rows under one model add up
 * to those of their union, in any grouping.
 *
 * Packed (gmm_stats_pack), a gmm_stats is gmm_stats_size doubles, in
 * this order:
 *   n (K) | s (K x D) | q (its layout's size: K*D*D full, D*D tied, K*D
 *   diag, K spherical) | sum w log p | sum w | c (K x D)
 * Two packed statistics with equal shifts (the same model) are combined
 * by adding their first gmm_stats_size - K*D values and keeping the
 * shifts: what an all-reduce over a network does. */
typedef struct gmm_stats gmm_stats;

/* The statistics layout of a covariance type (see above); GMM_ERR_INVALID
 * for an unknown type. */
GMM_API gmm_status gmm_covariance_type_statistics_layout(
    gmm_covariance_type type, gmm_covariance_layout *layout);

/* Empty statistics for K components, D features and a covariance type
 * (NULL on failure, with the reason in err). Free with gmm_stats_free. */
GMM_API gmm_stats *gmm_stats_new(size_t n_components, size_t n_features,
                                 gmm_covariance_type covariance_type,
                                 gmm_error *err);
GMM_API void gmm_stats_free(gmm_stats *stats);
/* Make them empty again. */
GMM_API void gmm_stats_zero(gmm_stats *stats);

/* Add the E-step's statistics of X (n_rows x n_features, finite) under a
 * fitted model of the same shape, in the model's dtype and n_threads
 * (the result does not depend on n_threads). sample_weight: NULL (all
 * ones) or n_rows finite weights >= 0, not all zero, used as given (not
 * rescaled, so that blocks of one weighted data set add up). Empty
 * statistics take the model's shifts; others are first moved to theirs
 * (see gmm_stats_combine). */
GMM_API gmm_status gmm_stats_accumulate(gmm_stats *stats,
                                        const gmm_model *model,
                                        const double *X, size_t n_rows,
                                        size_t n_features,
                                        const double *sample_weight,
                                        gmm_error *err);

/* dst += src (the same shape). When their shifts differ, src's are
 * re-expressed around dst's first (exact algebra: s + n (c - c'), and q
 * corrected likewise), so statistics gathered under different models
 * combine too, as online EM needs; with equal shifts it is a plain sum. */
GMM_API gmm_status gmm_stats_combine(gmm_stats *dst, const gmm_stats *src,
                                     gmm_error *err);

/* Multiply every sum (n, s, q, the log-likelihood, the weight) by a
 * finite factor >= 0; the shifts stay. */
GMM_API gmm_status gmm_stats_scale(gmm_stats *stats, double factor,
                                   gmm_error *err);

/* The M-step: the model's parameters from the statistics, with the
 * model's reg_covar, as gmm_fit's M-step (weights n_k / sum n, means
 * c_k + s_k / n_k, covariances as the covariance type's M-step says).
 * The model's n_components and covariance_type must match the
 * statistics'; it becomes fitted with n_features = D. On failure
 * (GMM_ERR_DATA for empty statistics, GMM_ERR_NUMERIC when a covariance
 * is not positive definite, GMM_ERR_INVALID for a model whose options
 * carry a weight prior: variational fits are gmm_fit's alone, and so is
 * gmm_partial_fit's step) the model is unchanged. converged, n_iter and
 * lower_bound are left as they were. */
GMM_API gmm_status gmm_stats_mstep(gmm_model *model, const gmm_stats *stats,
                                   gmm_error *err);

/* sum w_i log p(x_i) and sum w_i of the rows accumulated: their ratio is
 * the mean log-likelihood, gmm_fit's lower bound when every row is in. */
GMM_API double gmm_stats_log_likelihood(const gmm_stats *stats);
GMM_API double gmm_stats_weight(const gmm_stats *stats);

/* The packed form (layout above): gmm_stats_size doubles. Unpacking
 * checks the count, that every value is finite and that the weight is
 * not negative. */
GMM_API size_t gmm_stats_size(const gmm_stats *stats);
GMM_API void gmm_stats_pack(const gmm_stats *stats, double *values);
GMM_API gmm_status gmm_stats_unpack(gmm_stats *stats, const double *values,
                                    size_t count, gmm_error *err);

/* Stepwise online EM (Cappe & Moulines 2009; Liang & Klein 2009), as
 * scikit-learn's partial_fit: one call per batch of rows (X, n_rows x
 * n_features, sample_weight NULL or as for gmm_stats_accumulate), the
 * model learning as rows arrive, each row read once. `state` holds the
 * running statistics (averaged per unit of weight), made by gmm_stats_new
 * for the model's K, type and the data's D, empty at first; keep it
 * between calls with the model (or pack it). With t the model's n_iter:
 *  - an unfitted model is first initialized from the batch, as gmm_fit
 *    initializes (init_params, seed; the batch needs max(2, K) rows);
 *  - the batch's statistics under the model, b (scaled to unit weight),
 *    enter the state: s = b when it is empty, else
 *    s = (1 - eta_t) s + eta_t b, eta_t = (t + online_t0)^(-online_alpha);
 *  - the M-step from s gives the new parameters (reg_covar as gmm_fit).
 * Then n_iter is t + 1, lower_bound the batch's mean log-likelihood under
 * the model before the step, converged 0. alpha 1 and t0 1 make s the
 * plain mean of the batches' statistics; alpha < 1 forgets old batches,
 * which were gathered under older parameters. On failure the model and
 * the state are unchanged. */
GMM_API gmm_status gmm_partial_fit(gmm_model *model, gmm_stats *state,
                                   const double *X, size_t n_rows,
                                   size_t n_features,
                                   const double *sample_weight,
                                   gmm_error *err);

/* ======================================================================== */
/* Fit data larger than memory, on one machine or many (MPI)                */
/* ======================================================================== */

/* gmm_fit on the rows of a NumPy .npy file (float64 or float32, either
 * byte order, C or Fortran order; a 1-D array is N rows of one feature),
 * without sample weights.
 *  - memory_limit > 0: the rows are streamed, read with pread window by
 *    window in every pass, so the rows held in memory stay below
 *    memory_limit bytes (all threads together) whatever the file's size.
 *    Too small for one chunk of 256 rows per thread: GMM_ERR_INVALID.
 *    memory_limit 0: the rows are read into memory first.
 *  - mpi_comm NULL: one process. The model is gmm_fit's on the same rows
 *    with the same options, bit for bit, for any memory_limit.
 *  - mpi_comm a pointer to an MPI_Comm: every rank of it calls gmm_fit_npy
 *    with the same arguments and options (each rank compares the file's
 *    shape and the options with rank 0's) and reads only its own share of
 *    the rows (rank r of P: rows [r*N/P, (r+1)*N/P)); sums over rows are
 *    added across ranks with MPI_Allreduce and every rank ends with the
 *    same model. It agrees with the one-process fit up to the order of
 *    summation (1e-12 relative in our tests), and is reproducible for a
 *    given seed and P. A failure on any rank (the file missing or
 *    different there, memory, a read, a progress callback that stops,
 *    different options) is returned on every rank, never leaving one
 *    waiting: where it happened with its own message, on the others with
 *    its status and "MPI rank R failed: <its message>" (R the lowest
 *    failed rank). Every rank returns having made the same MPI calls, so
 *    the communicator stays usable.
 *    GMM_ERR_UNSUPPORTED in a build without MPI.
 * Memory beyond the rows: the model, K*(1 + D + D^2) statistics per block,
 * and while initializing 8 bytes per row (k-means++ distances) plus 4
 * (k-means labels) when the rows are in memory; streamed rows have these
 * recomputed instead. */
GMM_API gmm_status gmm_fit_npy(gmm_model *model, const char *path,
                               size_t memory_limit, const void *mpi_comm,
                               gmm_error *err);

/* The shape of the matrix in a .npy file, from its header alone (a 1-D
 * array is N x 1): how a program learns the width of data it will stream.
 * GMM_ERR_FORMAT when the file is not a .npy file or its header is bad. */
GMM_API gmm_status gmm_npy_shape(const char *path, size_t *n_rows,
                                 size_t *n_cols, gmm_error *err);

/* ======================================================================== */
/* Use a fitted model                                                       */
/* ======================================================================== */

/* Each call below reads X as n_rows x n_features and fails with
 * GMM_ERR_DATA, naming both widths, when n_features is not the model's:
 * an array of another width would otherwise be read misaligned. */

/* Most probable component of each row (ties: the lowest index). */
GMM_API gmm_status gmm_predict(const gmm_model *model, const double *X,
                               size_t n_rows, size_t n_features, int *labels,
                               gmm_error *err);

/* Posterior probabilities, n_rows x K, each row summing to 1. */
GMM_API gmm_status gmm_predict_proba(const gmm_model *model, const double *X,
                                     size_t n_rows, size_t n_features,
                                     double *proba, gmm_error *err);

/* log p(x) of each row. */
GMM_API gmm_status gmm_score_samples(const gmm_model *model, const double *X,
                                     size_t n_rows, size_t n_features,
                                     double *log_prob, gmm_error *err);

/* Mean of log p(x) over the rows (scikit-learn's score). */
GMM_API gmm_status gmm_score(const gmm_model *model, const double *X,
                             size_t n_rows, size_t n_features,
                             double *mean_log_prob, gmm_error *err);

/* Bayesian and Akaike information criteria on X (lower is better):
 * -2 * n_rows * score + n_parameters * log(n_rows)  (or * 2 for AIC). */
GMM_API gmm_status gmm_bic(const gmm_model *model, const double *X,
                           size_t n_rows, size_t n_features, double *bic,
                           gmm_error *err);
GMM_API gmm_status gmm_aic(const gmm_model *model, const double *X,
                           size_t n_rows, size_t n_features, double *aic,
                           gmm_error *err);

/* Free parameters, counted as scikit-learn does (mclust's count of the
 * covariances for the models scikit-learn lacks):
 * covariance + K*D means + K-1 weights, less the parts the model's options
 * hold fixed (gmm_options.fixed, equal_weights). */
GMM_API size_t gmm_n_parameters(const gmm_model *model);

/* n_samples draws: X is n_samples x D, labels (may be NULL) n_samples.
 * As scikit-learn, the counts per component are multinomial and the rows
 * come grouped by component in index order. Reproducible with the seed. */
GMM_API gmm_status gmm_sample(const gmm_model *model, size_t n_samples,
                              uint64_t seed, double *X, int *labels,
                              gmm_error *err);

/* Fill in missing entries (NaN; whatever the model's missing option): out
 * (n_rows x n_features, may be X itself) is X with each row's missing
 * entries replaced by their conditional mean under the mixture given the
 * row's observed entries, sum_k p(k | x_o) E_k[x_m | x_o]. Complete rows
 * are copied as they are. Inf, and a row with every entry missing, are
 * GMM_ERR_DATA naming the row. */
GMM_API gmm_status gmm_impute(const gmm_model *model, const double *X,
                              size_t n_rows, size_t n_features, double *out,
                              gmm_error *err);

/* Multiple imputation: out (n_draws x n_rows x n_features) holds n_draws
 * copies of X, each missing entry of draw t drawn from the conditional
 * mixture: a component k with probability p(k | x_o), then the row's
 * missing entries together from N(E_k[x_m | x_o], Cov_k[x_m | x_o]).
 * Reproducible with the seed; row i's draws depend only on (seed, i). */
GMM_API gmm_status gmm_impute_draws(const gmm_model *model, const double *X,
                                    size_t n_rows, size_t n_features,
                                    size_t n_draws, uint64_t seed, double *out,
                                    gmm_error *err);

/* ======================================================================== */
/* Choose K and the covariance type                                         */
/* ======================================================================== */

typedef enum gmm_criterion {
    GMM_CRITERION_BIC,  /* gmm_bic: mclust's choice, with the opposite sign  */
    GMM_CRITERION_AIC   /* gmm_aic                                           */
} gmm_criterion;

/* "bic", "aic"; parse returns GMM_ERR_INVALID for an unknown name. */
GMM_API const char *gmm_criterion_name(gmm_criterion criterion);
GMM_API gmm_status gmm_criterion_parse(const char *name,
                                       gmm_criterion *criterion);

/* What gmm_select found for one (covariance type, K) pair. */
typedef struct gmm_select_entry {
    gmm_covariance_type covariance_type;
    size_t n_components;
    gmm_status status;   /* GMM_OK, or why this pair could not be fitted
                            (GMM_ERR_NUMERIC: a component collapsed;
                            GMM_ERR_DATA: fewer rows than components)        */
    double score;        /* the criterion on X (lower is better); NaN when
                            status is not GMM_OK                             */
    int converged;
    int n_iter;
} gmm_select_entry;

/* Fit every pair of types[0..n_types-1] x n_components[0..n_k-1] to X and
 * score it on X by the criterion (mclust's Mclust workflow). entries gets
 * n_types x n_k results, type-major. Each pair is fitted with `options`
 * (seed, n_init, init, tol, ...; their n_components and covariance_type
 * are replaced), so a pair's model is exactly gmm_fit's with those
 * options, whatever the number of threads: options->n_threads threads
 * (0: OpenMP's default) share out the pairs, one pair per thread.
 * *best_index (may be NULL) receives the index in entries of the pair
 * with the lowest score, the earlier pair on ties, and *best (may be NULL)
 * its model; a pair that cannot be fitted is reported in its entry, not as
 * a failure of the call. Fails with GMM_ERR_NUMERIC when no
 * pair could be fitted, GMM_ERR_INTERRUPTED when the progress callback
 * asked to stop, and GMM_ERR_INVALID for empty lists or K = 0, and for
 * options holding parameters fixed (their values are of one K and type;
 * equal_weights is passed on to every pair). */
GMM_API gmm_status gmm_select(const gmm_options *options,
                              const gmm_covariance_type *types, size_t n_types,
                              const size_t *n_components, size_t n_k,
                              gmm_criterion criterion, const double *X,
                              size_t n_rows, size_t n_features,
                              gmm_select_entry *entries, size_t *best_index,
                              gmm_model **best, gmm_error *err);

/* ======================================================================== */
/* Many small fits at once                                                  */
/* ======================================================================== */

/* Fit the mixture `options` specifies, independently, to each column of X
 * (n_rows x n_columns, row-major): column c's model is gmm_fit's on that
 * column alone (one feature, n_rows rows, sample_weight NULL or n_rows
 * weights shared by every column), with options (n_threads excepted), bit
 * for bit. The fits are shared out over options->n_threads threads (0:
 * OpenMP's default), one fit per thread at a time, each fit on one thread:
 * what tabular-data synthesizers need (one 1-D mixture per numeric
 * column), and anyone with thousands of small mixtures. models receives
 * n_columns models (free each with gmm_model_free) and statuses, unless
 * NULL, each fit's outcome: a column that cannot be fitted (GMM_ERR_DATA:
 * non-finite values or fewer rows than components; GMM_ERR_NUMERIC: a
 * collapsed covariance) gets a NULL model and its status, not a failure of
 * the call. The call fails, with no model left, for bad options
 * (GMM_ERR_INVALID), lack of memory, or when options->progress asked to
 * stop (GMM_ERR_INTERRUPTED; it is called after every iteration of every
 * fit, from the threads running them). */
GMM_API gmm_status gmm_fit_columns(const gmm_options *options, const double *X,
                                   size_t n_rows, size_t n_columns,
                                   const double *sample_weight,
                                   gmm_model **models, gmm_status *statuses,
                                   gmm_error *err);

/* ======================================================================== */
/* Look at a mixture: principal axes and projections                        */
/* ======================================================================== */

/* The principal axes of component k's covariance (any covariance type):
 * eigenvalues (D, descending) and unit eigenvectors (D x D, row i the
 * eigenvector of eigenvalue i). The ellipse of s standard deviations in
 * the plane of axes i and j is mean + s (sqrt(l_i) cos t v_i +
 * sqrt(l_j) sin t v_j); for D = 2 it is the density's contour at
 * Mahalanobis distance s. */
GMM_API gmm_status gmm_model_component_axes(const gmm_model *model,
                                            size_t component,
                                            double *eigenvalues,
                                            double *eigenvectors,
                                            gmm_error *err);

/* Principal component analysis of X (n_rows x n_features, n_rows >= 2):
 * the column means (n_features), the first n_dims principal directions
 * (n_dims x n_features, unit rows, by decreasing variance, each signed so
 * that its largest entry is positive) and their variances (n_dims, may be
 * NULL; divided by n_rows - 1). */
GMM_API gmm_status gmm_pca(const double *X, size_t n_rows, size_t n_features,
                           size_t n_dims, double *mean, double *basis,
                           double *variances, gmm_error *err);

/* Y = (X - origin) basis^T: n_rows x n_dims coordinates of the rows in a
 * basis (n_dims x n_features, e.g. from gmm_pca, or unit rows to pick
 * columns); origin is n_features values or NULL for zero. */
GMM_API void gmm_project_rows(const double *X, size_t n_rows, size_t n_features,
                              const double *origin, const double *basis,
                              size_t n_dims, double *Y);

/* The mixture seen through the same projection: the distribution of
 * (x - origin) basis^T when x follows the model. Same weights; means
 * basis (mean - origin); full covariances basis cov basis^T. The basis
 * rows must be linearly independent (else GMM_ERR_INVALID). */
GMM_API gmm_model *gmm_model_project(const gmm_model *model,
                                     const double *origin, const double *basis,
                                     size_t n_dims, gmm_error *err);

/* ======================================================================== */
/* Get parameters                                                           */
/* ======================================================================== */

GMM_API int gmm_model_is_fitted(const gmm_model *model);
GMM_API const gmm_options *gmm_model_options(const gmm_model *model);
GMM_API size_t gmm_model_n_components(const gmm_model *model);
/* n_features is 0 until the model is fitted. */
GMM_API size_t gmm_model_n_features(const gmm_model *model);
GMM_API gmm_covariance_type gmm_model_covariance_type(const gmm_model *model);

/* Number of doubles in the covariances / precisions array for this type:
 * K*D*D, D*D, K*D or K. */
GMM_API size_t gmm_model_covariance_size(const gmm_model *model);

/* weights K, means K x D, covariances as gmm_model_covariance_size says. */
GMM_API const double *gmm_model_weights(const gmm_model *model);
GMM_API const double *gmm_model_means(const gmm_model *model);
GMM_API const double *gmm_model_covariances(const gmm_model *model);
/* Cholesky factors of the precision matrices, scikit-learn's
 * precisions_cholesky_ (upper triangular for full/tied, stored row-major). */
GMM_API const double *gmm_model_precisions_cholesky(const gmm_model *model);

/* The variational posterior of a model fitted with a weight prior, and the
 * priors it was fitted with (scikit-learn's BayesianGaussianMixture
 * attributes; arrays owned by the model, as the getters above). For
 * weight_prior NONE the arrays are NULL and the numbers NaN. */
typedef struct gmm_posterior {
    gmm_weight_prior weight_prior;
    double weight_concentration_prior;  /* the priors used (defaults      */
    double mean_precision_prior;        /*  resolved on the data)         */
    double degrees_of_freedom_prior;
    const double *mean_prior;           /* D                              */
    const double *covariance_prior;     /* one block: D x D, D or 1       */
    /* weight_concentration_: dirichlet_process 2 x K (the Beta
     * distributions' first parameters, then their second), else K */
    const double *weight_concentration;
    const double *mean_precision;       /* K                              */
    const double *degrees_of_freedom;   /* K (tied: K equal values, one
                                           scalar in scikit-learn)        */
} gmm_posterior;

GMM_API void gmm_model_posterior(const gmm_model *model,
                                 gmm_posterior *posterior);

/* The fit's outcome: converged_, n_iter_ and lower_bound_ (-inf when no
 * EM iteration ran). */
GMM_API int gmm_model_converged(const gmm_model *model);
GMM_API int gmm_model_n_iter(const gmm_model *model);
GMM_API double gmm_model_lower_bound(const gmm_model *model);

/* ======================================================================== */
/* k-means (Lloyd's algorithm): EM with hard assignments                    */
/* ======================================================================== */

typedef enum gmm_kmeans_init {
    GMM_KMEANS_INIT_KMEANS_PLUSPLUS, /* greedy k-means++ (scikit-learn's)    */
    GMM_KMEANS_INIT_RANDOM           /* K distinct random rows               */
} gmm_kmeans_init;

typedef struct gmm_kmeans_options {
    size_t n_clusters;     /* K, default 8 (scikit-learn's)                  */
    gmm_kmeans_init init;  /* default k-means++                             */
    int n_init;            /* restarts, the lowest inertia is kept; 1       */
    int max_iter;          /* Lloyd iterations per restart; 300             */
    double tol;            /* stop when the centres move less than tol times
                              the mean feature variance (squared); 1e-4     */
    uint64_t seed;
    int n_threads;         /* 0 = OpenMP's default, at most GMM_MAX_THREADS;
                              results do not depend on it                   */
    /* Asked before each k-means++ seed and each Lloyd iteration whether
     * to stop (NULL: never): told n_iter 0 and nothing else, as a
     * gmm_options.progress poll. A non-zero return makes gmm_kmeans fail
     * with GMM_ERR_INTERRUPTED; centers and labels are then unspecified. */
    gmm_progress_fn progress;
    void *progress_user_data;
    /* Explicit initial centres, K x D (scikit-learn's init=array), or
     * NULL. When given, `init` is not used and one run is made whatever
     * n_init says (scikit-learn runs one too, with a warning). Read during
     * gmm_kmeans only. */
    const double *init_centers;
} gmm_kmeans_options;

GMM_API void gmm_kmeans_options_init(gmm_kmeans_options *options);

typedef struct gmm_kmeans_result {
    double inertia;  /* weighted sum of squared distances to the centre      */
    int n_iter;      /* Lloyd iterations of the kept restart                 */
    int converged;
} gmm_kmeans_result;

/* Cluster X: centers (K x D) and labels (n_rows, may be NULL) are outputs;
 * sample_weight may be NULL. result may be NULL. Fails with
 * GMM_ERR_INTERRUPTED when options->progress asked to stop. */
GMM_API gmm_status gmm_kmeans(const gmm_kmeans_options *options,
                              const double *X, size_t n_rows, size_t n_features,
                              const double *sample_weight, double *centers,
                              int *labels, gmm_kmeans_result *result,
                              gmm_error *err);

/* The nearest of n_clusters centres (K x D) to each row of X, as
 * gmm_kmeans labels its rows (ties: the lowest index): labels (n_rows) and,
 * unless NULL, each row's squared distance to it (scikit-learn's
 * KMeans.predict; minus their weighted sum is KMeans.score). n_threads: 0
 * for OpenMP's default, at most GMM_MAX_THREADS; the result does not
 * depend on it. */
GMM_API gmm_status gmm_kmeans_predict(const double *centers, size_t n_clusters,
                                      const double *X, size_t n_rows,
                                      size_t n_features, int n_threads,
                                      int *labels, double *distances,
                                      gmm_error *err);

/* ======================================================================== */
/* Files: data and models                                                   */
/* ======================================================================== */

/* A data matrix read from a file. */
typedef struct gmm_data {
    double *values;       /* n_rows x n_cols, row-major                      */
    size_t n_rows;
    size_t n_cols;
    char **column_names;  /* n_cols names from a CSV header, or NULL         */
} gmm_data;

/* Read a CSV file (header line optional and auto-detected; separators comma,
 * tab or blanks; CRLF accepted), or a NumPy .npy file (float64 or float32,
 * either byte order, C or Fortran order), chosen by the file's content.
 * path "-" reads CSV from standard input. NaN and Inf are rejected with the
 * row and column. On failure *data is left empty. */
GMM_API gmm_status gmm_data_read(const char *path, gmm_data *data,
                                 gmm_error *err);

/* gmm_data_read for data with missing values (gmm_missing): in CSV an
 * empty field, NA, or NaN in any case is missing, in .npy a NaN; each is
 * read as NaN. Infinity is still rejected with its row and column. */
GMM_API gmm_status gmm_data_read_missing(const char *path, gmm_data *data,
                                         gmm_error *err);

/* The same from memory; `name` is used in messages. */
GMM_API gmm_status gmm_data_parse_csv(const char *text, size_t size,
                                      const char *name, gmm_data *data,
                                      gmm_error *err);
GMM_API gmm_status gmm_data_parse_npy(const unsigned char *bytes, size_t size,
                                      const char *name, gmm_data *data,
                                      gmm_error *err);

GMM_API void gmm_data_free(gmm_data *data);

/* The model file: JSON with scikit-learn's attribute names
 *   {"covariance_type": "full", "n_components": K, "n_features": D,
 *    "weights": [..], "means": [[..]..], "covariances": [..],
 *    "converged": true, "n_iter": 12, "lower_bound": -1.23}
 * Numbers are written with 17 significant digits and read back exactly;
 * lower_bound is null when no EM iteration ran. Saving writes a temporary
 * file in the same folder and renames it, so a failure or an interruption
 * never leaves a partial model at `path`; a file replaced keeps its
 * permissions, a symbolic link is followed, a character device or FIFO is
 * written through, a folder is refused. Loading reads at most 4 GiB. */
GMM_API gmm_status gmm_model_save(const gmm_model *model, const char *path,
                                  gmm_error *err);
GMM_API gmm_model *gmm_model_load(const char *path, gmm_error *err);

/* The same to and from a string; gmm_model_to_json's result is freed with
 * free(). */
GMM_API char *gmm_model_to_json(const gmm_model *model, gmm_error *err);
/* The same text written to out as it is made, never held whole in memory
 * (the text of full covariances is some 2.6 times their size). Fails with
 * GMM_ERR_IO when out reports a write error (what was written is then
 * partial: write to a temporary file). */
GMM_API gmm_status gmm_model_write_json(const gmm_model *model, FILE *out,
                                        gmm_error *err);
GMM_API gmm_model *gmm_model_from_json(const char *text, size_t size,
                                       const char *name, gmm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* GMM_H */
