import math

import numpy as np


def _one(p, g, m, v, t, lr, b1, b2, eps, wd):
    m2 = np.add(np.multiply(m, b1), np.multiply(g, 1 - b1))
    v2 = b2 * v + (1 - b2) * np.square(g)
    step_size = lr / (1 - b1**t)
    denom = np.sqrt(v2) / math.sqrt(1 - b2**t) + eps
    return p * (1 - lr * wd) - step_size * m2 / denom, m2, v2


def adamw_step(params, grads, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    out = {k: _one(params[k], grads[k], m[k], v[k], t, lr, *betas, eps, weight_decay) for k in params}
    return tuple({k: o[i] for k, o in out.items()} for i in range(3))
