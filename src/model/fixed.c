/*
 * fixed.c — the rules of fixed parameters (fixed.h).
 */
#include "model/fixed.h"

#include <string.h>

#include "util/error.h"

static const struct {
    unsigned bit;
    const char *name;
    const char *init;  /* the option that gives its values */
} parts[] = {
    {GMM_FIX_WEIGHTS, "weights", "weights_init"},
    {GMM_FIX_MEANS, "means", "means_init"},
    {GMM_FIX_COVARIANCES, "covariances", "precisions_init or covariances_init"},
};
#define N_PARTS (sizeof parts / sizeof parts[0])

const char *gmm_fixed_name(unsigned bit)
{
    for (size_t i = 0; i < N_PARTS; i++)
        if (parts[i].bit == bit)
            return parts[i].name;
    return "unknown";
}

gmm_status gmm_fixed_parse(const char *names, unsigned *fixed)
{
    if (!names || !fixed)
        return GMM_ERR_INVALID;
    unsigned bits = 0;
    const char *name = names;
    for (;;) {
        size_t length = strcspn(name, ",");
        size_t i = 0;
        while (i < N_PARTS && !(strlen(parts[i].name) == length &&
                                strncmp(parts[i].name, name, length) == 0))
            i++;
        if (i == N_PARTS || (bits & parts[i].bit))
            return GMM_ERR_INVALID;
        bits |= parts[i].bit;
        if (name[length] == '\0')
            break;
        name += length + 1;
    }
    *fixed = bits;
    return GMM_OK;
}

int gmm_fixed_weights_held(const gmm_options *o)
{
    return (o->fixed & GMM_FIX_WEIGHTS) || o->equal_weights;
}

gmm_status gmm_fixed_validate_options(const gmm_options *o, gmm_error *err)
{
    if (o->fixed & ~GMM_FIX_ALL)
        return gmm_fail(err, GMM_ERR_INVALID, "fixed: unknown bits 0x%x (the "
                        "GMM_FIX_* bits are 0x%x)", o->fixed & ~GMM_FIX_ALL,
                        GMM_FIX_ALL);
    if (o->equal_weights != 0 && o->equal_weights != 1)
        return gmm_fail(err, GMM_ERR_INVALID, "equal_weights must be 0 or 1, "
                        "got %d", o->equal_weights);
    if (o->equal_weights && (o->fixed & GMM_FIX_WEIGHTS))
        return gmm_fail(err, GMM_ERR_INVALID, "equal_weights and fixed weights "
                        "both say what the weights are: give one of them");
    if (gmm_fixed_weights_held(o) &&
        (o->fixed & (GMM_FIX_MEANS | GMM_FIX_COVARIANCES)) ==
            (GMM_FIX_MEANS | GMM_FIX_COVARIANCES))
        return gmm_fail(err, GMM_ERR_INVALID, "every parameter is fixed "
                        "(weights%s, means and covariances): nothing is left "
                        "to fit; fix fewer", o->equal_weights ? " equal" : "");
    if ((o->fixed || o->equal_weights) && o->weight_prior != GMM_WEIGHT_PRIOR_NONE)
        return gmm_fail(err, GMM_ERR_INVALID, "fixed parameters and "
                        "equal_weights are EM's, not a variational fit's "
                        "(weight prior %s)", gmm_weight_prior_name(o->weight_prior));
    return GMM_OK;
}

gmm_status gmm_fixed_check_init(const gmm_options *o, gmm_error *err)
{
    const double *given[N_PARTS] = {
        o->weights_init, o->means_init,
        o->precisions_init ? o->precisions_init : o->covariances_init};
    for (size_t i = 0; i < N_PARTS; i++)
        if ((o->fixed & parts[i].bit) && !given[i])
            return gmm_fail(err, GMM_ERR_INVALID, "fixed %s need their values: "
                            "give %s (the command: --init-model)",
                            parts[i].name, parts[i].init);
    return GMM_OK;
}

size_t gmm_fixed_n_parameters(const gmm_options *o, size_t covariance,
                              size_t n_components, size_t n_features)
{
    size_t count = 0;
    if (!(o->fixed & GMM_FIX_COVARIANCES))
        count += covariance;
    if (!(o->fixed & GMM_FIX_MEANS))
        count += n_components * n_features;
    if (!gmm_fixed_weights_held(o))
        count += n_components - 1;
    return count;
}
