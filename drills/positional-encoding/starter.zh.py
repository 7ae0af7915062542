"""正弦位置编码 —— 写完后运行 `tfprep grade positional-encoding`。"""

import numpy as np


def sinusoidal_encoding(max_len, d_model):
    """(max_len, d_model) 的 float64 表：PE[p, 2i] = sin(p / 10000^(2i/d_model))，PE[p, 2i+1] = cos(…)。"""
    raise NotImplementedError("偶数列填 sin，奇数列填 cos")
