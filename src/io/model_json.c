/*
 * model_json.c — the model file's JSON: gmm_model_to_json and
 * gmm_model_from_json.
 *
 * The format is DESIGN.md's, with scikit-learn's attribute names, keys in
 * a fixed order:
 *   {"covariance_type", "n_components", "n_features", "weights", "means",
 *    "covariances", "converged", "n_iter", "lower_bound"}
 * and, for a variational fit, between "covariances" and "converged", its
 * posterior and priors with scikit-learn's attribute names (less their
 * trailing underscores): "weight_concentration_prior_type" (first: it
 * says the rest follow), "weight_concentration_prior",
 * "mean_precision_prior", "degrees_of_freedom_prior", "mean_prior",
 * "covariance_prior", "weight_concentration", "mean_precision",
 * "degrees_of_freedom". Reading them back gives the same predictions,
 * scores and warm starts.
 * and, for mclust's models that scikit-learn lacks, beside the K D x D
 * covariances (after them) their decomposition Sigma_k = volume_k D_k
 * diag(shape_k) D_k^T as mclust's decomp reports it: "volume" (K:
 * |Sigma_k|^(1/D)), "shape" (K x D, descending, product 1) and
 * "orientation" (K x D x D, D_k with the axes as columns). They are
 * derived, so reading ignores them.
 * and, for a fit that held parameters fixed (gmm_options.fixed,
 * equal_weights), before "converged": "fixed" (the fixed parts' names,
 * ["weights", "means"]) and "equal_weights": true, each only when set (so
 * other files are unchanged); read back into the model's options, which
 * count its free parameters, strictly: distinct known names, a boolean,
 * a combination a fit accepts, and equal weights that are 1 / K.
 * Writing is done by hand rather than with jansson's dumper so that each
 * matrix row sits on one line (jansson would put every number on its own)
 * and numbers are exactly "%.17g", which reads back bit-exact: write, read,
 * write gives identical bytes. Reading uses jansson and checks every field
 * and shape before anything is allocated from it, naming the field at
 * fault; the parameters themselves are then validated by
 * gmm_model_from_params, as scikit-learn validates its *_init arguments.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream, newlocale, uselocale */

#include <jansson.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/message.h"
#include "model/covariance.h"
#include "model/fixed.h"
#include "model/model.h"
#include "model/variational.h"
#include "util/error.h"

#define MAX_SHAPE_DIMS 3
#define INDENT_STEP 2

/* The shape of each array in the file, with the name of each dimension
 * for messages. */
typedef struct array_shape {
    int n_dims;
    size_t dims[MAX_SHAPE_DIMS];
    const char *dim_names[MAX_SHAPE_DIMS];
} array_shape;

static array_shape covariance_shape(gmm_covariance_type type, size_t n_components,
                                    size_t n_features)
{
    array_shape shape;
    shape.n_dims = gmm_covariance_shape(type, n_components, n_features,
                                        shape.dims, shape.dim_names);
    return shape;
}

