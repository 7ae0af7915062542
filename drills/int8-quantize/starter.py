"""Symmetric per-channel int8 quantisation — run `tfprep grade int8-quantize` when you are done."""

import numpy as np


def quantize_int8(w):
    """w (out, in) float -> (q int8 (out, in), scale (out,) in w's dtype), one scale per row."""
    raise NotImplementedError("quantize each row of w to int8")


def dequantize_int8(q, scale):
    """q (out, in) int8, scale (out,) -> q · scale row by row, in scale's dtype."""
    raise NotImplementedError("dequantize q")


def quantized_matmul(x, q, scale):
    """x (..., in) -> x @ (q · scale)ᵀ of shape (..., out), in x's dtype."""
    raise NotImplementedError("multiply x by the quantised weight")
