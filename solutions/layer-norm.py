"""Reference: LayerNorm and RMSNorm over the last axis, in NumPy.

LayerNorm (Ba et al., 2016) centres each feature vector and scales it to unit variance, then applies a
learned per-feature scale gamma and shift beta:

    y = (x - mean) / sqrt(var + eps) * gamma + beta,   var = mean((x - mean)**2)   (biased: divide by D)

RMSNorm (Zhang & Sennrich, 2019) skips the centring and the shift: it only rescales by the root mean square,

    y = x / sqrt(mean(x**2) + eps) * gamma.

Both reduce over the LAST axis (the features of one token), never over the batch.
"""

import numpy as np


def layer_norm(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)  # from the centred values: no cancellation
    return centred / np.sqrt(var + eps) * gamma + beta


def rms_norm(x, gamma, eps=1e-6):
    mean_square = (x * x).mean(axis=-1, keepdims=True)
    return x / np.sqrt(mean_square + eps) * gamma