static size_t shape_size(const array_shape *shape)
{
    size_t size = 1;
    for (int i = 0; i < shape->n_dims; i++)
        size *= shape->dims[i];
    return size;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */
/* ------------------------------------------------------------------------ */

/* A nested array, its innermost dimension on one line. */
static void write_array(FILE *out, const double *values, const size_t *dims,
                        int n_dims, int indent)
{
    fputc('[', out);
    if (n_dims == 1) {
        for (size_t i = 0; i < dims[0]; i++)
            fprintf(out, i ? ", %.17g" : "%.17g", values[i]);
        fputc(']', out);
        return;
    }
    size_t stride = 1;
    for (int i = 1; i < n_dims; i++)
        stride *= dims[i];
    for (size_t i = 0; i < dims[0]; i++) {
        fprintf(out, "%s\n%*s", i ? "," : "", indent + INDENT_STEP, "");
        write_array(out, values + i * stride, dims + 1, n_dims - 1, indent + INDENT_STEP);
    }
    fprintf(out, "\n%*s]", indent, "");
}

static void write_field(FILE *out, const char *key, const double *values,
                        const array_shape *shape)
{
    fprintf(out, "  \"%s\": ", key);
    write_array(out, values, shape->dims, shape->n_dims, INDENT_STEP);
    fputs(",\n", out);
}

/* volume, shape and orientation of every component (see above); -1 when
 * out of memory. */
static int write_decomposition(FILE *out, const gmm_model *model)
{
    size_t k_count = gmm_model_n_components(model), d = gmm_model_n_features(model);
    double *volume = malloc((k_count * (1 + d + d * d) + d * d) * sizeof *volume);
    if (!volume)
        return -1;
    double *shape = volume + k_count, *orientation = shape + k_count * d;
    double *rows = orientation + k_count * d * d;
    for (size_t k = 0; k < k_count; k++) {
        double *values = shape + k * d, *axes = orientation + k * d * d;
        if (gmm_model_component_axes(model, k, values, rows, NULL) != GMM_OK) {
            free(volume);
            return -1;
        }
        double log_sum = 0.0;
        for (size_t j = 0; j < d; j++)
            log_sum += log(values[j]);
        volume[k] = exp(log_sum / (double)d);
        for (size_t i = 0; i < d; i++) {
            values[i] /= volume[k];
            for (size_t j = 0; j < d; j++)
                axes[i * d + j] = rows[j * d + i];
        }
    }
    array_shape volume_shape = {1, {k_count}, {NULL}};
    array_shape shape_shape = {2, {k_count, d}, {NULL}};
    array_shape orientation_shape = {3, {k_count, d, d}, {NULL}};
    write_field(out, "volume", volume, &volume_shape);
    write_field(out, "shape", shape, &shape_shape);
    write_field(out, "orientation", orientation, &orientation_shape);
    free(volume);
    return 0;
}

/* The shapes of a posterior's arrays for k components of d features:
 * covariance_prior is one block of the covariance layout (D x D, D, or a
 * number: n_dims 0). */
typedef struct posterior_shapes {
    array_shape mean_prior, covariance_prior, concentration, per_component;
} posterior_shapes;

static posterior_shapes shapes_of_posterior(gmm_covariance_type type,
                                            gmm_weight_prior prior, size_t k,
                                            size_t d)
{
    gmm_covariance_block block = gmm_covariance_model_of(type)->covariances.block;
    posterior_shapes s = {
        {1, {d}, {"n_features"}},
        {block == GMM_COVARIANCE_BLOCK_MATRIX ? 2
                                              : block == GMM_COVARIANCE_BLOCK_DIAGONAL,
         {d, d}, {"n_features", "n_features"}},
        {1, {k}, {"n_components"}},
        {1, {k}, {"n_components"}}};
    if (prior == GMM_WEIGHT_PRIOR_DIRICHLET_PROCESS)
        s.concentration = (array_shape){2, {2, k}, {"2", "n_components"}};
    return s;
}

static void write_posterior(FILE *out, const gmm_model *model)
{
    gmm_posterior p;
    gmm_model_posterior(model, &p);
    posterior_shapes s = shapes_of_posterior(
        gmm_model_covariance_type(model), p.weight_prior,
        gmm_model_n_components(model), gmm_model_n_features(model));
    fprintf(out, "  \"weight_concentration_prior_type\": \"%s\",\n",
            gmm_weight_prior_name(p.weight_prior));
    fprintf(out, "  \"weight_concentration_prior\": %.17g,\n"
                 "  \"mean_precision_prior\": %.17g,\n"
                 "  \"degrees_of_freedom_prior\": %.17g,\n",
            p.weight_concentration_prior, p.mean_precision_prior,
            p.degrees_of_freedom_prior);
    write_field(out, "mean_prior", p.mean_prior, &s.mean_prior);
    if (s.covariance_prior.n_dims == 0)
        fprintf(out, "  \"covariance_prior\": %.17g,\n", p.covariance_prior[0]);
    else
        write_field(out, "covariance_prior", p.covariance_prior, &s.covariance_prior);
    write_field(out, "weight_concentration", p.weight_concentration, &s.concentration);
    write_field(out, "mean_precision", p.mean_precision, &s.per_component);
    write_field(out, "degrees_of_freedom", p.degrees_of_freedom, &s.per_component);
}

/* The fixed parts and equal weights, when there are any (see above). */
static void write_fixed(FILE *out, const gmm_options *o)
{
    if (o->fixed) {
        fputs("  \"fixed\": [", out);
        const char *separator = "";
        for (unsigned bit = 1; bit <= GMM_FIX_ALL; bit <<= 1)
            if (o->fixed & bit) {
                fprintf(out, "%s\"%s\"", separator, gmm_fixed_name(bit));
                separator = ", ";
            }
        fputs("],\n", out);
    }
    if (o->equal_weights)
        fputs("  \"equal_weights\": true,\n", out);
}

static int write_model(FILE *out, const gmm_model *model)
{
    size_t n_components = gmm_model_n_components(model);
    size_t n_features = gmm_model_n_features(model);
    gmm_covariance_type type = gmm_model_covariance_type(model);
    array_shape weights_shape = {1, {n_components}, {NULL}};
    array_shape means_shape = {2, {n_components, n_features}, {NULL}};
    array_shape covariances_shape = covariance_shape(type, n_components, n_features);

    fprintf(out, "{\n  \"covariance_type\": \"%s\",\n", gmm_covariance_type_name(type));
    fprintf(out, "  \"n_components\": %zu,\n  \"n_features\": %zu,\n", n_components, n_features);
    write_field(out, "weights", gmm_model_weights(model), &weights_shape);
    write_field(out, "means", gmm_model_means(model), &means_shape);
    write_field(out, "covariances", gmm_model_covariances(model), &covariances_shape);
    const gmm_covariance_model *entry = gmm_covariance_model_of(type);
    if (strcmp(entry->name, entry->mclust_name) == 0 &&
        write_decomposition(out, model) != 0)
        return -1;
    if (model->params.posterior.storage)
        write_posterior(out, model);
    write_fixed(out, gmm_model_options(model));
    fprintf(out, "  \"converged\": %s,\n  \"n_iter\": %d,\n",
            gmm_model_converged(model) ? "true" : "false", gmm_model_n_iter(model));
    double lower_bound = gmm_model_lower_bound(model);
    if (isinf(lower_bound))
        fputs("  \"lower_bound\": null\n}\n", out);
    else
        fprintf(out, "  \"lower_bound\": %.17g\n}\n", lower_bound);
    return 0;
}

/* JSON has no NaN or infinity; the only non-finite value with a spelling
 * is lower_bound's -inf (null). */
static gmm_status check_writable(const gmm_model *model, gmm_error *err)
{
    const struct { const char *name; const double *values; size_t count; } arrays[] = {
        {"weights", gmm_model_weights(model), gmm_model_n_components(model)},
        {"means", gmm_model_means(model),
         gmm_model_n_components(model) * gmm_model_n_features(model)},
        {"covariances", gmm_model_covariances(model), gmm_model_covariance_size(model)},
    };
    for (size_t a = 0; a < sizeof arrays / sizeof arrays[0]; a++)
        for (size_t i = 0; i < arrays[a].count; i++)
            if (!isfinite(arrays[a].values[i]))
                return gmm_fail(err, GMM_ERR_NUMERIC,
                                "cannot save the model: %s[%zu] is not finite",
                                arrays[a].name, i);
    double lower_bound = gmm_model_lower_bound(model);
    if (isnan(lower_bound) || lower_bound == INFINITY)
        return gmm_fail(err, GMM_ERR_NUMERIC,
                        "cannot save the model: lower_bound is %g", lower_bound);
    return GMM_OK;
}

/* What both writers check before a byte is written. */
static gmm_status check_model(const gmm_model *model, const char *caller,
                              gmm_error *err)
{
    if (!model)
        return gmm_fail(err, GMM_ERR_INVALID, "%s: NULL model", caller);
    if (!gmm_model_is_fitted(model))
        return gmm_fail(err, GMM_ERR_NOT_FITTED, "cannot save the model: it has "
                        "no parameters yet (fit it first)");
    return check_writable(model, err);
}

/* The model into out in the C locale: "%.17g" follows LC_NUMERIC, and a
 * program that set a locale with a decimal comma must still get JSON.
 * uselocale changes only this thread's locale, and only until we restore
 * it. Returns 0 when out of memory (for the locale, or for a model's
 * decomposition). */
static int write_in_c_locale(FILE *out, const gmm_model *model)
{
    locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c_locale)
        return 0;
    locale_t previous = uselocale(c_locale);
    int failed = write_model(out, model) != 0;
    uselocale(previous);
    freelocale(c_locale);
    return !failed;
}

