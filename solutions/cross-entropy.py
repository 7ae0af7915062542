"""Reference: mean cross-entropy of logits against integer class targets, and its gradient."""

import numpy as np


def log_softmax(logits):
    """log p for each row, computed as x - logsumexp(x) with the row max shifted out.

    Never forms p and then takes its log: a probability like e^-900 underflows to 0 and log(0) = -inf,
    while x - logsumexp(x) = -900 is perfectly representable.
    """
    shifted = logits - logits.max(axis=1, keepdims=True)  # the row max becomes 0: exp cannot overflow
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # the sum is >= 1: log is finite


def cross_entropy(logits, targets):
    n = logits.shape[0]
    picked = log_softmax(logits)[np.arange(n), targets]  # log p of the right class, one per row
    return float(-picked.mean())


def cross_entropy_grad(logits, targets):
    # d/dz of -log softmax(z)_t is softmax(z) - onehot(t); the mean over N divides every row by N.
    n = logits.shape[0]
    grad = np.exp(log_softmax(logits))
    grad[np.arange(n), targets] -= 1.0
    return grad / n
