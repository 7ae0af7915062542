"""InfoNCE / CLIP 对比损失——写完后运行 `tfprep grade info-nce`。"""

import torch
import torch.nn.functional as F


def info_nce(a, b, temperature=0.07, symmetric=False):
    """a、b：(N, D) 成对的 embedding（a_i 与 b_i 配对）。返回平均损失，为 0 维张量。

    symmetric=False：只算 a→b 的损失；symmetric=True：a→b 与 b→a 两个损失的平均（CLIP）。
    """
    raise NotImplementedError("计算对比损失")
