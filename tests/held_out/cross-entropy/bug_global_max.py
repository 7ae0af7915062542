import numpy as np


def cross_entropy(logits, targets):
    m = logits.max()
    lse = m + np.log(np.sum(np.exp(logits - m), axis=1))
    return float(np.mean(lse - logits[np.arange(len(targets)), targets]))


def cross_entropy_grad(logits, targets):
    m = logits.max(axis=1, keepdims=True)
    p = np.exp(logits - m)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(targets)), targets] -= 1
    return p / len(targets)
