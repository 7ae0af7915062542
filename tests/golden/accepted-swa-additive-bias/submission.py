import math

import torch


def sliding_window_attention(q, k, v, window):
    lq, lk = q.shape[-2], k.shape[-2]
    band = torch.ones(lq, lk, dtype=torch.bool).tril(lk - lq).triu(lk - lq - window + 1)
    bias = torch.zeros(lq, lk, dtype=q.dtype).masked_fill(~band, -math.inf)
    logits = torch.einsum("...qd,...kd->...qk", q, k) * q.shape[-1] ** -0.5 + bias
    w = logits.softmax(-1)
    return torch.einsum("...qk,...kd->...qd", w, v), w
