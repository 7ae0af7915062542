"""缩放点积注意力——写完后运行 `tfprep grade attention`。"""

import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    """q (..., Lq, d_k)，k (..., Lk, d_k)，v (..., Lk, d_v)，mask 为 bool（True 表示可以关注）。

    返回 (output (..., Lq, d_v), weights (..., Lq, Lk))。
    """
    raise NotImplementedError("计算 softmax(q kᵀ / √d_k) v")
