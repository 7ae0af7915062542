"""线性层的反向传播 —— 写完后运行 `tfprep grade linear-grad`。"""

import numpy as np


def linear_backward(x, w, b, grad_y):
    """前向：y = x @ w.T + b，其中 x (N, D_in)，w (D_out, D_in)，b (D_out,)；grad_y = dL/dy (N, D_out)。

    返回 (grad_x (N, D_in), grad_w (D_out, D_in), grad_b (D_out,))。
    """
    raise NotImplementedError("由 grad_y 推导出 dL/dx、dL/dw 和 dL/db")
