"""Rotary position embedding (RoPE) — run `tfprep grade rope` when you are done."""

import torch


def apply_rope(x, positions, base=10000.0):
    """x (..., T, d) with d even, positions (T,) int tensor.

    Rotate each pair (x[..., i], x[..., i + d/2]) by the angle positions[t] · base^(-2i/d).
    Returns a tensor of the same shape and dtype as x.
    """
    raise NotImplementedError("rotate the pairs (x[i], x[i + d/2]) by positions · base^(-2i/d)")
