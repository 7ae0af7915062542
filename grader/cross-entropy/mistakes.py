"""Known mistakes for the cross-entropy drill: each variant is the loss or its gradient written the way
candidates get it wrong. The grader runs a failing input through them to name what went wrong.
(Helper names are prefixed with _m_ so they never shadow the reference's own functions.)"""

import numpy as np


def _m_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _m_log_softmax(z):
    s = z - z.max(axis=1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=1, keepdims=True))


def _m_rows(z):
    return np.arange(z.shape[0])


# ---- the loss


def log_of_softmax(logits, targets):
    p = _m_softmax(logits)
    return float(-np.log(p[_m_rows(logits), targets]).mean())


def no_max_shift(logits, targets):
    lse = np.log(np.exp(logits).sum(axis=1))
    return float((lse - logits[_m_rows(logits), targets]).mean())


def lse_missing_max(logits, targets):
    m = logits.max(axis=1, keepdims=True)
    lse = np.log(np.exp(logits - m).sum(axis=1))
    return float((lse - logits[_m_rows(logits), targets]).mean())


def sum_not_mean(logits, targets):
    return float(-_m_log_softmax(logits)[_m_rows(logits), targets].sum())


def mean_over_classes_too(logits, targets):
    onehot = np.eye(logits.shape[1])[targets]
    return float(-(onehot * _m_log_softmax(logits)).mean())


def mse(logits, targets):
    onehot = np.eye(logits.shape[1])[targets]
    return float(((_m_softmax(logits) - onehot) ** 2).mean())


def log2(logits, targets):
    return float(-_m_log_softmax(logits)[_m_rows(logits), targets].mean() / np.log(2.0))


def log10(logits, targets):
    return float(-_m_log_softmax(logits)[_m_rows(logits), targets].mean() / np.log(10.0))


def missing_minus(logits, targets):
    return float(_m_log_softmax(logits)[_m_rows(logits), targets].mean())


def column_index(logits, targets):
    return float(-_m_log_softmax(logits)[:, targets].mean())


# ---- the gradient


def grad_sign_flipped(logits, targets):
    onehot = np.eye(logits.shape[1])[targets]
    return (onehot - _m_softmax(logits)) / logits.shape[0]


def grad_missing_mean(logits, targets):
    onehot = np.eye(logits.shape[1])[targets]
    return _m_softmax(logits) - onehot


def grad_no_onehot(logits, targets):
    return _m_softmax(logits) / logits.shape[0]


def grad_no_max_shift(logits, targets):
    e = np.exp(logits)
    onehot = np.eye(logits.shape[1])[targets]
    return (e / e.sum(axis=1, keepdims=True) - onehot) / logits.shape[0]


def batch_max_shift(logits, targets):
    m = logits.max()  # one max for the whole batch, not one per row
    lse = m + np.log(np.exp(logits - m).sum(axis=1))
    return float((lse - logits[_m_rows(logits), targets]).mean())


def grad_batch_max_shift(logits, targets):
    e = np.exp(logits - logits.max())
    onehot = np.eye(logits.shape[1])[targets]
    return (e / e.sum(axis=1, keepdims=True) - onehot) / logits.shape[0]


def grad_column_index(logits, targets):
    g = _m_softmax(logits)
    g[:, targets] -= 1.0
    return g / logits.shape[0]


