"""Known mistakes for softmax-backward: each function is the backward pass the way a candidate gets it
wrong. The grader runs a failing input through them to name what went wrong."""

import numpy as np


def no_sum_term(y, grad_y):
    return y * grad_y


def sigmoid_derivative(y, grad_y):
    return grad_y * y * (1.0 - y)


def sum_wrong_axis(y, grad_y):
    return y * (grad_y - np.sum(grad_y * y, axis=0, keepdims=True))


def no_keepdims(y, grad_y):
    inner = np.sum(grad_y * y, axis=-1)  # (…,) broadcasts against the LAST axis, not along it
    return y * (grad_y - inner)


def unweighted_sum(y, grad_y):
    return y * (grad_y - np.sum(grad_y, axis=-1, keepdims=True))


def sign_flipped(y, grad_y):
    return y * (np.sum(grad_y * y, axis=-1, keepdims=True) - grad_y)


def mean_not_sum(y, grad_y):
    return y * (grad_y - np.mean(grad_y * y, axis=-1, keepdims=True))


def softmax_of_y(y, grad_y):
    e = np.exp(y - y.max(axis=-1, keepdims=True))
    s = e / e.sum(axis=-1, keepdims=True)
    return s * (grad_y - np.sum(grad_y * s, axis=-1, keepdims=True))


def cross_entropy_shortcut(y, grad_y):
    return y - grad_y


def outer_added(y, grad_y):
    return y * (grad_y + np.sum(grad_y * y, axis=-1, keepdims=True))


def grad_in_place(y, grad_y):
    grad_y -= np.sum(grad_y * y, axis=-1, keepdims=True)  # writes into the caller's gradient
    grad_y *= y
    return grad_y


MISTAKES = {
    "no-sum-term": {
        "en": "you returned y ⊙ g, the diagonal of the Jacobian only; every output depends on every input, so subtract the row sum: y ⊙ (g − Σ g⊙y)",
        "zh": "你返回的是 y ⊙ g，只用了雅可比矩阵的对角线；每个输出都依赖这一行所有的输入，所以还要减去行和：y ⊙ (g − Σ g⊙y)",
        "softmax_backward": no_sum_term,
    },
    "sigmoid-derivative": {
        "en": "you used g ⊙ y ⊙ (1 − y), the derivative of the sigmoid; softmax couples the entries of a row: y ⊙ (g − Σ g⊙y)",
        "zh": "你用了 g ⊙ y ⊙ (1 − y)，那是 sigmoid 的导数；softmax 会把同一行的元素耦合在一起：y ⊙ (g − Σ g⊙y)",
        "softmax_backward": sigmoid_derivative,
    },
    "sum-wrong-axis": {
        "en": "your sum Σ g⊙y runs over axis 0 (the batch); it runs over the last axis, one sum per row",
        "zh": "你的 Σ g⊙y 是沿 axis 0（batch 维）求的；应沿最后一维求和，每一行一个和",
        "softmax_backward": sum_wrong_axis,
    },
    "no-keepdims": {
        "en": "your row sum Σ g⊙y lost its axis (no keepdims=True), so it broadcast across the last axis instead of along it",
        "zh": "你的行和 Σ g⊙y 丢掉了那一维（没有 keepdims=True），于是它沿错误的方向广播到了最后一维上",
        "softmax_backward": no_keepdims,
    },
    "unweighted-sum": {
        "en": "you subtracted Σ g (the plain sum of the upstream gradient); the term is Σ g⊙y, weighted by the probabilities",
        "zh": "你减去的是 Σ g（上游梯度的简单求和）；这一项应是按概率加权的 Σ g⊙y",
        "softmax_backward": unweighted_sum,
    },
    "sign-flipped": {
        "en": "your gradient has the wrong sign: it is y ⊙ (g − Σ g⊙y), not y ⊙ (Σ g⊙y − g)",
        "zh": "你的梯度符号反了：应为 y ⊙ (g − Σ g⊙y)，而不是 y ⊙ (Σ g⊙y − g)",
        "softmax_backward": sign_flipped,
    },
    "mean-not-sum": {
        "en": "you took the MEAN of g⊙y over the row; the Jacobian term yᵀg is a sum",
        "zh": "你对这一行的 g⊙y 取了平均；雅可比项 yᵀg 是求和",
        "softmax_backward": mean_not_sum,
    },
    "softmax-of-y": {
        "en": "you applied softmax to y again; y is already the softmax output — use it as it is",
        "zh": "你又对 y 做了一次 softmax；y 已经是 softmax 的输出，直接用它",
        "softmax_backward": softmax_of_y,
    },
    "cross-entropy-shortcut": {
        "en": "you returned y − g, the shortcut p − onehot that holds only for softmax followed by cross-entropy; for any upstream gradient g it is y ⊙ (g − Σ g⊙y)",
        "zh": "你返回了 y − g，这是 softmax 接交叉熵时才成立的捷径 p − onehot；对任意上游梯度 g 应为 y ⊙ (g − Σ g⊙y)",
        "softmax_backward": cross_entropy_shortcut,
    },
    "modifies-grad-y": {
        "en": "you wrote the result into grad_y in place (grad_y -= …); the caller's gradient must stay as it was: build a new array",
        "zh": "你把结果原地写进了 grad_y（grad_y -= …）；调用者的梯度必须保持不变：要新建一个数组",
        "softmax_backward": grad_in_place,
    },
    "outer-sign": {
        "en": "you added the rank-one term instead of subtracting it: the Jacobian is diag(y) − y yᵀ, so the result is y ⊙ g − y (yᵀg)",
        "zh": "你把秩一项加上去了而不是减掉：雅可比矩阵是 diag(y) − y yᵀ，所以结果是 y ⊙ g − y (yᵀg)",
        "softmax_backward": outer_added,
    },
}
