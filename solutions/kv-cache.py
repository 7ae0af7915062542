"""Reference: one decoding step of multi-head self-attention with a KV cache."""

import math

import torch


def decode_step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    b, _, d_model = x_t.shape
    d_head = d_model // num_heads

    def split(t):  # (B, 1, D) -> (B, H, 1, d_head), the layout of the cache
        return t.view(b, 1, num_heads, d_head).transpose(1, 2)

    q = split(x_t @ w_q.T)
    # Append the new token's key and value FIRST: the new token must attend to itself as well.
    cache_k = torch.cat([cache_k, split(x_t @ w_k.T)], dim=2)  # (B, H, T + 1, d_head)
    cache_v = torch.cat([cache_v, split(x_t @ w_v.T)], dim=2)
    # The newest token is the last position: causality allows it every cached key, so no mask is needed.
    scores = q @ cache_k.transpose(-2, -1) / math.sqrt(d_head)  # (B, H, 1, T + 1)
    heads = torch.softmax(scores, dim=-1) @ cache_v  # (B, H, 1, d_head)
    y_t = heads.transpose(1, 2).reshape(b, 1, d_model) @ w_o.T
    return y_t, cache_k, cache_v