MISTAKES = {
    "log-of-softmax": {
        "en": "you took the log of the softmax probabilities: when the target's logit is far below the row max its probability underflows to 0 and log(0) = -inf, so the loss is inf; compute log p = x - logsumexp(x) directly",
        "zh": "你先算 softmax 概率再取 log：目标类的 logit 远低于该行最大值时，概率下溢成 0，log(0) = -inf，损失变成 inf；应直接算 log p = x - logsumexp(x)",
        "cross_entropy": log_of_softmax,
    },
    "no-max-shift": {
        "en": "your log-sum-exp computes exp(logits) directly: it overflows to inf for logits above ~709 (and gives log 0 = -inf for very negative rows); subtract each row's max first: logsumexp(x) = m + log Σ exp(x - m)",
        "zh": "你的 log-sum-exp 直接计算 exp(logits)：logit 超过约 709 时溢出成 inf（整行很负时得到 log 0 = -inf）；应先减去每行最大值：logsumexp(x) = m + log Σ exp(x - m)",
        "cross_entropy": no_max_shift,
    },
    "lse-missing-max": {
        "en": "you shifted the logits by the row max inside the exp but did not add it back: logsumexp(x) = m + log Σ exp(x - m), or subtract the shifted target logit",
        "zh": "你在 exp 里减去了每行最大值，却没有把它加回来：logsumexp(x) = m + log Σ exp(x - m)；或者目标 logit 也用减过最大值的那个",
        "cross_entropy": lse_missing_max,
    },
    "sum-not-mean": {
        "en": "your loss is the sum over the N rows; it must be the mean (divide by N)",
        "zh": "你的损失是 N 行的总和；应该取平均（除以 N）",
        "cross_entropy": sum_not_mean,
    },
    "mean-over-classes-too": {
        "en": "you averaged -onehot · log p over all N × C entries, so the loss is C times too small; average over the N rows only",
        "zh": "你对全部 N × C 个元素的 -onehot · log p 取了平均，损失小了 C 倍；只应对 N 行取平均",
        "cross_entropy": mean_over_classes_too,
    },
    "mse": {
        "en": "your loss is the mean squared error between softmax and the one-hot targets, not the cross-entropy -log p[target]",
        "zh": "你算的是 softmax 与 one-hot 目标之间的均方误差，而不是交叉熵 -log p[target]",
        "cross_entropy": mse,
    },
    "log-base-2": {
        "en": "your loss uses log base 2; cross-entropy here uses the natural log",
        "zh": "你的损失用了以 2 为底的对数；这里的交叉熵用自然对数",
        "cross_entropy": log2,
    },
    "log-base-10": {
        "en": "your loss uses log base 10; cross-entropy here uses the natural log",
        "zh": "你的损失用了以 10 为底的对数；这里的交叉熵用自然对数",
        "cross_entropy": log10,
    },
    "missing-minus": {
        "en": "your loss is the mean log-probability of the targets without the minus sign (it comes out negative)",
        "zh": "你的损失是目标类 log 概率的平均值，少了负号（结果为负数）",
        "cross_entropy": missing_minus,
    },
    "column-index": {
        "en": "you indexed logp[:, targets], which takes every row's entries at all N targets (an N × N block); take one entry per row with logp[np.arange(N), targets]",
        "zh": "你用了 logp[:, targets]，它取出的是每一行在全部 N 个目标上的值（N × N 的块）；应用 logp[np.arange(N), targets] 每行只取一个",
        "cross_entropy": column_index,
    },
    "grad-sign-flipped": {
        "en": "your gradient has the wrong sign: it is (onehot - softmax) / N; the gradient of the loss is (softmax - onehot) / N",
        "zh": "你的梯度符号反了：你算的是 (onehot - softmax) / N；损失的梯度是 (softmax - onehot) / N",
        "cross_entropy_grad": grad_sign_flipped,
    },
    "grad-missing-mean": {
        "en": "your gradient is softmax - onehot without the 1/N of the mean: it is the gradient of the summed loss",
        "zh": "你的梯度是 softmax - onehot，少了平均带来的 1/N：这是求和损失的梯度",
        "cross_entropy_grad": grad_missing_mean,
    },
    "grad-no-onehot": {
        "en": "your gradient is softmax / N: you forgot to subtract 1 at each row's target class",
        "zh": "你的梯度是 softmax / N：忘了在每行的目标类上减去 1",
        "cross_entropy_grad": grad_no_onehot,
    },
    "grad-no-max-shift": {
        "en": "your gradient's softmax computes exp(logits) directly: it overflows (inf / inf = NaN) for large logits and gives 0 / 0 for very negative rows; subtract each row's max first",
        "zh": "你在梯度里直接计算 exp(logits) 求 softmax：logit 很大时溢出（inf / inf = NaN），整行很负时得到 0 / 0；应先减去每行最大值",
        "cross_entropy_grad": grad_no_max_shift,
    },
    "grad-column-index": {
        "en": "you subtracted 1 with p[:, targets] -= 1, which hits every row at all target columns; subtract it once per row with p[np.arange(N), targets] -= 1",
        "zh": "你用 p[:, targets] -= 1 减 1，它会在每一行的所有目标列上都减；应用 p[np.arange(N), targets] -= 1 每行只减一次",
        "cross_entropy_grad": grad_column_index,
    },
    "batch-max-shift": {
        "en": "you shifted by one max over the whole batch: a row far below it (all logits near -1e4 next to an ordinary row) underflows to exp = 0 and log 0 = -inf; subtract each row's own max (axis=1, keepdims=True)",
        "zh": "你用整个 batch 的一个最大值做平移：远低于它的行（全部 logit 约为 -1e4，旁边是普通的行）exp 下溢为 0，log 0 = -inf；应减去每一行自己的最大值（axis=1, keepdims=True）",
        "cross_entropy": batch_max_shift,
    },
    "grad-batch-max-shift": {
        "en": "your gradient's softmax shifts by one max over the whole batch: a row far below it gives 0 / 0 = NaN; subtract each row's own max (axis=1, keepdims=True)",
        "zh": "你在梯度的 softmax 里用整个 batch 的一个最大值平移：远低于它的行得到 0 / 0 = NaN；应减去每一行自己的最大值（axis=1, keepdims=True）",
        "cross_entropy_grad": grad_batch_max_shift,
    },
}
