import torch
from torch import nn
from torch.nn import functional as F


class SwiGLUFFN(nn.Module):
    def __init__(self, d_model, d_ff, bias=False):
        super().__init__()
        for name, (i, o) in {"w1": (d_model, d_ff), "w2": (d_ff, d_model), "w3": (d_model, d_ff)}.items():
            setattr(self, name, nn.Linear(i, o, bias=bias))

    def forward(self, x):
        g = F.linear(x, self.w1.weight, self.w1.bias)
        hidden = g * torch.sigmoid(g) * F.linear(x, self.w3.weight, self.w3.bias)
        return F.linear(hidden, self.w2.weight, self.w2.bias)
