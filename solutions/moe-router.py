"""Reference: a top-k MoE router with the Switch-Transformer load-balancing loss, in NumPy.

softmax over the experts, then top-k by probability (a stable sort: equal probabilities keep the lower
expert index first), then the k chosen probabilities renormalised to sum to 1 (as Mixtral). The auxiliary
loss α·E·Σ_i f_i·P_i uses f_i = the share of the N·k assignments that go to expert i (Σ f = 1) and
P_i = the mean router probability of expert i over the tokens (Σ P = 1); a uniform router gives α.
"""

import numpy as np


def moe_router(x, w_gate, top_k, alpha=0.01):
    logits = x @ w_gate  # (N, E)
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    probs = z / z.sum(axis=-1, keepdims=True)
    n, e = probs.shape
    indices = np.argsort(-probs, axis=-1, kind="stable")[:, :top_k]  # descending; ties: lower index first
    chosen = np.take_along_axis(probs, indices, axis=-1)
    weights = chosen / chosen.sum(axis=-1, keepdims=True)
    f = np.bincount(indices.ravel(), minlength=e) / (n * top_k)
    p_mean = probs.mean(axis=0)
    aux = alpha * e * float(np.sum(f * p_mean))
    return indices.astype(np.int64), weights, aux