char *gmm_model_to_json(const gmm_model *model, gmm_error *err)
{
    if (check_model(model, "gmm_model_to_json", err) != GMM_OK)
        return NULL;
    char *json = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&json, &size);
    int written = out && write_in_c_locale(out, model);
    int failed = !written || ferror(out);
    if (out && (fclose(out) != 0 || failed)) {
        free(json);
        json = NULL;
    }
    if (!json) {
        gmm_fail(err, GMM_ERR_NOMEM, "cannot save the model: out of memory");
        return NULL;
    }
    gmm_error_clear(err);
    return json;
}

gmm_status gmm_model_write_json(const gmm_model *model, FILE *out,
                                gmm_error *err)
{
    gmm_status status = check_model(model, "gmm_model_write_json", err);
    if (status == GMM_OK && !out)
        status = gmm_fail(err, GMM_ERR_INVALID, "gmm_model_write_json: NULL stream");
    if (status != GMM_OK)
        return status;
    if (!write_in_c_locale(out, model))
        return gmm_fail(err, GMM_ERR_NOMEM, "cannot save the model: out of memory");
    if (ferror(out))
        return gmm_fail(err, GMM_ERR_IO, "cannot save the model: writing failed");
    gmm_error_clear(err);
    return GMM_OK;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct model_reader {
    const char *name;
    json_t *root;
    gmm_error *err;
} model_reader;

/* What a JSON value is, for "expected X, found Y" messages. */
static void describe(const json_t *value, char *text, size_t text_size)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT: snprintf(text, text_size, "an object"); break;
    case JSON_ARRAY:
        snprintf(text, text_size, "an array of %zu", json_array_size(value));
        break;
    case JSON_STRING: {
        char quote[IO_QUOTE_SIZE];
        io_quote(quote, json_string_value(value), json_string_length(value));
        snprintf(text, text_size, "the string %s", quote);
        break;
    }
    case JSON_INTEGER:
    case JSON_REAL:
        snprintf(text, text_size, "%.17g", json_number_value(value));
        break;
    case JSON_TRUE: snprintf(text, text_size, "true"); break;
    case JSON_FALSE: snprintf(text, text_size, "false"); break;
    case JSON_NULL: snprintf(text, text_size, "null"); break;
    }
}

