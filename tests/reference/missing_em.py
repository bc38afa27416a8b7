"""missing_em.py — a plain reference for EM with missing entries (NaN),
one row and one component at a time, in numpy: the marginal density of
each row's observed entries, and the M-step's statistics from each row's
conditional mean and covariance of its missing entries (Ghahramani &
Jordan, 1994). No grouping by pattern, no shifts, no factors shared:
nothing of the library's arrangement, so that the library's tests compare
against an independent computation.

Parameters are held as full K x D x D covariances here, whatever the
covariance type; the M-steps of scikit-learn's four types and of mclust's
EII and EEI are written out below; the other mclust models take their
M-step from the library (gmm_stats_mstep) on statistics this module
computes, the M-steps themselves being tested against mclust elsewhere.
"""
import numpy as np

NK_EPSILON = 10 * np.finfo(np.float64).eps
LOG_2PI = np.log(2 * np.pi)
CLOSED_FORMS = ("full", "tied", "diag", "spherical", "EII", "EEI")


def log_marginal(x, mean, cov):
    """log N(x_o | mean_o, cov_oo), o the entries of x that are not NaN."""
    o = ~np.isnan(x)
    diff = x[o] - mean[o]
    block = cov[np.ix_(o, o)]
    _, log_det = np.linalg.slogdet(block)
    return -0.5 * (o.sum() * LOG_2PI + log_det +
                   diff @ np.linalg.solve(block, diff))


def conditional(x, mean, cov):
    """x with its missing entries replaced by their conditional mean, and
    the conditional covariance (D x D, zero outside the missing block)."""
    o, m = ~np.isnan(x), np.isnan(x)
    filled = x.copy()
    c = np.zeros((x.size, x.size))
    if m.any():
        gain = cov[np.ix_(m, o)] @ np.linalg.inv(cov[np.ix_(o, o)])
        filled[m] = mean[m] + gain @ (x[o] - mean[o])
        c[np.ix_(m, m)] = cov[np.ix_(m, m)] - gain @ cov[np.ix_(o, m)]
    return filled, c


def log_prob(X, weights, means, covs):
    """N x K: log weight_k + log of row i's marginal under component k."""
    return np.array([[np.log(weights[k]) + log_marginal(x, means[k], covs[k])
                      for k in range(len(weights))] for x in X])


def e_step(X, sample_weight, weights, means, covs):
    """Responsibilities (times the weights), the weighted log-likelihood,
    each row's conditional fill and covariance per component."""
    lp = log_prob(X, weights, means, covs)
    top = lp.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(lp - top).sum(axis=1))
    resp = np.exp(lp - log_norm[:, None]) * sample_weight[:, None]
    moments = [[conditional(x, means[k], covs[k]) for k in range(len(weights))]
               for x in X]
    return resp, float(sample_weight @ log_norm), moments


def expected_scatter(resp, moments, centres):
    """nk, sums of r x^ and, per component, sum r ((x^ - c)(x^ - c)^T + C)."""
    n, k = resp.shape
    d = centres.shape[1]
    nk = resp.sum(axis=0)
    sums = np.zeros((k, d))
    scatter = np.zeros((k, d, d))
    for i in range(n):
        for c in range(k):
            filled, cond = moments[i][c]
            e = filled - centres[c]
            sums[c] += resp[i, c] * filled
            scatter[c] += resp[i, c] * (np.outer(e, e) + cond)
    return nk, sums, scatter


def m_step_closed(covariance_type, resp, moments, reg_covar):
    """weights, means, covariances (K x D x D) by the closed forms."""
    nk = resp.sum(axis=0) + NK_EPSILON
    k = resp.shape[1]
    d = moments[0][0][0].size
    _, sums, _ = expected_scatter(resp, moments, np.zeros((k, d)))
    means = sums / nk[:, None]
    _, _, scatter = expected_scatter(resp, moments, means)
    eye = np.eye(d)
    if covariance_type == "full":
        covs = scatter / nk[:, None, None] + reg_covar * eye
    elif covariance_type == "tied":
        covs = np.repeat((scatter.sum(0) / nk.sum() + reg_covar * eye)[None],
                         k, axis=0)
    elif covariance_type == "diag":
        covs = np.array([np.diag(np.diag(s) / n + reg_covar)
                         for s, n in zip(scatter, nk)])
    elif covariance_type == "spherical":
        covs = np.array([(np.trace(s) / (n * d) + reg_covar) * eye
                         for s, n in zip(scatter, nk)])
    elif covariance_type == "EII":
        covs = np.repeat(((np.trace(scatter.sum(0)) / (nk.sum() * d) +
                           reg_covar) * eye)[None], k, axis=0)
    elif covariance_type == "EEI":
        covs = np.repeat(np.diag(np.diag(scatter.sum(0)) / nk.sum() +
                                 reg_covar)[None], k, axis=0)
    else:
        raise ValueError(covariance_type)
    return nk / nk.sum(), means, covs


def packed_statistics(covariance_type, resp, moments, log_likelihood,
                      weight_sum, shifts):
    """The statistics (gmm.h's packed layout) of a model whose M-step is
    the library's: n | s | q | sum w log p | sum w | c, q in the
    statistics layout of covariance_type (K x D x D, D x D, K x D or K,
    from the library's own layout query)."""
    nk, sums, scatter = expected_scatter(resp, moments, shifts)
    s = sums - nk[:, None] * shifts
    return nk, s, scatter, log_likelihood, weight_sum


def reduce_scatter(scatter, block, shared):
    """K x D x D scatters to a statistics layout (block 0 matrix, 1
    diagonal, 2 scalar; shared sums over components)."""
    if block == 0:
        q = scatter
    elif block == 1:
        q = np.array([np.diag(s) for s in scatter])
    else:
        q = np.array([np.trace(s) for s in scatter])
    return q.sum(axis=0, keepdims=True) if shared else q
