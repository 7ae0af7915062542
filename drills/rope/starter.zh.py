"""旋转位置编码（RoPE）—— 写完后运行 `tfprep grade rope`。"""

import torch


def apply_rope(x, positions, base=10000.0):
    """x (..., T, d)，d 为偶数；positions 为 (T,) 的整数张量。

    把每一对 (x[..., i], x[..., i + d/2]) 旋转角度 positions[t] · base^(-2i/d)。
    返回与 x 形状、dtype 都相同的张量。
    """
    raise NotImplementedError("把每一对 (x[i], x[i + d/2]) 旋转 positions · base^(-2i/d)")
