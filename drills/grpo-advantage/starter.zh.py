"""GRPO 组内相对优势——写完后运行 `tfprep grade grpo-advantage`。"""

import numpy as np


def grpo_advantages(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    """rewards (N,)，N = B·G，各组连续存放；mask (N, T) bool。返回优势 (N, T)。"""
    raise NotImplementedError("在每组内归一化奖励，再把结果广播到 mask 为 True 的 token 上")
