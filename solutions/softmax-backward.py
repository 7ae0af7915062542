"""Reference: the backward pass of softmax over the last axis, in NumPy, without autograd.

With y = softmax(x) along the last axis, the Jacobian of one row is J = diag(y) - y yᵀ (symmetric), so

    dL/dx = J · g = y ⊙ g - y (yᵀ g) = y ⊙ (g - Σ_j g_j y_j),     g = dL/dy.

That is a Jacobian-vector product in O(n) per row: the n×n Jacobian is never built. The inner sum is per
row (keepdims, so it broadcasts back along the last axis). Adding a constant to every g_j of a row does not
change the result (Σ y_j = 1), and every row of dL/dx sums to 0 (softmax ignores a shift of x).
"""

import numpy as np


def softmax_backward(y, grad_y):
    inner = np.sum(grad_y * y, axis=-1, keepdims=True)  # yᵀg per row
    return y * (grad_y - inner)
