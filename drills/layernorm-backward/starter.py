"""Backward pass of LayerNorm — run `tfprep grade layernorm-backward` when you are done."""

import numpy as np


def layer_norm_backward(x, gamma, beta, grad_y, eps=1e-5):
    """x, grad_y (..., D); gamma, beta (D,). y = (x - mean) / sqrt(var + eps) * gamma + beta over the last
    axis. Returns (grad_x, grad_gamma, grad_beta)."""
    raise NotImplementedError("return (grad_x, grad_gamma, grad_beta)")
