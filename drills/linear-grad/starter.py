"""Backward pass of a linear layer — run `tfprep grade linear-grad` when you are done."""

import numpy as np


def linear_backward(x, w, b, grad_y):
    """Forward: y = x @ w.T + b with x (N, D_in), w (D_out, D_in), b (D_out,); grad_y = dL/dy (N, D_out).

    Returns (grad_x (N, D_in), grad_w (D_out, D_in), grad_b (D_out,)).
    """
    raise NotImplementedError("derive dL/dx, dL/dw and dL/db from grad_y")
