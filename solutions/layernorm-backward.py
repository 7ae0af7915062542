"""Reference: the backward pass of LayerNorm over the last axis, in NumPy, without autograd.

Forward, per row of D features: mu = mean(x), var = mean((x - mu)**2) (biased), rstd = 1 / sqrt(var + eps),
xhat = (x - mu) * rstd, y = xhat * gamma + beta. Backward, with g = dL/dy:

    dbeta  = Σ_rows g                    (every leading axis summed: gamma and beta are shared by all rows)
    dgamma = Σ_rows g ⊙ xhat
    ghat   = g ⊙ gamma                   (dL/dxhat)
    dx     = rstd · (ghat − mean(ghat) − xhat · mean(ghat ⊙ xhat))

The two subtracted terms are the paths through mu and through var: both depend on every x of the row.
"""

import numpy as np


def layer_norm_backward(x, gamma, beta, grad_y, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    rstd = 1.0 / np.sqrt(var + eps)
    xhat = centred * rstd
    lead = tuple(range(x.ndim - 1))
    grad_beta = grad_y.sum(axis=lead)
    grad_gamma = (grad_y * xhat).sum(axis=lead)
    ghat = grad_y * gamma
    grad_x = rstd * (
        ghat - ghat.mean(axis=-1, keepdims=True) - xhat * (ghat * xhat).mean(axis=-1, keepdims=True)
    )
    return grad_x, grad_gamma, grad_beta
