"""因果注意力——写完后运行 `tfprep grade causal-attention`。"""

import math

import torch


def causal_mask(lq, lk):
    """形状为 (lq, lk) 的 bool 张量，True 表示可以关注，右下角对齐（lq <= lk）。

    query 是 lk 个位置中的最后 lq 个：query i 可以关注满足 j <= i + lk - lq 的 key j。
    """
    raise NotImplementedError("构造 (lq, lk) 的因果 mask")


def causal_attention(q, k, v):
    """q (..., Lq, d_k)，k (..., Lk, d_k)，v (..., Lk, d_v)，Lq <= Lk。

    返回加上因果 mask 的 softmax(q kᵀ / √d_k) 再乘 v，形状为 (..., Lq, d_v)。
    """
    raise NotImplementedError("计算带因果 mask 的缩放点积注意力")
