import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    d = q.shape[-1]
    logits = torch.einsum("...qd,...kd->...qk", q, k) / math.sqrt(d)
    if mask is not None:
        logits = logits.masked_fill(torch.logical_not(mask), -math.inf)
    logits = logits - logits.amax(dim=-1, keepdim=True)
    p = logits.exp()
    p = p / p.sum(dim=-1, keepdim=True)
    return torch.einsum("...qk,...kd->...qd", p, v), p
