"""Hidden suite: grouped-query attention. Gaussian inputs (unsaturated softmax); groups of size ≥ 2 with at
least 2 kv heads so a tiled (.repeat) head mapping differs from the grouped one; MQA (Hkv = 1) and MHA
(Hkv = Hq) as the two ends; masks of several broadcast shapes; a per-head brute force."""

import math

import numpy as np

from tfprep.grading.protocol import Call

ENTRY = "grouped_query_attention"


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def qkv(judge, b, hq, hkv, lq, lk, d):
    return gaussian(judge, b, hq, lq, d), gaussian(judge, b, hkv, lk, d), gaussian(judge, b, hkv, lk, d)


def brute_force(q, k, v, mask=None):
    """One query head at a time, in numpy: head h reads kv head h // (Hq / Hkv)."""
    b, hq, lq, d = q.shape
    group = hq // k.shape[1]
    allowed = (
        np.ones((b, hq, lq, k.shape[2]), dtype=bool)
        if mask is None
        else np.broadcast_to(mask, (b, hq, lq, k.shape[2]))
    )
    out = np.empty((b, hq, lq, v.shape[-1]))
    for i in range(b):
        for h in range(hq):
            kv = h // group
            s = q[i, h] @ k[i, kv].T / math.sqrt(d)
            s = np.where(allowed[i, h], s, -np.inf)
            w = np.exp(s - s.max(-1, keepdims=True))
            out[i, h] = (w / w.sum(-1, keepdims=True)) @ v[i, kv]
    return out


def test_worked_example(judge):
    """the example of the statement: 4 query heads sharing 2 kv heads, one query, two keys, d = 3"""
    q = np.array([[[[1.0, 0.0, 1.0]], [[0.0, 1.0, 0.0]], [[1.0, 1.0, 0.0]], [[2.0, 0.0, -1.0]]]])
    k = np.array([[[[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]], [[0.0, 2.0, 0.0], [1.0, 1.0, -1.0]]]])
    v = np.array([[[[1.0, 0.0, 0.0], [0.0, 1.0, 2.0]], [[2.0, 2.0, 0.0], [0.0, 4.0, 1.0]]]])
    judge.check(ENTRY, q, k, v)


def test_grouped_heads(judge):
    """8 query heads over 2 kv heads (groups of 4), Lq ≠ Lk"""
    judge.check(ENTRY, *qkv(judge, 2, 8, 2, 5, 7, 16))


def test_more_kv_heads_than_group_size(judge):
    """6 query heads over 3 kv heads (groups of 2)"""
    judge.check(ENTRY, *qkv(judge, 2, 6, 3, 4, 6, 8))


def test_multi_query(judge):
    """MQA: every query head shares the single kv head (Hkv = 1)"""
    judge.check(ENTRY, *qkv(judge, 3, 4, 1, 3, 5, 8))


def test_multi_head(judge):
    """MHA: one kv head per query head (Hkv = Hq)"""
    judge.check(ENTRY, *qkv(judge, 2, 3, 3, 4, 4, 8))


def test_causal_mask(judge):
    """an (Lq, Lk) causal mask aligned bottom-right (Lq < Lk), broadcast over batch and heads"""
    b, hq, hkv, lq, lk, d = 2, 4, 2, 3, 6, 16
    mask = np.tril(np.ones((lq, lk), dtype=bool), k=lk - lq)
    judge.check(ENTRY, *qkv(judge, b, hq, hkv, lq, lk, d), mask=mask)


def test_padding_mask(judge):
    """a key-padding mask of shape (B, 1, 1, Lk)"""
    b, hq, hkv, lq, lk, d = 2, 6, 2, 3, 7, 8
    mask = np.zeros((b, 1, 1, lk), dtype=bool)
    for i, n in enumerate((3, 7)):
        mask[i, ..., :n] = True
    judge.check(ENTRY, *qkv(judge, b, hq, hkv, lq, lk, d), mask=mask)


def test_per_query_head_mask(judge):
    """a full (B, Hq, Lq, Lk) mask: one mask per QUERY head"""
    b, hq, hkv, lq, lk, d = 2, 4, 2, 3, 5, 8
    mask = judge.rng.random((b, hq, lq, lk)) < 0.5
    mask[..., -1] = True
    judge.check(ENTRY, *qkv(judge, b, hq, hkv, lq, lk, d), mask=mask)


def test_matches_per_head_brute_force(judge):
    """equals attention computed one query head at a time with kv head h // (Hq / Hkv)"""
    for hq, hkv in ((4, 2), (6, 3), (8, 4), (6, 1), (2, 2)):
        b, lq, lk, d = 2, int(judge.rng.integers(1, 5)), int(judge.rng.integers(2, 7)), 5
        q, k, v = qkv(judge, b, hq, hkv, lq, lk, d)
        mask = judge.rng.random((b, 1, lq, lk)) < 0.7
        mask[..., 0] = True
        got = judge.call(ENTRY, q, k, v, mask)
        judge.expect(got, brute_force(q, k, v, mask), call=Call(ENTRY, (q, k, v, mask)), label="output")


def test_random_shapes(judge):
    """random shapes from the run's seed: batch, lengths, head counts and head width"""
    for _ in range(3):
        hkv = int(judge.rng.integers(2, 4))
        hq = hkv * int(judge.rng.integers(2, 4))
        b = int(judge.rng.integers(1, 4))
        lq, lk = (int(x) for x in judge.rng.integers(1, 9, size=2))
        d = int(judge.rng.integers(2, 33))
        while d in (hq, hkv):  # d = Hq would make √(Hq·d) equal d and hide which scale is wrong
            d = int(judge.rng.integers(2, 33))
        judge.check(ENTRY, *qkv(judge, b, hq, hkv, lq, lk, d))


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out"""
    q, k, v = (a.astype(np.float32) for a in qkv(judge, 2, 4, 2, 3, 5, 8))
    out = judge.check(ENTRY, q, k, v, atol=1e-5, rtol=1e-4)
    assert out.dtype == np.float32, judge.tr(
        "float32 inputs gave a {dtype} output; keep the input dtype", dtype=out.dtype
    )


def test_indivisible_heads_raise(judge):
    """Hq not divisible by Hkv raises ValueError"""
    judge.raises("ValueError", ENTRY, *qkv(judge, 1, 6, 4, 2, 3, 4))
    judge.raises("ValueError", ENTRY, *qkv(judge, 1, 3, 2, 2, 3, 4))
