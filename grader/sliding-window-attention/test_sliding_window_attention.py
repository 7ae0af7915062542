"""Hidden suite: causal sliding-window attention. Both outputs (the attention output and the weights) are
compared with a float64 reference: the weights show the band exactly (zeros outside it). Square self-attention,
chunks of queries against a cache (Lq < Lk), a single query, windows of 1, of L and beyond, a sweep over all
small (Lq, Lk, W), leak checks in both directions, large scores, float32, and the inputs after the call."""

import numpy as np

ENTRY = "sliding_window_attention"
LABEL = "output|weights"
TOL = {"atol": 1e-10, "rtol": 1e-8}


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def qkv(judge, lead, lq, lk, dk, dv):
    return gaussian(judge, *lead, lq, dk), gaussian(judge, *lead, lk, dk), gaussian(judge, *lead, lk, dv)


def check(judge, q, k, v, window, **tol):
    return judge.check(ENTRY, q, k, v, window, label=LABEL, **(tol or TOL))


def allowed(lq, lk, window):
    """Brute force: query i (position p = i + lk − lq) sees key j iff p − window < j ≤ p."""
    return np.array(
        [[i + lk - lq - window < j <= i + lk - lq for j in range(lk)] for i in range(lq)], dtype=bool
    ).reshape(lq, lk)


def test_worked_example(judge):
    """the example of the statement: L = 4 with W = 2, then 2 queries against 5 keys with W = 3"""
    q = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    k = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, -1.0]])
    v = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0], [-1.0, 3.0]])
    check(judge, q, k, v, 2)
    k5 = np.vstack([k, [[2.0, 1.0]]])
    v5 = np.vstack([v, [[0.5, -0.5]]])
    check(judge, q[2:], k5, v5, 3)


def test_self_attention_with_heads(judge):
    """(batch, heads, L, d) self-attention, window between 2 and L − 1"""
    for _ in range(2):
        length = int(judge.rng.integers(5, 12))
        window = int(judge.rng.integers(2, length))
        check(judge, *qkv(judge, (2, 3), length, length, 8, 6), window)


def test_no_batch_dims(judge):
    """a single (L, d) sequence"""
    check(judge, *qkv(judge, (), 7, 7, 4, 5), 3)


def test_window_of_one(judge):
    """W = 1: every query sees only itself, so the output is its own value row"""
    check(judge, *qkv(judge, (2,), 6, 6, 4, 3), 1)
    check(judge, *qkv(judge, (2,), 3, 8, 4, 3), 1)


def test_window_covering_everything(judge):
    """W = Lk and W > Lk: plain causal attention"""
    check(judge, *qkv(judge, (2,), 6, 6, 8, 8), 6)
    check(judge, *qkv(judge, (2,), 4, 9, 8, 8), 50)


def test_chunk_against_cache(judge):
    """Lq < Lk: the queries are the last Lq positions; their windows reach back into the cache"""
    for _ in range(3):
        lk = int(judge.rng.integers(6, 14))
        lq = int(judge.rng.integers(2, lk))
        window = int(judge.rng.integers(2, lk))
        check(judge, *qkv(judge, (2,), lq, lk, 8, 5), window)


def test_single_query_decoding(judge):
    """Lq = 1 against a long cache: the new token sees only the last W keys"""
    check(judge, *qkv(judge, (2, 2), 1, 30, 16, 8), 5)


def test_all_small_shapes(judge):
    """every 1 ≤ Lq ≤ Lk ≤ 5 and 1 ≤ W ≤ Lk + 1, random d"""
    for lk in range(1, 6):
        for lq in range(1, lk + 1):
            window = int(judge.rng.integers(1, lk + 2))
            check(judge, *qkv(judge, (), lq, lk, 3, 2), window)


def test_large_scores(judge):
    """q and k of size ~30: scores in the hundreds; the softmax must stay finite"""
    q, k, v = qkv(judge, (2,), 6, 8, 8, 4)
    check(judge, 30.0 * q, 30.0 * k, v, 4)


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out (both the output and the weights)"""
    q, k, v = (a.astype(np.float32) for a in qkv(judge, (2,), 5, 7, 8, 3))
    out, weights = check(judge, q, k, v, 3, atol=1e-5, rtol=1e-4)
    assert out.dtype == np.float32 and weights.dtype == np.float32, judge.tr(
        "float32 inputs gave {out} output and {weights} weights; keep the input dtype",
        out=out.dtype,
        weights=weights.dtype,
    )


def test_weights_form_the_band(judge):
    """weights are exactly 0 outside p − W < j ≤ p, positive inside, and each row sums to 1"""
    lq, lk, window = 5, 9, 3
    q, k, v = qkv(judge, (2,), lq, lk, 8, 4)
    got = judge.call(ENTRY, q, k, v, window)
    assert isinstance(got, tuple) and len(got) == 2, "return a tuple (output, weights)"
    weights = np.asarray(got[1])
    assert weights.shape == (2, lq, lk), judge.tr(
        "the weights must have shape (2, {lq}, {lk}), got {shape}", lq=lq, lk=lk, shape=weights.shape
    )
    band = allowed(lq, lk, window)
    assert np.all(weights[:, ~band] == 0), (
        "keys outside the window (or in the future) must get weight exactly 0"
    )
    assert np.all(weights[:, band] > 0), "every key inside the window must get a positive weight"
    assert np.allclose(weights.sum(-1), 1.0, atol=1e-12), "each row of the weights must sum to 1"


def test_nothing_outside_the_window_leaks(judge):
    """changing keys/values after a query's position, or older than its window, leaves its output unchanged"""
    lq, lk, window, d = 4, 9, 3, 8
    q, k, v = qkv(judge, (2,), lq, lk, d, d)
    base = np.asarray(judge.call(ENTRY, q, k, v, window)[0])
    band = allowed(lq, lk, window)
    for i in range(lq):
        outside = ~band[i]
        if not outside.any():
            continue
        k2, v2 = k.copy(), v.copy()
        k2[:, outside] = 3.0 * gaussian(judge, 2, int(outside.sum()), d)
        v2[:, outside] = 3.0 * gaussian(judge, 2, int(outside.sum()), d)
        out2 = np.asarray(judge.call(ENTRY, q, k2, v2, window)[0])
        assert np.allclose(out2[:, i], base[:, i], atol=1e-9), judge.tr(
            "query {i} (position {position}, window {window}) changed when only keys outside its window changed",
            i=i,
            position=i + lk - lq,
            window=window,
        )


def test_inputs_unmodified(judge):
    """q, k and v are left as they were"""
    judge.check_unmodified(ENTRY, *qkv(judge, (2,), 4, 6, 4, 4), 3)


def test_band_matches_brute_force(judge):
    """for random small (Lq, Lk, W): the positive weights are exactly the brute-force band"""
    for _ in range(10):
        lk = int(judge.rng.integers(1, 9))
        lq = int(judge.rng.integers(1, lk + 1))
        window = int(judge.rng.integers(1, lk + 2))
        q, k, v = qkv(judge, (), lq, lk, 4, 2)
        _, weights = judge.call(ENTRY, q, k, v, window)
        judge.expect(
            np.asarray(weights) > 0,
            allowed(lq, lk, window),
            call=None,
            label="weights > 0",
            message=judge.tr(
                "with Lq={lq}, Lk={lk}, W={window} the keys with a non-zero weight are not the window p − W < j ≤ p",
                lq=lq,
                lk=lk,
                window=window,
            ),
        )
        judge.check(ENTRY, q, k, v, window, label=LABEL, **TOL)
