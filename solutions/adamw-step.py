"""Reference: one AdamW step (decoupled weight decay, bias correction), as torch.optim.AdamW computes it."""

import numpy as np


def adamw_step(params, grads, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    beta1, beta2 = betas
    # t counts updates from 1: after the first step m is (1 - beta1) g, and 1 - beta1**1 undoes that shrink.
    bias1 = 1.0 - beta1**t
    bias2 = 1.0 - beta2**t
    new_p, new_m, new_v = {}, {}, {}
    for name, p in params.items():
        g = grads[name]
        # New arrays everywhere (never m *= …): the caller's optimizer state must stay as it was.
        m_t = beta1 * m[name] + (1.0 - beta1) * g
        v_t = beta2 * v[name] + (1.0 - beta2) * g * g
        m_hat = m_t / bias1
        v_hat = v_t / bias2
        # Decoupled decay: shrink p itself by lr·λ·p (from the OLD p), outside the adaptive 1/√v̂ scaling.
        # torch does p *= 1 - lr·λ first, then p -= lr·m̂/(√v̂ + ε): the same numbers.
        new_p[name] = p - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * p)
        new_m[name] = m_t  # the raw moments are the state, not the bias-corrected ones
        new_v[name] = v_t
    return new_p, new_m, new_v