static gmm_status fail_field(const model_reader *reader, const char *field,
                             const char *expected, const json_t *found)
{
    char found_text[IO_QUOTE_SIZE + 16];
    describe(found, found_text, sizeof found_text);
    return gmm_fail(reader->err, GMM_ERR_FORMAT, "%s: %s: expected %s, found %s",
                    reader->name, field, expected, found_text);
}

/* The member `key`, or NULL; a missing required key is an error. */
static gmm_status get_member(const model_reader *reader, const char *key,
                             int required, json_t **value)
{
    *value = json_object_get(reader->root, key);
    if (!*value && required)
        return gmm_fail(reader->err, GMM_ERR_FORMAT, "%s: missing \"%s\"",
                        reader->name, key);
    return GMM_OK;
}

/* An integer in [minimum, maximum]. Numbers arrive as doubles
 * (JSON_DECODE_INT_AS_REAL), so integral values are checked here. */
static gmm_status read_integer(const model_reader *reader, const char *key,
                               double minimum, double maximum, double *value)
{
    json_t *member;
    gmm_status status = get_member(reader, key, 1, &member);
    if (status != GMM_OK)
        return status;
    double number = json_is_number(member) ? json_number_value(member) : NAN;
    if (!(number >= minimum && number <= maximum && number == floor(number))) {
        char expected[64];
        snprintf(expected, sizeof expected, "an integer from %.0f to %.0f", minimum, maximum);
        return fail_field(reader, key, expected, member);
    }
    *value = number;
    return GMM_OK;
}

