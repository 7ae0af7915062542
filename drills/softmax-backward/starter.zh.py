"""softmax 的反向传播 —— 写完后运行 `tfprep grade softmax-backward`。"""

import numpy as np


def softmax_backward(y, grad_y):
    """y = softmax(x)（沿最后一维），形状 (..., n)；grad_y = dL/dy，形状相同。返回 dL/dx。"""
    raise NotImplementedError("dL/dx = y * (grad_y - 沿最后一维的 sum(grad_y * y))")
