"""LoRA 线性层 —— 写完后运行 `tfprep grade lora-linear`。"""

import torch
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, in_features, out_features, r=8, alpha=16, dropout=0.0, bias=True):
        super().__init__()
        self.base = nn.Linear(in_features, out_features, bias=bias)  # 预训练的层：要冻结
        self.lora_A = nn.Parameter(torch.zeros(r, in_features))  # TODO：初始化
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))  # TODO：初始化
        self.scaling = 0.0  # TODO
        self.merged = False

    def delta_weight(self):
        """scaling · B A，形状 (out_features, in_features)。"""
        raise NotImplementedError("scaling * (B @ A)")

    def forward(self, x):
        raise NotImplementedError("base(x) + scaling · dropout(x) Aᵀ Bᵀ（合并状态下只算 base）")

    def merge(self):
        raise NotImplementedError("把 delta_weight() 合并进 base.weight，只合并一次")

    def unmerge(self):
        raise NotImplementedError("把 delta_weight() 从 base.weight 中减掉，只减一次")
