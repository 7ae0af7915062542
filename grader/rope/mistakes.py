"""Known mistakes for the RoPE drill: each function applies the rotation the way a candidate gets it wrong.
The grader runs a failing input through these to name what went wrong."""

import torch


def _angles(positions, d, base, dtype, exponent=2.0):
    i = torch.arange(d // 2, dtype=dtype)
    inv_freq = base ** (-exponent * i / d)
    return positions.to(dtype)[:, None] * inv_freq[None, :]  # (T, d/2)


def _rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def interleaved(x, positions, base=10000.0):
    # GPT-J / RoFormer: pairs (x[2i], x[2i+1])
    a = _angles(positions, x.size(-1), base, x.dtype)
    cos, sin = a.cos(), a.sin()
    xe, xo = x[..., 0::2], x[..., 1::2]
    out = torch.stack((xe * cos - xo * sin, xo * cos + xe * sin), dim=-1)
    return out.flatten(-2)


def sin_cos_swapped(x, positions, base=10000.0):
    a = _angles(positions, x.size(-1), base, x.dtype)
    a = torch.cat((a, a), dim=-1)
    return x * a.sin() + _rotate_half(x) * a.cos()


def positions_ignored(x, positions, base=10000.0):
    t = torch.arange(x.size(-2))
    a = _angles(t, x.size(-1), base, x.dtype)
    a = torch.cat((a, a), dim=-1)
    return x * a.cos() + _rotate_half(x) * a.sin()


def exponent_i_over_d(x, positions, base=10000.0):
    a = _angles(positions, x.size(-1), base, x.dtype, exponent=1.0)
    a = torch.cat((a, a), dim=-1)
    return x * a.cos() + _rotate_half(x) * a.sin()


def wrong_direction(x, positions, base=10000.0):
    a = _angles(positions, x.size(-1), base, x.dtype)
    a = torch.cat((a, a), dim=-1)
    return x * a.cos() - _rotate_half(x) * a.sin()


def rotate_half_no_minus(x, positions, base=10000.0):
    a = _angles(positions, x.size(-1), base, x.dtype)
    a = torch.cat((a, a), dim=-1)
    x1, x2 = x.chunk(2, dim=-1)
    return x * a.cos() + torch.cat((x2, x1), dim=-1) * a.sin()


def angles_interleaved_repeat(x, positions, base=10000.0):
    # rotate-half pairing, but the angles repeated the interleaved way (θ0, θ0, θ1, θ1, …)
    a = _angles(positions, x.size(-1), base, x.dtype).repeat_interleave(2, dim=-1)
    return x * a.cos() + _rotate_half(x) * a.sin()


def base_ignored(x, positions, base=10000.0):
    a = _angles(positions, x.size(-1), 10000.0, x.dtype)
    a = torch.cat((a, a), dim=-1)
    return x * a.cos() + _rotate_half(x) * a.sin()


def float32_angles(x, positions, base=10000.0):
    # the Hugging Face habit: inv_freq and the angles in float32, cos/sin cast to the input dtype at the end
    d = x.size(-1)
    inv_freq = 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
    a = positions.float()[:, None] * inv_freq[None, :]
    a = torch.cat((a, a), dim=-1)
    return x * a.cos().to(x.dtype) + _rotate_half(x) * a.sin().to(x.dtype)


MISTAKES = {
    "interleaved-pairs": {
        "en": "you paired x[2i] with x[2i+1]: that is the interleaved (GPT-J / RoFormer) convention; this drill uses rotate-half, pairing x[i] with x[i + d/2]",
        "zh": "你把 x[2i] 和 x[2i+1] 配成一对：这是交错式（GPT-J / RoFormer）的约定；本题用 rotate-half，x[i] 与 x[i + d/2] 配对",
        "apply_rope": interleaved,
    },
    "sin-cos-swapped": {
        "en": "your output equals x·sin + rotate_half(x)·cos: sin and cos are swapped (position 0 must leave x unchanged)",
        "zh": "你的输出等于 x·sin + rotate_half(x)·cos：sin 和 cos 用反了（位置 0 应当保持 x 不变）",
        "apply_rope": sin_cos_swapped,
    },
    "positions-ignored": {
        "en": "you rotated by arange(T) instead of the given positions: use the `positions` argument (it need not be 0, 1, 2, …)",
        "zh": "你按 arange(T) 旋转，而不是按传入的 positions：要用参数 `positions`（它不一定是 0, 1, 2, …）",
        "apply_rope": positions_ignored,
    },
    "exponent-i-over-d": {
        "en": "your frequencies are θ_i = base^(-i/d); they must be θ_i = base^(-2i/d) for i = 0 … d/2-1",
        "zh": "你的频率是 θ_i = base^(-i/d)；应为 θ_i = base^(-2i/d)，i = 0 … d/2-1",
        "apply_rope": exponent_i_over_d,
    },
    "wrong-direction": {
        "en": "you rotate the wrong way: your output equals x·cos − rotate_half(x)·sin (rotate_half(x) = cat(−x2, x1) is added, not subtracted)",
        "zh": "你旋转的方向反了：你的输出等于 x·cos − rotate_half(x)·sin（rotate_half(x) = cat(−x2, x1) 应当加上，而不是减去）",
        "apply_rope": wrong_direction,
    },
    "rotate-half-no-minus": {
        "en": "your rotate_half is cat(x2, x1) without the minus sign: that is not a rotation (norms change); it must be cat(−x2, x1)",
        "zh": "你的 rotate_half 是 cat(x2, x1)，漏了负号：这不是旋转（范数会变）；应为 cat(−x2, x1)",
        "apply_rope": rotate_half_no_minus,
    },
    "angles-repeat-interleaved": {
        "en": "you mixed the conventions: rotate-half pairing with angles repeated as (θ0, θ0, θ1, θ1, …); with rotate-half the angles are cat(θ, θ)",
        "zh": "你把两种约定混用了：rotate-half 配对，角度却按 (θ0, θ0, θ1, θ1, …) 重复；rotate-half 的角度应为 cat(θ, θ)",
        "apply_rope": angles_interleaved_repeat,
    },
    "base-ignored": {
        "en": "your result ignores the `base` argument (it is always 10000)",
        "zh": "你的结果忽略了参数 `base`（总是按 10000 计算）",
        "apply_rope": base_ignored,
    },
    "float32-angles": {
        "en": "you computed the angles in float32 and cast the result: the error grows with the position (about 1e-3 rad at 8192); compute the angles in float64, then cast cos and sin",
        "zh": "你用 float32 计算角度再转换类型：误差随位置增大（位置 8192 时约 1e-3 弧度）；应当用 float64 计算角度，再转换 cos、sin 的类型",
        "apply_rope": float32_angles,
    },
}
