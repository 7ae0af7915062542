"""温度、top-k 与 top-p 过滤 —— 写完后运行 `tfprep grade sampling`。"""

import numpy as np


def filter_logits(logits, top_k=0, top_p=1.0, temperature=1.0):
    """logits (..., V)。返回 logits / temperature，被过滤掉的位置设为 -inf（形状不变）。"""
    raise NotImplementedError("先除以温度，再做 top-k，最后做 top-p")
