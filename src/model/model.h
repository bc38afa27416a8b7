/*
 * model.h — the gmm_model object behind the public handle.
 */
#ifndef GMM_MODEL_MODEL_H
#define GMM_MODEL_MODEL_H

#include "gmm.h"
#include "model/params.h"

struct gmm_model {
    gmm_options options;
    int fitted;           /* params hold a usable mixture                  */
    gmm_params params;    /* allocated when fitted                         */
    int converged;
    int n_iter;
    double lower_bound;   /* -inf when no EM iteration ran                 */
};

/* Record a fit's outcome with its parameters: the fit loop and the model
 * file's reader do, and nothing outside the library may (the outcome
 * describes the fit that made the parameters). */
void gmm_model_set_fit_info(gmm_model *model, int converged, int n_iter,
                            double lower_bound);

#endif
