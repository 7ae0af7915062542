"""Reference: online softmax (Milakov & Gimelshein, 2018) over the last axis, in NumPy.

The statistics of a row are gathered in ONE pass over its chunks: a running max m and a running sum
s = Σ exp(x_i − m) over everything seen so far. When a chunk raises the max from m to m', every term
already in s was taken relative to the old max, so s is rescaled by exp(m − m') (≤ 1: it never overflows).
Before anything is seen, m = −inf and s = 0; while a row has seen only −inf, m stays −inf and s stays 0
(exp(−inf − (−inf)) would be NaN, so that case is guarded). At the end, logsumexp = m + log(s), and the
softmax is exp(x − logsumexp) — the second pass writes the output; the statistics needed only one.
This is the update FlashAttention runs per tile.
"""

import numpy as np


def online_update(m, s, chunk):
    chunk_max = chunk.max(axis=-1)
    m_new = np.maximum(m, chunk_max)
    finite = np.isfinite(m_new)
    safe = np.where(finite, m_new, 0.0)  # rows that have seen only -inf: keep s = 0, no NaN
    rescale = np.where(finite, np.exp(m - safe), 0.0)
    fresh = np.exp(chunk - safe[..., None]).sum(axis=-1)
    s_new = np.where(finite, s * rescale + fresh, 0.0).astype(s.dtype)
    return m_new.astype(m.dtype), s_new


def online_logsumexp(x, block=64):
    lead = x.shape[:-1]
    m = np.full(lead, -np.inf, dtype=x.dtype)
    s = np.zeros(lead, dtype=x.dtype)
    for start in range(0, x.shape[-1], block):
        m, s = online_update(m, s, x[..., start : start + block])
    with np.errstate(divide="ignore"):  # s = 0 only for all -inf rows: log(0) = -inf, the right answer
        return m + np.log(s)


def online_softmax(x, block=64):
    lse = online_logsumexp(x, block)
    with np.errstate(invalid="ignore"):  # an all -inf row: -inf - (-inf) = NaN, as 0/0 should be
        return np.exp(x - lse[..., None])
