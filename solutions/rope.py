"""Reference: rotary position embedding (RoPE), rotate-half pairing (Hugging Face LLaMA / GPT-NeoX)."""

import torch


def rotate_half(x):
    """(x1, x2) -> (-x2, x1) on the two halves of the last dim: a 90° turn of every pair (x[i], x[i + d/2])."""
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def apply_rope(x, positions, base=10000.0):
    d = x.size(-1)
    if d % 2:
        raise ValueError(f"the last dim must be even, got {d}")
    # θ_i = base^(-2i/d), i = 0 .. d/2-1. The angles p·θ_i in float64 whatever x's dtype: at position 8192
    # a float32 angle is already ~1e-3 rad off. cos/sin are then cast to x's dtype.
    i = torch.arange(d // 2, dtype=torch.float64, device=x.device)
    inv_freq = base ** (-2.0 * i / d)
    angles = positions.to(torch.float64)[:, None] * inv_freq[None, :]  # (T, d/2)
    angles = torch.cat((angles, angles), dim=-1)  # (T, d): the same angle for x[i] and x[i + d/2]
    return x * angles.cos().to(x.dtype) + rotate_half(x) * angles.sin().to(x.dtype)
