"""Multi-head attention — run `tfprep grade multihead` when you are done."""

import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads, bias=True):
        """Raise ValueError unless num_heads divides d_model.

        Submodules (names are checked): w_q, w_k, w_v, w_o = nn.Linear(d_model, d_model, bias=bias).
        """
        super().__init__()
        raise NotImplementedError("check d_model % num_heads and create w_q, w_k, w_v, w_o")

    def forward(self, query, key, value, mask=None):
        """query (B, Lq, d_model), key/value (B, Lk, d_model), mask bool broadcastable to (B, H, Lq, Lk),
        True = may attend. Returns (B, Lq, d_model)."""
        raise NotImplementedError("project, split heads, attend, merge heads, project")
