"""Reference: one Transformer encoder layer (self-attention + feed-forward), post-norm or pre-norm."""

import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    """Multi-head attention with four (d_model, d_model) projections, as in the multi-head drill."""

    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads:
            raise ValueError(f"d_model={d_model} is not divisible by num_heads={num_heads}")
        self.num_heads = num_heads
        self.d_head = d_model // num_heads
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_o = nn.Linear(d_model, d_model)

    def _split(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.num_heads, self.d_head).transpose(1, 2)  # (B, H, n, d_head)

    def forward(self, query, key, value, mask=None):
        q, k, v = self._split(self.w_q(query)), self._split(self.w_k(key)), self._split(self.w_v(value))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)  # (B, H, Lq, Lk)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))  # True = may attend
        out = torch.softmax(scores, dim=-1) @ v  # (B, H, Lq, d_head)
        b, _, lq, _ = out.shape
        return self.w_o(out.transpose(1, 2).reshape(b, lq, -1))


class EncoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, d_ff, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model, eps=1e-5)  # around the attention sublayer
        self.norm2 = nn.LayerNorm(d_model, eps=1e-5)  # around the feed-forward sublayer

    def _sa(self, x, mask):
        return self.self_attn(x, x, x, mask)

    def _ff(self, x):
        return self.linear2(torch.relu(self.linear1(x)))

    def forward(self, x, mask=None):
        if self.norm_first:
            # pre-norm: normalise the sublayer's input; the residual stream itself is never normalised
            x = x + self._sa(self.norm1(x), mask)
            x = x + self._ff(self.norm2(x))
        else:
            # post-norm (the original Transformer): normalise after adding the residual
            x = self.norm1(x + self._sa(x, mask))
            x = self.norm2(x + self._ff(x))
        return x
