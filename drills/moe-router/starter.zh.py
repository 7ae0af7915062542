"""Top-k MoE 路由与负载均衡损失 —— 写完后运行 `tfprep grade moe-router`。"""

import numpy as np


def moe_router(x, w_gate, top_k, alpha=0.01):
    """x (N, d)，w_gate (d, E)。返回 (indices (N, top_k) 整数, weights (N, top_k), aux_loss 浮点数)。"""
    raise NotImplementedError("沿专家维做 softmax，取 top-k，重新归一化；再算 α·E·Σ f_i·P_i")