static gmm_status read_covariance_type(const model_reader *reader,
                                       gmm_covariance_type *type)
{
    json_t *member;
    gmm_status status = get_member(reader, "covariance_type", 1, &member);
    if (status != GMM_OK)
        return status;
    if (!json_is_string(member)
        || strlen(json_string_value(member)) != json_string_length(member)
        || gmm_covariance_type_parse(json_string_value(member), type) != GMM_OK)
        return fail_field(reader, "covariance_type",
                          "a covariance type (full, tied, diag, spherical or "
                          "one of mclust's names, such as VVV)", member);
    return GMM_OK;
}

/* Check (values == NULL) or copy a nested array of numbers of this shape.
 * `path` holds the field's name and grows by "[i]" as we descend, so that
 * messages point at the exact entry. */
static gmm_status walk_array(const model_reader *reader, const json_t *array,
                             const array_shape *shape, int depth, char *path,
                             size_t path_size, double *values)
{
    char expected[96];
    if (!json_is_array(array) || json_array_size(array) != shape->dims[depth]) {
        snprintf(expected, sizeof expected, "an array of %zu (%s)",
                 shape->dims[depth], shape->dim_names[depth]);
        return fail_field(reader, path, expected, array);
    }
    size_t stride = 1;
    for (int i = depth + 1; i < shape->n_dims; i++)
        stride *= shape->dims[i];
    size_t path_length = strlen(path);
    for (size_t i = 0; i < shape->dims[depth]; i++) {
        const json_t *item = json_array_get(array, i);
        snprintf(path + path_length, path_size - path_length, "[%zu]", i);
        gmm_status status = GMM_OK;
        if (depth + 1 < shape->n_dims)
            status = walk_array(reader, item, shape, depth + 1, path, path_size,
                                values ? values + i * stride : NULL);
        else if (!json_is_number(item) || !isfinite(json_number_value(item)))
            status = fail_field(reader, path, "a finite number", item);
        else if (values)
            values[i] = json_number_value(item);
        if (status != GMM_OK)
            return status;
    }
    path[path_length] = '\0';
    return GMM_OK;
}

/* A required array of this shape, validated in full before it is
 * allocated: the declared sizes may be anything, the JSON arrays bound
 * what is allocated. */
static gmm_status read_array(const model_reader *reader, const char *key,
                             const array_shape *shape, double **values)
{
    json_t *member;
    gmm_status status = get_member(reader, key, 1, &member);
    if (status != GMM_OK)
        return status;
    char path[GMM_ERROR_MESSAGE_SIZE / 4];
    snprintf(path, sizeof path, "%s", key);
    if ((status = walk_array(reader, member, shape, 0, path, sizeof path, NULL)) != GMM_OK)
        return status;
    *values = malloc(shape_size(shape) * sizeof **values);
    if (!*values)
        return gmm_fail(reader->err, GMM_ERR_NOMEM, "%s: out of memory for \"%s\"",
                        reader->name, key);
    return walk_array(reader, member, shape, 0, path, sizeof path, *values);
}

/* converged, n_iter and lower_bound are optional, so that a hand-written
 * initial model (--init-model) needs only the parameters. */
