"""LayerNorm and RMSNorm — run `tfprep grade layer-norm` when you are done."""

import numpy as np


def layer_norm(x, gamma, beta, eps=1e-5):
    """x (..., D), gamma (D,), beta (D,). Normalise over the last axis; returns an array like x."""
    raise NotImplementedError("(x - mean) / sqrt(var + eps) * gamma + beta over the last axis")


def rms_norm(x, gamma, eps=1e-6):
    """x (..., D), gamma (D,). Divide by the root mean square over the last axis; returns an array like x."""
    raise NotImplementedError("x / sqrt(mean(x²) + eps) * gamma over the last axis")
