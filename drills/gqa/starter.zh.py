"""分组查询注意力（GQA）——写完后运行 `tfprep grade gqa`。"""

import math

import torch


def grouped_query_attention(q, k, v, mask=None):
    """q (B, Hq, Lq, d)，k 和 v (B, Hkv, Lk, d)，mask 为 bool，可广播到 (B, Hq, Lq, Lk)，True 表示可以关注。

    第 h 个 query 头使用第 h // (Hq // Hkv) 个 key/value 头。Hq % Hkv != 0 时抛出 ValueError。
    返回 (B, Hq, Lq, d)。
    """
    raise NotImplementedError("让每个 kv 头由它那一组 query 头共用，然后做注意力")
