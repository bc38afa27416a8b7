/*
 * covariance.c — the table of covariance models (covariance.h), and what
 * is derived from an entry alone: names, sizes, shapes.
 */
#include "model/covariance.h"

#include <string.h>

#include "kernels/layout.h"
#include "model/mstep.h"

/* The count of a model whose every stored value is free but for a
 * matrix's symmetry: D(D + 1)/2 per matrix, D per diagonal, 1 per scalar,
 * times the blocks. */
static size_t stored_parameters(const gmm_covariance_model *model,
                                size_t n_components, size_t n_features)
{
    gmm_covariance_layout layout = model->covariances;
    size_t per_block = gmm_layout_is_matrix(layout)
                           ? n_features * (n_features + 1) / 2
                           : gmm_layout_block_size(layout, n_features);
    return gmm_layout_n_blocks(layout, n_components) * per_block;
}

/* mclust's nVarParams for Sigma_k = lambda_k D_k A_k D_k^T: a volume is
 * 1 value, a shape d - 1 (det A = 1), an orientation d(d - 1)/2; each
 * once (E) or per component (V); I has neither shape nor orientation. */
static size_t mclust_parameters(const gmm_covariance_model *model,
                                size_t n_components, size_t n_features)
{
    const char *name = model->mclust_name;
    size_t d = n_features, g = n_components;
    size_t per[3] = {1, d - 1, d * (d - 1) / 2}, count = 0;
    for (int part = 0; part < 3; part++)
        count += name[part] == 'I' ? 0 : name[part] == 'E' ? per[part]
                                                           : g * per[part];
    return count;
}

#define MATRICES {GMM_COVARIANCE_BLOCK_MATRIX, 0}
#define SHARED_MATRIX {GMM_COVARIANCE_BLOCK_MATRIX, 1}
#define DIAGONALS {GMM_COVARIANCE_BLOCK_DIAGONAL, 0}
#define SCALARS {GMM_COVARIANCE_BLOCK_SCALAR, 0}
#define MCLUST(TYPE, NAME, STATISTICS, DRAWN, MSTEP)                          \
    [TYPE] = {TYPE, NAME, NAME, MATRICES, STATISTICS, DRAWN, mclust_parameters, \
              MSTEP}

/* Indexed by gmm_covariance_type. */
static const gmm_covariance_model models[] = {
    [GMM_COVARIANCE_FULL] = {GMM_COVARIANCE_FULL, "full", "VVV", MATRICES,
                             MATRICES, MATRICES, stored_parameters,
                             gmm_mstep_full},
    [GMM_COVARIANCE_TIED] = {GMM_COVARIANCE_TIED, "tied", "EEE", SHARED_MATRIX,
                             SHARED_MATRIX, SHARED_MATRIX, stored_parameters,
                             gmm_mstep_tied},
    [GMM_COVARIANCE_DIAG] = {GMM_COVARIANCE_DIAG, "diag", "VVI", DIAGONALS,
                             DIAGONALS, DIAGONALS, stored_parameters,
                             gmm_mstep_diag},
    [GMM_COVARIANCE_SPHERICAL] = {GMM_COVARIANCE_SPHERICAL, "spherical", "VII",
                                  SCALARS, SCALARS, SCALARS, stored_parameters,
                                  gmm_mstep_spherical},
    MCLUST(GMM_COVARIANCE_EII, "EII", SCALARS, SCALARS, gmm_mstep_eii),
    MCLUST(GMM_COVARIANCE_EEI, "EEI", DIAGONALS, DIAGONALS, gmm_mstep_eei),
    MCLUST(GMM_COVARIANCE_VEI, "VEI", DIAGONALS, DIAGONALS, gmm_mstep_vei),
    MCLUST(GMM_COVARIANCE_EVI, "EVI", DIAGONALS, DIAGONALS, gmm_mstep_evi),
    MCLUST(GMM_COVARIANCE_VEE, "VEE", MATRICES, MATRICES, gmm_mstep_vee),
    MCLUST(GMM_COVARIANCE_EVE, "EVE", MATRICES, MATRICES, gmm_mstep_eve),
    MCLUST(GMM_COVARIANCE_VVE, "VVE", MATRICES, MATRICES, gmm_mstep_vve),
    MCLUST(GMM_COVARIANCE_EEV, "EEV", MATRICES, MATRICES, gmm_mstep_eev),
    MCLUST(GMM_COVARIANCE_VEV, "VEV", MATRICES, MATRICES, gmm_mstep_vev),
    MCLUST(GMM_COVARIANCE_EVV, "EVV", MATRICES, MATRICES, gmm_mstep_evv),
};
#define N_MODELS (sizeof models / sizeof models[0])
_Static_assert(N_MODELS == GMM_N_COVARIANCE_TYPES, "a type without an entry");

const gmm_covariance_model *gmm_covariance_model_of(gmm_covariance_type type)
{
    return (unsigned)type < N_MODELS ? &models[type] : NULL;
}

const char *gmm_covariance_type_name(gmm_covariance_type type)
{
    const gmm_covariance_model *model = gmm_covariance_model_of(type);
    return model ? model->name : "unknown";
}

const char *gmm_covariance_type_mclust_name(gmm_covariance_type type)
{
    const gmm_covariance_model *model = gmm_covariance_model_of(type);
    return model ? model->mclust_name : "unknown";
}

gmm_status gmm_covariance_type_parse(const char *name, gmm_covariance_type *type)
{
    for (size_t i = 0; name && i < N_MODELS; i++)
        if (strcmp(name, models[i].name) == 0 ||
            strcmp(name, models[i].mclust_name) == 0) {
            *type = models[i].type;
            return GMM_OK;
        }
    return GMM_ERR_INVALID;
}

gmm_status gmm_covariance_type_layout(gmm_covariance_type type,
                                      gmm_covariance_layout *layout)
{
    const gmm_covariance_model *model = gmm_covariance_model_of(type);
    if (!model)
        return GMM_ERR_INVALID;
    *layout = model->covariances;
    return GMM_OK;
}

gmm_status gmm_covariance_type_statistics_layout(gmm_covariance_type type,
                                                 gmm_covariance_layout *layout)
{
    const gmm_covariance_model *model = gmm_covariance_model_of(type);
    if (!model)
        return GMM_ERR_INVALID;
    *layout = model->statistics;
    return GMM_OK;
}

size_t gmm_covariance_size(gmm_covariance_type type, size_t n_components,
                           size_t n_features)
{
    const gmm_covariance_model *model = gmm_covariance_model_of(type);
    return model ? gmm_layout_size(model->covariances, n_components, n_features)
                 : 0;
}

int gmm_covariance_shape(gmm_covariance_type type, size_t n_components,
                         size_t n_features, size_t dims[3],
                         const char *names[3])
{
    gmm_covariance_layout layout = gmm_covariance_model_of(type)->covariances;
    int n = 0;
    if (!layout.shared) {
        dims[n] = n_components;
        names[n++] = "n_components";
    }
    size_t per_block = layout.block == GMM_COVARIANCE_BLOCK_MATRIX     ? 2
                       : layout.block == GMM_COVARIANCE_BLOCK_DIAGONAL ? 1
                                                                       : 0;
    for (size_t i = 0; i < per_block; i++) {
        dims[n] = n_features;
        names[n++] = "n_features";
    }
    return n;
}
