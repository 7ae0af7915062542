"""SwiGLU 前馈层 —— 写完后运行 `tfprep grade swiglu-ffn`。"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class SwiGLUFFN(nn.Module):
    def __init__(self, d_model, d_ff, bias=False):
        super().__init__()
        # 参数命名与 LLaMA 相同：w1（门控 gate）和 w3（上投影 up）：d_model -> d_ff；w2（下投影 down）：d_ff -> d_model。
        raise NotImplementedError("把 w1、w2、w3 创建为 nn.Linear 层")

    def forward(self, x):
        """x (..., d_model) -> (..., d_model)。"""
        raise NotImplementedError("计算 w2(silu(w1 x) * w3 x)")
