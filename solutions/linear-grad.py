"""Reference: the backward pass of a linear layer y = x @ w.T + b."""


def linear_backward(x, w, b, grad_y):
    # y[n, o] = Σ_i x[n, i] w[o, i] + b[o]. Each gradient sums grad_y over whatever index its parameter does
    # not carry, and the shapes say which product it is:
    grad_x = grad_y @ w  # (N, D_out) @ (D_out, D_in) -> (N, D_in):      Σ_o grad_y[n, o] w[o, i]
    grad_w = grad_y.T @ x  # (D_out, N) @ (N, D_in) -> (D_out, D_in):    Σ_n grad_y[n, o] x[n, i]
    grad_b = grad_y.sum(axis=0)  # (D_out,): b is shared by every row, so its gradient is a sum over N
    return grad_x, grad_w, grad_b
