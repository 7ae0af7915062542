"""Reference: causal (autoregressive) attention with a bottom-right aligned mask."""

import math

import torch


def causal_mask(lq, lk):
    # Queries are the LAST lq positions of a sequence of length lk (the first lk - lq are the cache),
    # so query i sits at absolute position i + (lk - lq) and may see keys j <= i + (lk - lq).
    # tril's `diagonal` argument shifts the triangle by exactly that offset.
    return torch.ones(lq, lk, dtype=torch.bool).tril(diagonal=lk - lq)


def causal_attention(q, k, v):
    lq, lk = q.size(-2), k.size(-2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    # -inf (not a large negative number times the mask) so masked keys get weight exactly 0
    scores = scores.masked_fill(~causal_mask(lq, lk).to(scores.device), float("-inf"))
    return torch.softmax(scores, dim=-1) @ v