static gmm_status read_fit_info(const model_reader *reader, int *converged,
                                int *n_iter, double *lower_bound)
{
    json_t *member;
    get_member(reader, "converged", 0, &member);
    if (member && !json_is_boolean(member))
        return fail_field(reader, "converged", "true or false", member);
    *converged = member && json_is_true(member);

    get_member(reader, "n_iter", 0, &member);
    double number = 0;
    if (member) {
        gmm_status status = read_integer(reader, "n_iter", 0, INT_MAX, &number);
        if (status != GMM_OK)
            return status;
    }
    *n_iter = (int)number;

    get_member(reader, "lower_bound", 0, &member);
    *lower_bound = -INFINITY;
    if (member && !json_is_null(member)) {
        if (!json_is_number(member) || !isfinite(json_number_value(member)))
            return fail_field(reader, "lower_bound", "a finite number or null", member);
        *lower_bound = json_number_value(member);
    }
    return GMM_OK;
}

/* A positive finite number (a prior's). */
static gmm_status read_positive(const model_reader *reader, const char *key,
                                double *value)
{
    json_t *member;
    gmm_status status = get_member(reader, key, 1, &member);
    if (status != GMM_OK)
        return status;
    double number = json_is_number(member) ? json_number_value(member) : NAN;
    if (!(number > 0.0 && isfinite(number)))
        return fail_field(reader, key, "a finite number > 0", member);
    *value = number;
    return GMM_OK;
}

/* An array of this shape into values (its size known); a shape of no
 * dimensions is one number. */
static gmm_status read_into(const model_reader *reader, const char *key,
                            const array_shape *shape, double *values)
{
    if (shape->n_dims == 0)
        return read_positive(reader, key, values);
    double *read = NULL;
    gmm_status status = read_array(reader, key, shape, &read);
    if (status == GMM_OK)
        memcpy(values, read, shape_size(shape) * sizeof *values);
    free(read);
    return status;
}

/* The posterior of a variational model, when the file has one (its
 * "weight_concentration_prior_type"): read into the model, its options
 * set to its weight prior and priors (so that a warm start continues it),
 * and validated as a posterior must be (concentrations, mean precisions
 * positive, degrees of freedom above D - 1). */
static gmm_status read_posterior(const model_reader *reader, gmm_model *model)
{
    json_t *member;
    get_member(reader, "weight_concentration_prior_type", 0, &member);
    if (!member)
        return GMM_OK;
    gmm_weight_prior prior;
    if (!json_is_string(member)
        || strlen(json_string_value(member)) != json_string_length(member)
        || gmm_weight_prior_parse(json_string_value(member), &prior) != GMM_OK
        || prior == GMM_WEIGHT_PRIOR_NONE)
        return fail_field(reader, "weight_concentration_prior_type",
                          "\"dirichlet_process\" or \"dirichlet_distribution\"",
                          member);
    gmm_params *params = &model->params;
    size_t k = params->n_components, d = params->n_features;
    gmm_status status = gmm_params_alloc_posterior(params, prior, reader->err);
    if (status != GMM_OK)
        return status;
    gmm_params_posterior *p = &params->posterior;
    posterior_shapes s = shapes_of_posterior(params->covariance_type, prior, k, d);
    if ((status = read_positive(reader, "weight_concentration_prior",
                                &p->weight_concentration_prior)) != GMM_OK ||
        (status = read_positive(reader, "mean_precision_prior",
                                &p->mean_precision_prior)) != GMM_OK ||
        (status = read_positive(reader, "degrees_of_freedom_prior",
                                &p->degrees_of_freedom_prior)) != GMM_OK ||
        (status = read_into(reader, "mean_prior", &s.mean_prior, p->mean_prior)) != GMM_OK ||
        (status = read_into(reader, "covariance_prior", &s.covariance_prior,
                            p->covariance_prior)) != GMM_OK ||
        (status = read_into(reader, "weight_concentration", &s.concentration,
                            p->weight_concentration)) != GMM_OK ||
        (status = read_into(reader, "mean_precision", &s.per_component,
                            p->mean_precision)) != GMM_OK ||
        (status = read_into(reader, "degrees_of_freedom", &s.per_component,
                            p->degrees_of_freedom)) != GMM_OK)
        return status;
    size_t n_concentration = shape_size(&s.concentration);
    for (size_t i = 0; i < n_concentration; i++)
        if (!(p->weight_concentration[i] > 0.0))
            return gmm_fail(reader->err, GMM_ERR_FORMAT, "%s: weight_concentration: "
                            "value %zu is %.17g; concentrations must be > 0",
                            reader->name, i, p->weight_concentration[i]);
    for (size_t i = 0; i < k; i++)
        if (!(p->mean_precision[i] > 0.0) || !(p->degrees_of_freedom[i] > (double)d - 1.0))
            return gmm_fail(reader->err, GMM_ERR_FORMAT, "%s: component %zu: "
                            "mean_precision %.17g must be > 0 and "
                            "degrees_of_freedom %.17g > %zu", reader->name, i,
                            p->mean_precision[i], p->degrees_of_freedom[i], d - 1);
    gmm_variational_set_log_weights(params);
    model->options.weight_prior = prior;
    model->options.weight_concentration_prior = p->weight_concentration_prior;
    model->options.mean_precision_prior = p->mean_precision_prior;
    model->options.degrees_of_freedom_prior = p->degrees_of_freedom_prior;
    return GMM_OK;
}

