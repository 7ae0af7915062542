"""Reference: causal sliding-window attention (window counts the token itself), cache-aware alignment."""

import math

import torch


def sliding_window_attention(q, k, v, window):
    lq, lk = q.size(-2), k.size(-2)
    # Queries are the LAST lq of lk positions (the first lk - lq keys come from a KV cache): query i sits at
    # absolute position p = i + lk - lq and sees the `window` keys p - window + 1 … p, itself included.
    pos = torch.arange(lq).unsqueeze(1) + (lk - lq)
    key = torch.arange(lk).unsqueeze(0)
    allowed = (key <= pos) & (key > pos - window)
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    # -inf before the softmax: masked keys get weight exactly 0 and the rest still sum to 1. Every row keeps
    # at least its own key, so no row is all -inf.
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
    return weights @ v, weights
