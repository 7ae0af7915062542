"""LayerNorm 与 RMSNorm——写完后运行 `tfprep grade layer-norm`。"""

import numpy as np


def layer_norm(x, gamma, beta, eps=1e-5):
    """x (..., D)，gamma (D,)，beta (D,)。沿最后一维归一化；返回与 x 形状、dtype 都相同的数组。"""
    raise NotImplementedError("沿最后一维计算 (x - mean) / sqrt(var + eps) * gamma + beta")


def rms_norm(x, gamma, eps=1e-6):
    """x (..., D)，gamma (D,)。除以沿最后一维的均方根；返回与 x 形状、dtype 都相同的数组。"""
    raise NotImplementedError("沿最后一维计算 x / sqrt(mean(x²) + eps) * gamma")
