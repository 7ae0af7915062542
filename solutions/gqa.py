"""Reference: grouped-query attention (GQA). MQA is the case Hkv = 1, ordinary multi-head attention Hkv = Hq."""

import math

import torch


def grouped_query_attention(q, k, v, mask=None):
    hq, hkv = q.size(1), k.size(1)
    if hq % hkv != 0:
        raise ValueError(f"{hq} query heads cannot be split evenly over {hkv} key/value heads")
    group = hq // hkv
    # Query heads come in consecutive groups: heads 0 … group-1 share kv head 0, the next group kv head 1, …
    # repeat_interleave copies each kv head `group` times IN PLACE (0,0,1,1,…); .repeat would tile (0,1,0,1,…).
    k = k.repeat_interleave(group, dim=1)
    v = v.repeat_interleave(group, dim=1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))  # d is the width of ONE head
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v
    # Without the copies: q.view(B, Hkv, group, Lq, d) against k.unsqueeze(2) gives the same result
    # (that is how inference kernels keep the KV cache small).
