"""softmax —— 写完后运行 `tfprep grade softmax`。"""

import numpy as np


def softmax(x, axis=-1):
    """x：任意形状的浮点数组；沿 `axis` 做 softmax（沿该维的每个切片和为 1）。

    返回与 x 形状、dtype 都相同的数组。
    """
    raise NotImplementedError("先取 exp，再沿 `axis` 归一化 —— 并且在 |x| 达到 1e4 时也保证结果有限")