/* The weights a file's equal_weights promises are 1 / K to this much
 * (the weights' sum is held to the same, as scikit-learn's check). */
#define EQUAL_WEIGHTS_TOLERANCE 1e-8

/* "fixed" and "equal_weights", both optional, into the model's options
 * (see above). */
static gmm_status read_fixed(const model_reader *reader, gmm_model *model)
{
    json_t *member;
    gmm_options *o = &model->options;
    get_member(reader, "fixed", 0, &member);
    if (member && !json_is_array(member))
        return fail_field(reader, "fixed", "an array of \"weights\", "
                          "\"means\", \"covariances\"", member);
    for (size_t i = 0; member && i < json_array_size(member); i++) {
        const json_t *item = json_array_get(member, i);
        unsigned bit = 0;
        char path[32];
        snprintf(path, sizeof path, "fixed[%zu]", i);
        if (!json_is_string(item)
            || strlen(json_string_value(item)) != json_string_length(item)
            || strchr(json_string_value(item), ',')
            || gmm_fixed_parse(json_string_value(item), &bit) != GMM_OK
            || (o->fixed & bit))
            return fail_field(reader, path, "\"weights\", \"means\" or "
                              "\"covariances\", each at most once", item);
        o->fixed |= bit;
    }
    get_member(reader, "equal_weights", 0, &member);
    if (member && !json_is_boolean(member))
        return fail_field(reader, "equal_weights", "true or false", member);
    o->equal_weights = member && json_is_true(member);
    gmm_error inner = {GMM_OK, ""};
    if (gmm_fixed_validate_options(o, &inner) != GMM_OK)
        return gmm_fail(reader->err, GMM_ERR_FORMAT, "%s: %s", reader->name,
                        inner.message);
    size_t k = model->params.n_components;
    for (size_t i = 0; o->equal_weights && i < k; i++)
        if (!(fabs(model->params.weights[i] - 1.0 / (double)k) <=
              EQUAL_WEIGHTS_TOLERANCE))
            return gmm_fail(reader->err, GMM_ERR_FORMAT, "%s: equal_weights "
                            "is true but weights[%zu] is %.17g, not 1/%zu",
                            reader->name, i, model->params.weights[i], k);
    return GMM_OK;
}

/* Declared sizes are capped only by what can be indexed; the arrays that
 * follow must then really hold that many numbers. */
#define MAX_DECLARED_SIZE 1e15

