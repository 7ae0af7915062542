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
    # θ_i = base^(-2i/d), i = 0 .. d/2-1; computed in the input's dtype (float64 stays float64: at
    # position 8192 a float32 angle is already ~1e-3 rad off)
    i = torch.arange(d // 2, dtype=x.dtype, device=x.device)
    inv_freq = base ** (-2.0 * i / d)
    angles = positions.to(x.dtype)[:, None] * inv_freq[None, :]  # (T, d/2)
    angles = torch.cat((angles, angles), dim=-1)  # (T, d): the same angle for x[i] and x[i + d/2]
    return x * angles.cos() + rotate_half(x) * angles.sin()
