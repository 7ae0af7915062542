"""带 KV cache 的单步解码——写完后运行 `tfprep grade kv-cache`。"""

import math

import torch


def decode_step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    """x_t (B, 1, D)：新 token。cache_k、cache_v (B, H, T, D/H)，T >= 0（T = 0 表示 cache 为空）。
    w_q、w_k、w_v、w_o (D, D)，按 x @ w.T 使用（没有 bias）。

    返回 (y_t (B, 1, D), cache_k (B, H, T + 1, D/H), cache_v (B, H, T + 1, D/H))：新 token 对全部
    T + 1 个 token 的注意力输出，以及在末尾追加了它的 key 和 value 的 cache。
    """
    raise NotImplementedError("投影新 token，把它的 key、value 追加到 cache，做注意力，再做输出投影")
