"""Reference: a LoRA linear layer (Hu et al., 2021) with merge / unmerge, in PyTorch.

The pretrained weight W (out × in) and its bias are frozen; the update is learned in low rank,
ΔW = (alpha / r) · B A with A (r × in) and B (out × r), so only r·(in + out) numbers train:

    y = x Wᵀ + b + (alpha / r) · dropout(x) Aᵀ Bᵀ

B starts at zero, so at initialisation the layer IS the pretrained layer (and the gradient still reaches B,
because A is random; with A = 0 too, neither would ever move). The scale alpha / r keeps the size of the
update roughly independent of r, so alpha need not be retuned when r changes.

For serving, merge() folds ΔW into W (one matmul per call, no extra latency) and unmerge() takes it back
out; both are guarded by `merged`, so a second merge (or an unmerge of an unmerged layer) changes nothing —
as PEFT does. While merged, forward is the base layer alone: the LoRA path is already inside W.
"""

import math

import torch
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, in_features, out_features, r=8, alpha=16, dropout=0.0, bias=True):
        super().__init__()
        self.base = nn.Linear(in_features, out_features, bias=bias)
        self.base.weight.requires_grad_(False)
        if self.base.bias is not None:
            self.base.bias.requires_grad_(False)
        self.lora_A = nn.Parameter(torch.empty(r, in_features))
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout)
        self.r = r
        self.alpha = alpha
        self.scaling = alpha / r
        self.merged = False

    def delta_weight(self):
        return self.scaling * (self.lora_B @ self.lora_A)

    def forward(self, x):
        y = self.base(x)
        if self.merged:
            return y
        return y + self.scaling * (self.dropout(x) @ self.lora_A.T @ self.lora_B.T)

    def merge(self):
        if self.merged:
            return
        with torch.no_grad():
            self.base.weight += self.delta_weight()
        self.merged = True

    def unmerge(self):
        if not self.merged:
            return
        with torch.no_grad():
            self.base.weight -= self.delta_weight()
        self.merged = False
