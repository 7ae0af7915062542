"""对称逐通道 int8 量化——写完后运行 `tfprep grade int8-quantize`。"""

import numpy as np


def quantize_int8(w):
    """w (out, in) 浮点 -> (q int8 (out, in), scale (out,)，dtype 与 w 相同)，每行一个 scale。"""
    raise NotImplementedError("把 w 的每一行量化为 int8")


def dequantize_int8(q, scale):
    """q (out, in) int8，scale (out,) -> 逐行计算 q · scale，dtype 与 scale 相同。"""
    raise NotImplementedError("对 q 做反量化")


def quantized_matmul(x, q, scale):
    """x (..., in) -> x @ (q · scale)ᵀ，形状为 (..., out)，dtype 与 x 相同。"""
    raise NotImplementedError("用量化后的权重与 x 相乘")