static gmm_model *build_model(const model_reader *reader)
{
    gmm_covariance_type type;
    double n_components, n_features;
    if (read_covariance_type(reader, &type) != GMM_OK
        || read_integer(reader, "n_components", 1, MAX_DECLARED_SIZE, &n_components) != GMM_OK
        || read_integer(reader, "n_features", 1, MAX_DECLARED_SIZE, &n_features) != GMM_OK)
        return NULL;
    size_t k = (size_t)n_components, d = (size_t)n_features;
    array_shape weights_shape = {1, {k}, {"n_components"}};
    array_shape means_shape = {2, {k, d}, {"n_components", "n_features"}};
    array_shape covariances_shape = covariance_shape(type, k, d);
    double *weights = NULL, *means = NULL, *covariances = NULL;
    int converged = 0, n_iter = 0;
    double lower_bound = -INFINITY;
    gmm_model *model = NULL;
    if (read_array(reader, "weights", &weights_shape, &weights) == GMM_OK
        && read_array(reader, "means", &means_shape, &means) == GMM_OK
        && read_array(reader, "covariances", &covariances_shape, &covariances) == GMM_OK
        && read_fit_info(reader, &converged, &n_iter, &lower_bound) == GMM_OK) {
        gmm_error inner = {GMM_OK, ""};
        model = gmm_model_from_params(k, d, type, weights, means, covariances, &inner);
        if (model && (read_posterior(reader, model) != GMM_OK ||
                      read_fixed(reader, model) != GMM_OK)) {
            gmm_model_free(model);
            model = NULL;
        } else if (model)
            gmm_model_set_fit_info(model, converged, n_iter, lower_bound);
        else /* bad parameters in a file make a malformed file */
            gmm_fail(reader->err,
                     inner.status == GMM_ERR_INVALID ? GMM_ERR_FORMAT : inner.status,
                     "%s: %s", reader->name, inner.message);
    }
    free(weights);
    free(means);
    free(covariances);
    return model;
}

/* Did jansson fail for want of memory? It leaves the message empty when
 * building a value fails, and sets json_error_out_of_memory elsewhere. */
static int out_of_memory(const json_error_t *error)
{
    return error->text[0] == '\0' ||
           json_error_code(error) == json_error_out_of_memory;
}

/* Parse, or fail with the reason in err. Jansson reports a failed
 * allocation inside its lexer as a syntax error at that token, so a syntax
 * error is confirmed by a second parse: a real one is deterministic and
 * comes back, one caused by memory usually does not (a success or an
 * out-of-memory report then). The second costs nothing on good files. */
static json_t *parse_json(const char *text, size_t size, const char *name,
                          gmm_error *err)
{
    json_error_t error;
    json_t *root = NULL;
    for (int attempt = 0; attempt < 2 && !root; attempt++) {
        root = json_loadb(text, size,
                          JSON_DECODE_INT_AS_REAL | JSON_REJECT_DUPLICATES, &error);
        if (!root && out_of_memory(&error)) {
            gmm_fail(err, GMM_ERR_NOMEM, "%s: out of memory reading the model",
                     name);
            return NULL;
        }
    }
    if (!root)
        gmm_fail(err, GMM_ERR_FORMAT, "%s: line %d, column %d: not valid JSON: %s",
                 name, error.line, error.column, error.text);
    return root;
}

gmm_model *gmm_model_from_json(const char *text, size_t size, const char *name,
                               gmm_error *err)
{
    name = name ? name : "<model>";
    if (!text && size > 0) {
        gmm_fail(err, GMM_ERR_INVALID, "gmm_model_from_json: NULL text");
        return NULL;
    }
    /* Some editors write one; JSON (RFC 8259) has none, and jansson would
     * call it an invalid token without saying which. */
    if (size >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        gmm_fail(err, GMM_ERR_FORMAT, "%s: starts with a UTF-8 byte order mark "
                 "(bytes EF BB BF), which JSON does not allow; save the file "
                 "as UTF-8 without it", name);
        return NULL;
    }
    json_t *root = parse_json(text ? text : "", size, name, err);
    if (!root)
        return NULL;
    gmm_model *model = NULL;
    if (!json_is_object(root))
        gmm_fail(err, GMM_ERR_FORMAT, "%s: expected a JSON object {...} describing a model",
                 name);
    else
        model = build_model(&(model_reader){name, root, err});
    json_decref(root);
    if (model)
        gmm_error_clear(err);
    return model;
}
