import numpy as np


def _lsm(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def cross_entropy(logits, targets):
    return float(-_lsm(logits)[np.arange(len(targets)), targets].mean())


def cross_entropy_grad(logits, targets):
    n = len(targets)
    g = np.exp(_lsm(logits.astype(np.float64)))  # float64 always
    g[np.arange(n), targets] -= 1.0
    return g / n
