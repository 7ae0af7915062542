"""Transformer encoder layer — run `tfprep grade encoder-layer` when you are done."""

import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    """Multi-head attention: w_q, w_k, w_v, w_o are nn.Linear(d_model, d_model) with bias."""

    def __init__(self, d_model, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_o = nn.Linear(d_model, d_model)

    def forward(self, query, key, value, mask=None):
        """(B, L, d_model) inputs, mask bool broadcastable to (B, H, L, L), True = may attend."""
        raise NotImplementedError("split heads, softmax(q kᵀ / √d_head) v, merge heads, w_o")


class EncoderLayer(nn.Module):
    """Self-attention + feed-forward, each with a residual connection and its own LayerNorm."""

    def __init__(self, d_model, num_heads, d_ff, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model, eps=1e-5)
        self.norm2 = nn.LayerNorm(d_model, eps=1e-5)

    def forward(self, x, mask=None):
        """x (B, L, d_model), mask bool broadcastable to (B, H, L, L) or None. Returns (B, L, d_model)."""
        raise NotImplementedError("post-norm: norm(x + sublayer(x)); pre-norm: x + sublayer(norm(x))")
