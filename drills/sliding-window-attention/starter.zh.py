"""滑动窗口注意力 —— 写完后运行 `tfprep grade sliding-window-attention`。"""

import math

import torch


def sliding_window_attention(q, k, v, window):
    """q (..., Lq, d_k)，k (..., Lk, d_k)，v (..., Lk, d_v)，Lq <= Lk，window >= 1。

    query i 位于位置 p = i + Lk - Lq，可以关注满足 p - window < j <= p 的 key j。
    返回 (output (..., Lq, d_v), weights (..., Lq, Lk))。
    """
    raise NotImplementedError("计算因果的滑动窗口注意力")
