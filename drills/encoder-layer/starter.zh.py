"""Transformer 编码器层——写完后运行 `tfprep grade encoder-layer`。"""

import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    """多头注意力：w_q、w_k、w_v、w_o 都是带 bias 的 nn.Linear(d_model, d_model)。"""

    def __init__(self, d_model, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_o = nn.Linear(d_model, d_model)

    def forward(self, query, key, value, mask=None):
        """输入为 (B, L, d_model)；mask 为 bool，可广播到 (B, H, L, L)，True 表示可以关注。"""
        raise NotImplementedError("拆分多头，softmax(q kᵀ / √d_head) v，合并多头，再过 w_o")


class EncoderLayer(nn.Module):
    """自注意力 + 前馈网络，各自带残差连接和自己的 LayerNorm。"""

    def __init__(self, d_model, num_heads, d_ff, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model, eps=1e-5)
        self.norm2 = nn.LayerNorm(d_model, eps=1e-5)

    def forward(self, x, mask=None):
        """x (B, L, d_model)；mask 为 bool，可广播到 (B, H, L, L)，或为 None。返回 (B, L, d_model)。"""
        raise NotImplementedError("post-norm 为 norm(x + sublayer(x))；pre-norm 为 x + sublayer(norm(x))")
