"""LayerNorm 的反向传播——写完后运行 `tfprep grade layernorm-backward`。"""

import numpy as np


def layer_norm_backward(x, gamma, beta, grad_y, eps=1e-5):
    """x、grad_y (..., D)；gamma、beta (D,)。前向沿最后一维计算 y = (x - mean) / sqrt(var + eps) * gamma + beta。
    返回 (grad_x, grad_gamma, grad_beta)。"""
    raise NotImplementedError("返回 (grad_x, grad_gamma, grad_beta)")
