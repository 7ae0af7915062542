"""SwiGLU feed-forward block — run `tfprep grade swiglu-ffn` when you are done."""

import torch
import torch.nn as nn
import torch.nn.functional as F


class SwiGLUFFN(nn.Module):
    def __init__(self, d_model, d_ff, bias=False):
        super().__init__()
        # Parameters named as in LLaMA: w1 (gate) and w3 (up): d_model -> d_ff; w2 (down): d_ff -> d_model.
        raise NotImplementedError("create w1, w2 and w3 as nn.Linear layers")

    def forward(self, x):
        """x (..., d_model) -> (..., d_model)."""
        raise NotImplementedError("compute w2(silu(w1 x) * w3 x)")
