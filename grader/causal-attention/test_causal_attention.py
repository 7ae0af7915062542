"""Hidden suite: causal attention. The mask is checked exactly (bool, bottom-right aligned); the attention
with Lq = Lk, with Lq < Lk (a chunk of new queries against a cache) and with a single query against a long
cache, on Gaussian inputs so a missing scale or a wrong mask moves the output well beyond the tolerance."""

import numpy as np

from tfprep.grading.protocol import Call


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def allowed(lq, lk):
    """Brute force: query i (absolute position i + lk - lq) may see key j when j <= i + lk - lq."""
    return np.array([[j <= i + lk - lq for j in range(lk)] for i in range(lq)], dtype=bool).reshape(lq, lk)


def qkv(judge, lead, lq, lk, dk, dv):
    return gaussian(judge, *lead, lq, dk), gaussian(judge, *lead, lk, dk), gaussian(judge, *lead, lk, dv)


def test_worked_example(judge):
    """the example of the statement: causal_mask(2, 4), causal_mask(3, 3) and a 2-query, 3-key attention"""
    judge.check("causal_mask", 2, 4)
    judge.check("causal_mask", 3, 3)
    q = np.array([[1.0, 0.0], [0.0, 1.0]])
    k = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    v = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    judge.check("causal_attention", q, k, v)


def test_mask_square(judge):
    """causal_mask(L, L) is the lower triangle including the diagonal, as a bool tensor"""
    for n in (1, 2, 5, 8):
        judge.check("causal_mask", n, n)


def test_mask_with_cache(judge):
    """causal_mask(lq, lk) with lq < lk is aligned bottom-right; a single query sees the whole cache"""
    for lq, lk in ((1, 1), (1, 6), (2, 5), (3, 7), (4, 9)):
        judge.check("causal_mask", lq, lk)


def test_mask_matches_brute_force(judge):
    """causal_mask equals "key j visible iff j ≤ i + lk − lq" for every 1 ≤ lq ≤ lk ≤ 10"""
    for lk in range(1, 11):
        for lq in range(1, lk + 1):
            judge.expect(
                judge.call("causal_mask", lq, lk),
                allowed(lq, lk),
                call=Call("causal_mask", (lq, lk)),
                label="mask",
            )


def test_attention_no_batch_dims(judge):
    """a single (L, d_k) sequence attending to itself, d_v ≠ d_k"""
    judge.check("causal_attention", *qkv(judge, (), 6, 6, 8, 5))


def test_attention_batch_and_heads(judge):
    """(batch, heads, L, d) self-attention"""
    judge.check("causal_attention", *qkv(judge, (2, 3), 7, 7, 16, 16))


def test_attention_chunk_against_cache(judge):
    """Lq < Lk: a chunk of new queries attends to the cached keys and to the earlier queries of the chunk"""
    judge.check("causal_attention", *qkv(judge, (2,), 3, 8, 16, 6))
    judge.check("causal_attention", *qkv(judge, (2, 2), 4, 5, 8, 8))


def test_single_query_sees_whole_cache(judge):
    """Lq = 1 against a long cache: the new query attends to every key"""
    judge.check("causal_attention", *qkv(judge, (3,), 1, 40, 16, 8))
    judge.check("causal_attention", *qkv(judge, (2, 2), 1, 2, 4, 4))


def test_random_shapes(judge):
    """random shapes from the run's seed, zero to two leading dims, Lq ≤ Lk"""
    for _ in range(4):
        lead = tuple(int(x) for x in judge.rng.integers(1, 4, size=judge.rng.integers(0, 3)))
        lk = int(judge.rng.integers(2, 12))
        lq = int(judge.rng.integers(1, lk + 1))
        dk, dv = (int(x) for x in judge.rng.integers(2, 33, size=2))
        judge.check("causal_attention", *qkv(judge, lead, lq, lk, dk, dv))


def test_future_does_not_leak(judge):
    """changing the keys/values a query may not see leaves its output unchanged"""
    lq, lk, d = 5, 8, 8
    q, k, v = qkv(judge, (2,), lq, lk, d, d)
    out = judge.call("causal_attention", q, k, v)
    assert isinstance(out, np.ndarray) and out.shape == (2, lq, d), judge.tr(
        "expected an output of shape (2, {lq}, {d})", lq=lq, d=d
    )
    for i in range(lq - 1):
        last = i + lk - lq  # the last key query i may see
        k2, v2 = k.copy(), v.copy()
        k2[:, last + 1 :] = gaussian(judge, 2, lk - last - 1, d) * 3.0
        v2[:, last + 1 :] = gaussian(judge, 2, lk - last - 1, d) * 3.0
        out2 = judge.call("causal_attention", q, k2, v2)
        assert np.allclose(out2[:, i], out[:, i], atol=1e-9), judge.tr(
            "query {i} of {lq} (keys {lk}) changed when only keys after position {last} changed: the future leaks",
            i=i,
            lq=lq,
            lk=lk,
            last=last,
        )


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out"""
    q, k, v = (a.astype(np.float32) for a in qkv(judge, (2,), 4, 6, 8, 3))
    out = judge.check("causal_attention", q, k, v, atol=1e-5, rtol=1e-4)
    assert out.dtype == np.float32, judge.tr(
        "float32 inputs gave a {dtype} output; keep the input dtype", dtype=out.dtype
    )
