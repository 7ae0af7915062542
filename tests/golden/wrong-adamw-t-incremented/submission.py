import numpy as np


def adamw_step(params, grads, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    b1, b2 = betas
    t = t + 1  # "step count after this update"
    P, M, V = {}, {}, {}
    for k in params:
        M[k] = b1 * m[k] + (1 - b1) * grads[k]
        V[k] = b2 * v[k] + (1 - b2) * grads[k] ** 2
        mh, vh = M[k] / (1 - b1**t), V[k] / (1 - b2**t)
        P[k] = params[k] - lr * (mh / (np.sqrt(vh) + eps) + weight_decay * params[k])
    return P, M, V
