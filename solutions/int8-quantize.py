"""Reference: symmetric per-output-channel int8 quantisation of a weight matrix, and its use in a matmul."""

import numpy as np


def quantize_int8(w):
    # One scale per output channel (row of an (out, in) nn.Linear weight): a row of small weights keeps its
    # resolution even when another row has a large outlier.
    amax = np.abs(w).max(axis=1)
    # ±127, not 128: the range stays symmetric (−q is always representable) and max|w| maps exactly to 127.
    scale = amax / 127
    scale = np.where(amax > 0, scale, 1).astype(w.dtype)  # an all-zero row: scale 1, q 0 (never 0/0)
    q = np.clip(np.round(w / scale[:, None]), -127, 127).astype(np.int8)  # np.round: half to even
    return q, scale


def dequantize_int8(q, scale):
    return q.astype(scale.dtype) * scale[:, None]


def quantized_matmul(x, q, scale):
    # x @ (q·scale)ᵀ = (x @ qᵀ)·scale: the scale of output channel o multiplies column o of the result, so the
    # dequantised weight is never materialised (in a real kernel x @ qᵀ accumulates in int32).
    return (x @ q.T.astype(x.dtype)) * scale.astype(x.dtype)
