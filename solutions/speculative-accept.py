"""Reference: the accept/reject rule of speculative decoding (Leviathan et al. 2023, Chen et al. 2023), in NumPy.

A draft model proposed x_1..x_γ, each sampled from its distribution q_i; the target model scored the prefix
in one pass, giving p_1..p_{γ+1}. Draft token x_i is kept with probability min(1, p_i(x_i)/q_i(x_i)); at the
first rejection one token is drawn from the residual max(0, p_i − q_i), normalised, and the step ends; if
every draft token is kept, a bonus token is drawn from p_{γ+1}. Each emitted token is then distributed
exactly as p — the target's own sampling, at a fraction of its forward passes.

Draws are pinned to inverse-CDF sampling with a given uniform v, so results are reproducible.
"""

import numpy as np


def _sample(probs, v):
    """The smallest index j with cumsum(probs)[j] > v (never past the last token of nonzero mass)."""
    j = int(np.searchsorted(np.cumsum(probs), v, side="right"))
    return min(j, int(np.flatnonzero(probs)[-1]))


def speculative_accept(draft_tokens, p, q, u, v):
    batch, gamma = draft_tokens.shape
    out = np.full((batch, gamma + 1), -1, dtype=np.int64)
    for b in range(batch):
        for i in range(gamma):
            x = int(draft_tokens[b, i])
            if u[b, i] <= p[b, i, x] / q[b, i, x]:  # accept with probability min(1, p/q)
                out[b, i] = x
                continue
            residual = np.maximum(p[b, i] - q[b, i], 0.0)
            out[b, i] = _sample(residual / residual.sum(), v[b])
            break
        else:  # every draft token accepted: the target's next distribution gives a bonus token
            out[b, gamma] = _sample(p[b, gamma], v[b])
    return out
