"""LoRA linear layer — run `tfprep grade lora-linear` when you are done."""

import torch
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, in_features, out_features, r=8, alpha=16, dropout=0.0, bias=True):
        super().__init__()
        self.base = nn.Linear(in_features, out_features, bias=bias)  # the pretrained layer: freeze it
        self.lora_A = nn.Parameter(torch.zeros(r, in_features))  # TODO: initialise
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))  # TODO: initialise
        self.scaling = 0.0  # TODO
        self.merged = False

    def delta_weight(self):
        """scaling · B A, shape (out_features, in_features)."""
        raise NotImplementedError("scaling * (B @ A)")

    def forward(self, x):
        raise NotImplementedError("base(x) + scaling · dropout(x) Aᵀ Bᵀ (base alone while merged)")

    def merge(self):
        raise NotImplementedError("fold delta_weight() into base.weight, once")

    def unmerge(self):
        raise NotImplementedError("take delta_weight() back out of base.weight, once")
