"""多头注意力 —— 写完后运行 `tfprep grade multihead`。"""

import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads, bias=True):
        """num_heads 不能整除 d_model 时抛出 ValueError。

        子模块（名字会被检查）：w_q、w_k、w_v、w_o = nn.Linear(d_model, d_model, bias=bias)。
        """
        super().__init__()
        raise NotImplementedError("检查 d_model % num_heads，并创建 w_q、w_k、w_v、w_o")

    def forward(self, query, key, value, mask=None):
        """query (B, Lq, d_model)，key/value (B, Lk, d_model)，mask 为 bool，可广播到 (B, H, Lq, Lk)，
        True 表示可以关注。返回 (B, Lq, d_model)。"""
        raise NotImplementedError("投影，拆分成多个 head，做注意力，拼接各 head，再投影")
