"""Reference: the SwiGLU feed-forward block of LLaMA-style Transformers."""

import torch.nn as nn
import torch.nn.functional as F


class SwiGLUFFN(nn.Module):
    def __init__(self, d_model, d_ff, bias=False):
        super().__init__()
        # LLaMA's names: w1 = gate, w3 = up (both d_model -> d_ff), w2 = down (d_ff -> d_model).
        self.w1 = nn.Linear(d_model, d_ff, bias=bias)
        self.w2 = nn.Linear(d_ff, d_model, bias=bias)
        self.w3 = nn.Linear(d_model, d_ff, bias=bias)

    def forward(self, x):
        # SiLU (x·σ(x)) on the GATE only; the up-projection passes through linearly, and the elementwise
        # product decides per hidden unit how much of it goes on to the down-projection.
        return self.w2(F.silu(self.w1(x)) * self.w3(x))
