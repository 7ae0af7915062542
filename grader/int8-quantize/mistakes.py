"""Known mistakes for the int8-quantize drill. (Helpers are prefixed with _m_ so they never shadow the
reference's own names.)"""

import numpy as np


def _m_quant(w, scale):
    return np.clip(np.round(w / scale[:, None]), -127, 127).astype(np.int8)


def per_tensor_scale(w):
    scale = np.full(w.shape[0], np.abs(w).max() / 127, dtype=w.dtype)
    if np.abs(w).max() == 0:
        scale[:] = 1
    return _m_quant(w, scale), scale


def per_column_scale(w):
    amax = np.abs(w).max(axis=0)
    scale = np.where(amax > 0, amax / 127, 1).astype(w.dtype)
    q = np.clip(np.round(w / scale[None, :]), -127, 127).astype(np.int8)
    return q, scale


def _m_row_scale(w, div=127):
    amax = np.abs(w).max(axis=1)
    return np.where(amax > 0, amax / div, 1).astype(w.dtype)


def scale_128(w):
    scale = _m_row_scale(w, 128)
    return np.clip(np.round(w / scale[:, None]), -128, 127).astype(np.int8), scale


def overflow_128(w):
    scale = _m_row_scale(w, 128)
    with np.errstate(invalid="ignore"):
        return np.round(w / scale[:, None]).astype(np.int8), scale  # 128 does not fit: it wraps around


def truncation(w):
    scale = _m_row_scale(w)
    return np.clip(w / scale[:, None], -127, 127).astype(np.int8), scale


def round_half_away(w):
    scale = _m_row_scale(w)
    x = w / scale[:, None]
    return np.clip(np.sign(x) * np.floor(np.abs(x) + 0.5), -127, 127).astype(np.int8), scale


def max_not_abs(w):
    mx = w.max(axis=1)
    scale = np.where(mx != 0, mx / 127, 1).astype(w.dtype)
    return _m_quant(w, scale), scale


def zero_row_scale_zero(w):
    scale = (np.abs(w).max(axis=1) / 127).astype(w.dtype)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = np.clip(np.round(w / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def q_not_int8(w):
    scale = _m_row_scale(w)
    return np.clip(np.round(w / scale[:, None]), -127, 127), scale


def scale_float16(w):
    scale = _m_row_scale(w).astype(np.float16)
    return _m_quant(w, scale.astype(w.dtype)), scale


def dequantize_divides(q, scale):
    return q.astype(scale.dtype) / scale[:, None]


def matmul_forgot_scale(x, q, scale):
    return x @ q.T.astype(x.dtype)


MISTAKES = {
    "per-tensor-scale": {
        "en": "you used one scale for the whole matrix (max|w| over everything / 127): quantise per output channel, one scale per row",
        "zh": "你对整个矩阵只用了一个 scale（全局 max|w| / 127）：应按输出通道量化，每一行一个 scale",
        "quantize_int8": per_tensor_scale,
    },
    "per-column-scale": {
        "en": "your scales are per column (max over axis 0); the output channels are the rows of the (out, in) weight: max|w| over axis=1",
        "zh": "你的 scale 是按列算的（沿 axis 0 取最大）；输出通道是 (out, in) 权重的行：应沿 axis=1 取 max|w|",
        "quantize_int8": per_column_scale,
    },
    "scale-128": {
        "en": "you divided max|w| by 128 and used the range [−128, 127]: the largest positive weight no longer fits (it is clipped to 127); symmetric int8 uses ±127 with scale = max|w| / 127",
        "zh": "你用 max|w| / 128 并使用 [−128, 127] 的范围：最大的正权重放不下（被截成 127）；对称 int8 用 ±127，scale = max|w| / 127",
        "quantize_int8": scale_128,
    },
    "int8-overflow": {
        "en": "you divided max|w| by 128 and cast to int8 without clipping: the row maximum becomes 128, which wraps around to −128; use scale = max|w| / 127 (and clip to ±127)",
        "zh": "你用 max|w| / 128 并且不做 clip 就转成 int8：每行的最大值变成 128，溢出后变成 −128；应使用 scale = max|w| / 127（并 clip 到 ±127）",
        "quantize_int8": overflow_128,
    },
    "truncation": {
        "en": "you converted w / scale to int8 without rounding: astype truncates toward zero; round first (np.round)",
        "zh": "你没有取整就把 w / scale 转成了 int8：astype 会向 0 截断；应先 np.round",
        "quantize_int8": truncation,
    },
    "round-half-away": {
        "en": "you rounded halves away from zero (floor(|x| + 0.5)); this drill pins np.round, which rounds halves to even (2.5 → 2, −63.5 → −64)",
        "zh": "你把 .5 远离 0 取整（floor(|x| + 0.5)）；本题固定用 np.round，.5 向偶数取整（2.5 → 2，−63.5 → −64）",
        "quantize_int8": round_half_away,
    },
    "max-not-abs": {
        "en": "your scale uses max(w), not max|w|: a row whose largest magnitude is negative overflows (and an all-negative row gets a negative scale)",
        "zh": "你的 scale 用的是 max(w) 而不是 max|w|：绝对值最大的元素为负数的行会溢出（全为负的行 scale 甚至是负的）",
        "quantize_int8": max_not_abs,
    },
    "zero-row-scale": {
        "en": "an all-zero row must get scale exactly 1 and q = 0: yours got scale 0 (q = round(0/0)) or a tiny clamped one (max(amax, ε) / 127, which also distorts rows with max|w| < ε); use np.where(amax > 0, amax / 127, 1)",
        "zh": "全零行的 scale 必须恰好是 1、q 为 0：你的 scale 是 0（q = round(0/0)）或被截断成一个很小的值（max(amax, ε) / 127，这还会让 max|w| < ε 的行出错）；应用 np.where(amax > 0, amax / 127, 1)",
        "quantize_int8": zero_row_scale_zero,
    },
    "q-not-int8": {
        "en": "your q is a float array (np.round returns floats): convert it with .astype(np.int8) after clipping",
        "zh": "你的 q 是浮点数组（np.round 返回浮点数）：clip 之后要 .astype(np.int8)",
        "quantize_int8": q_not_int8,
    },
    "scale-float16": {
        "en": "you stored the scales as float16; this drill keeps them in the dtype of w (float16 loses ~3 decimal digits)",
        "zh": "你把 scale 存成了 float16；本题要求 scale 的 dtype 与 w 相同（float16 只有约 3 位有效数字）",
        "quantize_int8": scale_float16,
    },
    "dequantize-divides": {
        "en": "your dequantisation divides by the scale; w ≈ q · scale (the scale is max|w| / 127)",
        "zh": "你的反量化除以了 scale；应为 w ≈ q · scale（scale 是 max|w| / 127）",
        "dequantize_int8": dequantize_divides,
    },
    "matmul-forgot-scale": {
        "en": "your quantized_matmul returns x @ qᵀ without the scales: multiply column o of the result by scale[o]",
        "zh": "你的 quantized_matmul 返回的是没有乘 scale 的 x @ qᵀ：结果的第 o 列要乘以 scale[o]",
        "quantized_matmul": matmul_forgot_scale,
    },
}
