"""Known mistakes for the linear-layer backward drill: each variant returns (grad_x, grad_w, grad_b) the way
candidates get one part wrong. The grader runs a failing input through them to name what went wrong."""


def grad_b_mean(x, w, b, grad_y):
    return grad_y @ w, grad_y.T @ x, grad_y.mean(axis=0)


def grad_b_keepdims(x, w, b, grad_y):
    return grad_y @ w, grad_y.T @ x, grad_y.sum(axis=0, keepdims=True)


def grad_x_transposed(x, w, b, grad_y):
    return w.T @ grad_y.T, grad_y.T @ x, grad_y.sum(axis=0)


def grad_b_not_summed(x, w, b, grad_y):
    return grad_y @ w, grad_y.T @ x, grad_y


def grad_b_wrong_axis(x, w, b, grad_y):
    return grad_y @ w, grad_y.T @ x, grad_y.sum(axis=1)


def grad_w_transposed(x, w, b, grad_y):
    return grad_y @ w, x.T @ grad_y, grad_y.sum(axis=0)


def grad_x_uses_w_transposed(x, w, b, grad_y):
    return grad_y @ w.T, grad_y.T @ x, grad_y.sum(axis=0)


def averaged_over_batch(x, w, b, grad_y):
    n = x.shape[0]
    return grad_y @ w, grad_y.T @ x / n, grad_y.sum(axis=0) / n


def wrong_order(x, w, b, grad_y):
    return grad_y.T @ x, grad_y @ w, grad_y.sum(axis=0)


MISTAKES = {
    "grad-b-mean": {
        "en": "your grad_b is the mean of grad_y over the batch; b is added to every row, so its gradient is the sum over N",
        "zh": "你的 grad_b 是 grad_y 在 batch 上的平均；b 加到了每一行上，它的梯度应是对 N 求和",
        "linear_backward": grad_b_mean,
    },
    "grad-b-keepdims": {
        "en": "your grad_b has shape (1, D_out) (a sum with keepdims=True); it must have the shape of b, (D_out,)",
        "zh": "你的 grad_b 形状是 (1, D_out)（求和时用了 keepdims=True）；它必须与 b 形状相同，即 (D_out,)",
        "linear_backward": grad_b_keepdims,
    },
    "grad-b-not-summed": {
        "en": "your grad_b is grad_y itself, shape (N, D_out); sum it over the batch to get shape (D_out,)",
        "zh": "你的 grad_b 就是 grad_y 本身，形状 (N, D_out)；应对 batch 求和，得到形状 (D_out,)",
        "linear_backward": grad_b_not_summed,
    },
    "grad-b-wrong-axis": {
        "en": "your grad_b sums grad_y over the output units (axis=1); sum over the batch (axis=0)",
        "zh": "你的 grad_b 是沿输出单元（axis=1）对 grad_y 求和；应沿 batch（axis=0）求和",
        "linear_backward": grad_b_wrong_axis,
    },
    "grad-w-transposed": {
        "en": "your grad_w is x.T @ grad_y, shape (D_in, D_out): the transpose of the gradient; w is (D_out, D_in), so grad_w = grad_y.T @ x",
        "zh": "你的 grad_w 是 x.T @ grad_y，形状 (D_in, D_out)，是梯度的转置；w 的形状是 (D_out, D_in)，所以 grad_w = grad_y.T @ x",
        "linear_backward": grad_w_transposed,
    },
    "grad-x-uses-w-transposed": {
        "en": "your grad_x is grad_y @ w.T, which only has the right shape when w is square; y = x @ w.T, so grad_x = grad_y @ w",
        "zh": "你的 grad_x 是 grad_y @ w.T，只有 w 是方阵时形状才对得上；y = x @ w.T，所以 grad_x = grad_y @ w",
        "linear_backward": grad_x_uses_w_transposed,
    },
    "grad-x-transposed": {
        "en": "your grad_x is w.T @ grad_y.T, shape (D_in, N) — the column-vector convention; here rows are examples, so grad_x = grad_y @ w, shape (N, D_in)",
        "zh": "你的 grad_x 是 w.T @ grad_y.T，形状 (D_in, N)——这是列向量的写法；这里每一行是一个样本，所以 grad_x = grad_y @ w，形状 (N, D_in)",
        "linear_backward": grad_x_transposed,
    },
    "averaged-over-batch": {
        "en": "you divided grad_w and grad_b by N: grad_y already holds dL/dy, so any averaging in the loss is already in it",
        "zh": "你把 grad_w 和 grad_b 除以了 N：grad_y 已经是 dL/dy，损失中的平均已经包含在里面了",
        "linear_backward": averaged_over_batch,
    },
    "wrong-order": {
        "en": "you returned (grad_w, grad_x, grad_b); the order is (grad_x, grad_w, grad_b)",
        "zh": "你返回的是 (grad_w, grad_x, grad_b)；顺序应为 (grad_x, grad_w, grad_b)",
        "linear_backward": wrong_order,
    },
}
