"""Reference: the FlashAttention forward pass (Dao et al., 2022; loop order of FlashAttention-2), in NumPy.

The queries are cut into blocks of block_q rows and the keys/values into blocks of block_k rows. For one
query block, the key blocks are visited in order while three running statistics are kept per row: the max
m of the scores seen so far, l = Σ exp(score − m), and the unnormalised output acc = Σ exp(score − m) · v.
When a key block raises the max from m to m', everything accumulated so far was relative to m, so both l
and acc are rescaled by exp(m − m'). After the last key block, out = acc / l (divided once, at the end)
and the logsumexp of the row is m + log(l) — what the backward pass needs to recompute the probabilities.
Only block_q × block_k scores exist at any time: the Lq × Lk matrix is never built.

Causal masking is aligned bottom-right (query i sits at position i + Lk − Lq and sees keys j ≤ i + Lk − Lq),
as in FlashAttention ≥ 2.1 and the causal-attention drill; key blocks entirely in the future of a query block
are skipped. With Lq ≤ Lk, key 0 is visible to every query, so the first key block gives every row a finite
max.
"""

import math

import numpy as np


def flash_attention(q, k, v, causal=False, block_q=64, block_k=64):
    lq, d = q.shape[-2], q.shape[-1]
    lk = k.shape[-2]
    scale = 1.0 / math.sqrt(d)
    offset = lk - lq  # query i sits at position i + offset
    out = np.empty(q.shape[:-1] + (v.shape[-1],), dtype=q.dtype)
    lse = np.empty(q.shape[:-1], dtype=q.dtype)
    for i0 in range(0, lq, block_q):
        i1 = min(i0 + block_q, lq)
        qi = q[..., i0:i1, :]
        m = np.full(qi.shape[:-1], -np.inf, dtype=q.dtype)
        l = np.zeros(qi.shape[:-1], dtype=q.dtype)  # noqa: E741 - the paper's name
        acc = np.zeros(qi.shape[:-1] + (v.shape[-1],), dtype=q.dtype)
        for j0 in range(0, lk, block_k):
            if causal and j0 > i1 - 1 + offset:
                break  # this key block and every later one lie in the future of all these queries
            j1 = min(j0 + block_k, lk)
            s = (qi @ np.swapaxes(k[..., j0:j1, :], -1, -2)) * scale
            if causal:
                rows = np.arange(i0, i1)[:, None] + offset
                s = np.where(np.arange(j0, j1)[None, :] <= rows, s, -np.inf)
            m_new = np.maximum(m, s.max(axis=-1))
            p = np.exp(s - m_new[..., None])
            alpha = np.exp(m - m_new)  # exp(-inf) = 0 on the first block
            l = alpha * l + p.sum(axis=-1)  # noqa: E741
            acc = alpha[..., None] * acc + p @ v[..., j0:j1, :]
            m = m_new
        out[..., i0:i1, :] = acc / l[..., None]
        lse[..., i0:i1] = m + np.log(l)
    return out, lse
