"""Reference: multi-head attention (self- and cross-attention) with four d_model × d_model projections."""

import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads, bias=True):
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError(f"d_model={d_model} is not divisible by num_heads={num_heads}")
        self.num_heads = num_heads
        self.d_head = d_model // num_heads
        self.w_q = nn.Linear(d_model, d_model, bias=bias)
        self.w_k = nn.Linear(d_model, d_model, bias=bias)
        self.w_v = nn.Linear(d_model, d_model, bias=bias)
        self.w_o = nn.Linear(d_model, d_model, bias=bias)

    def _split(self, x):
        # (B, L, d_model) -> (B, L, H, d_head) -> (B, H, L, d_head): head h owns features h*d_head … (h+1)*d_head-1
        b, length, _ = x.shape
        return x.view(b, length, self.num_heads, self.d_head).transpose(1, 2)

    def forward(self, query, key, value, mask=None):
        q = self._split(self.w_q(query))  # (B, H, Lq, d_head)
        k = self._split(self.w_k(key))  # (B, H, Lk, d_head)
        v = self._split(self.w_v(value))  # (B, H, Lk, d_head)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)  # each head scales by its own width
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        heads = torch.softmax(scores, dim=-1) @ v  # (B, H, Lq, d_head)
        b, _, lq, _ = heads.shape
        merged = heads.transpose(1, 2).reshape(
            b, lq, -1
        )  # back to (B, Lq, H, d_head), then concatenate the heads
        return self.w_o(merged)
