"""一步 AdamW——写完后运行 `tfprep grade adamw-step`。"""

import numpy as np


def adamw_step(params, grads, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    """params、grads、m、v：名字 → 数组的 dict（键和形状都相同）；t >= 1 是本次更新的序号。

    返回 (new_params, new_m, new_v)，都是由新数组组成的新 dict；输入必须保持不变。
    """
    raise NotImplementedError("计算一次 AdamW 更新")
