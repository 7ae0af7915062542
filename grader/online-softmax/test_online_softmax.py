"""Hidden suite: online softmax. The update is driven chunk by chunk from the judge (the submission never
sees the whole row, so its statistics are one-pass by construction), from the empty state (−inf, 0), with
chunks that raise, keep and lower the max; then logsumexp and softmax over ragged chunkings, rows near
±1e4 (sorted ascending: the max grows at every chunk), leading −inf chunks and all −inf rows, float32, and
a seeded sweep of small integers (ties) against a float64 brute force."""

import math

import numpy as np

from tfprep.grading.protocol import Call

F64 = {"atol": 1e-9, "rtol": 1e-7}
F32 = {"atol": 1e-5, "rtol": 1e-4}
INF = np.inf


def lse_brute(x):
    out = np.empty(x.shape[:-1])
    for idx in np.ndindex(x.shape[:-1]):
        row = [float(v) for v in x[idx]]
        top = max(row)
        out[idx] = -INF if top == -INF else top + math.log(math.fsum(math.exp(v - top) for v in row))
    return out


def test_worked_example(judge):
    """the examples of the statement: two updates, then logsumexp and softmax with block = 2"""
    m = np.array([1.0, -INF])
    s = np.array([2.0, 0.0])
    judge.check("online_update", m, s, np.array([[3.0, 0.0], [-INF, -INF]]), label="m|s", **F64)
    judge.check("online_update", m, s, np.array([[0.5, 1.0], [2.0, 2.0]]), label="m|s", **F64)
    x = np.array([[1.0, 2.0, 3.0, 6.0, 0.0], [1e4, -1e4, 1e4 - 1.0, 0.0, 1e4]])
    judge.check("online_logsumexp", x, block=2, **F64)
    judge.check("online_softmax", x, block=2, **F64)


def test_float64_keeps_dtype(judge):
    """float64 in, float64 out: m, s, the logsumexp and the softmax are not cast down to float32"""
    m, s = np.array([0.5, -1.0]), np.array([1.0, 2.0])
    got = judge.call("online_update", m, s, judge.rng.standard_normal((2, 3)))
    x = judge.rng.standard_normal((2, 7))
    lse = judge.call("online_logsumexp", x, block=3)
    p = judge.call("online_softmax", x, block=3)
    dtypes = [getattr(v, "dtype", type(v).__name__) for v in (*got, lse, p)]
    assert all(d == np.float64 for d in dtypes), judge.tr(
        "float64 inputs gave {dtypes}; keep float64", dtypes=", ".join(map(str, dtypes))
    )


def state(judge, *lead):
    """a running state: m Gaussian, s in [1, 5] (s ≥ 1: the max itself contributes exp(0))"""
    return judge.rng.standard_normal(lead) * 2.0, judge.rng.uniform(1.0, 5.0, size=lead)


def test_update_max_grows_stays_falls(judge):
    """one update per case: the chunk's max above, equal to and below the running max"""
    for lead in ((5,), (2, 3)):
        m, s = state(judge, *lead)
        b = int(judge.rng.integers(1, 6))
        up = m[..., None] + judge.rng.uniform(0.5, 3.0, size=(*lead, b))
        judge.check("online_update", m, s, up, label="m|s", **F64)
        down = m[..., None] - judge.rng.uniform(0.5, 3.0, size=(*lead, b))
        judge.check("online_update", m, s, down, label="m|s", **F64)
        same = np.concatenate([m[..., None], down], axis=-1)
        judge.check("online_update", m, s, same, label="m|s", **F64)


def test_update_from_empty_state(judge):
    """the first chunk of each row: m = −inf, s = 0"""
    rows, b = 4, 3
    m, s = np.full(rows, -INF), np.zeros(rows)
    judge.check("online_update", m, s, judge.rng.standard_normal((rows, b)), label="m|s", **F64)


def test_streaming_a_row_chunk_by_chunk(judge):
    """the judge feeds chunks of random sizes; your (m, s) comes back each time; m + log s = logsumexp"""
    rows = 3
    x = judge.rng.standard_normal((rows, 23)) * 3.0
    x[1] = np.sort(x[1])  # ascending: the max grows at every chunk
    m, s = np.full(rows, -INF), np.zeros(rows)
    start = 0
    while start < x.shape[-1]:
        b = int(judge.rng.integers(1, 6))
        m, s = judge.check("online_update", m, s, x[:, start : start + b], label="m|s", **F64)
        start += b
    judge.expect(
        m + np.log(s), lse_brute(x), message="after the last chunk, m + log(s) is not the logsumexp", **F64
    )


def test_logsumexp_ragged_blocks(judge):
    """n not a multiple of block, block = 1, block ≥ n, several leading axes"""
    for shape, block in (((3, 10), 4), ((2, 3, 7), 3), ((5, 6), 1), ((4, 5), 8), ((9,), 2)):
        judge.check("online_logsumexp", judge.rng.standard_normal(shape) * 2.0, block=block, **F64)


def test_softmax_ragged_blocks(judge):
    """the softmax with the same chunkings; rows sorted ascending so that the max moves in every chunk"""
    for shape, block in (((3, 10), 4), ((2, 3, 7), 3), ((4, 5), 8)):
        x = judge.rng.standard_normal(shape) * 2.0
        x[..., 0, :] = np.sort(x[..., 0, :])
        judge.check("online_softmax", x, block=block, **F64)


def test_default_block(judge):
    """rows of 150 values with the default block = 64 (three chunks, the last one short)"""
    x = judge.rng.standard_normal((2, 150)) * 3.0
    judge.check("online_logsumexp", x, **F64)
    judge.check("online_softmax", x, **F64)


def test_large_magnitudes(judge):
    """rows near ±1e4: exp(x) alone overflows or underflows; one shared max underflows rows far below it

    First rows near −1e4 only, then rows near +1e4 (ascending and descending) with rows near −1e4."""
    n = 9
    judge.check("online_logsumexp", -1e4 + judge.rng.standard_normal((3, n)), block=2, **F64)
    rows = [
        np.sort(1e4 + judge.rng.standard_normal(n) * 5.0),
        np.sort(1e4 + judge.rng.standard_normal(n) * 5.0)[::-1],
        -1e4 + judge.rng.standard_normal(n),
        np.array([1e4, -1e4, 0.0, 1e4 - 1.0, -1e4, 5e3, 1e4, 0.0, -5e3]),
    ]
    x = np.stack(rows)
    judge.check("online_logsumexp", x, block=2, **F64)
    judge.check("online_softmax", x, block=2, **F64)


def test_negative_infinity(judge):
    """−inf entries (masked): a row that starts with all −inf chunks, and a row that is −inf throughout
    (logsumexp −inf, softmax NaN)"""
    x = judge.rng.standard_normal((3, 7))
    x[0, :4] = -INF  # the first two chunks of row 0 see only −inf
    x[1, ::2] = -INF
    x[2, :] = -INF
    lse = judge.check("online_logsumexp", x, block=2, **F64)
    assert lse[2] == -INF, judge.tr("the logsumexp of an all −inf row must be −inf, got {got}", got=lse[2])
    p = judge.check("online_softmax", x, block=2, **F64)
    assert np.all(np.isnan(p[2])), "the softmax of an all −inf row is NaN (0/0), as the statement says"
    assert np.all(p[0, :4] == 0.0) and np.all(np.isfinite(p[:2])), "−inf entries get probability 0, no NaN"


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out: the update's m and s, the logsumexp and the softmax (rows up to ±80)"""
    m, s = (a.astype(np.float32) for a in state(judge, 4))
    got = judge.check(
        "online_update", m, s, judge.rng.standard_normal((4, 3)).astype(np.float32), label="m|s", **F32
    )
    x = (judge.rng.standard_normal((3, 11)) * 30.0).astype(np.float32)
    lse = judge.check("online_logsumexp", x, block=4, **F32)
    p = judge.check("online_softmax", x, block=4, **F32)
    dtypes = [getattr(v, "dtype", type(v).__name__) for v in (*got, lse, p)]
    assert all(d == np.float32 for d in dtypes), judge.tr(
        "float32 inputs gave {dtypes}; keep float32", dtypes=", ".join(map(str, dtypes))
    )


def test_inputs_unmodified(judge):
    """online_update leaves m, s and the chunk as they were; the other two leave x as it was"""
    m, s = state(judge, 3)
    judge.check_unmodified("online_update", m, s, m[:, None] + judge.rng.uniform(0.5, 2.0, size=(3, 4)))
    x = judge.rng.standard_normal((2, 9))
    judge.check_unmodified("online_logsumexp", x, block=4)
    judge.check_unmodified("online_softmax", x, block=4)


def test_softmax_properties(judge):
    """rows sum to 1, the result does not depend on the block size, a shift of a row changes nothing"""
    x = judge.rng.standard_normal((4, 13)) * 4.0
    p = judge.call("online_softmax", x, block=3)
    assert isinstance(p, np.ndarray) and p.shape == x.shape, judge.tr(
        "the softmax must have the shape of x, {shape}", shape=x.shape
    )
    assert np.allclose(p.sum(axis=-1), 1.0, atol=1e-12), "each row of the softmax must sum to 1"
    for block in (1, 5, 13, 40):
        q = judge.call("online_softmax", x, block=block)
        assert np.allclose(p, q, atol=1e-12), judge.tr(
            "block = {block} gave another softmax than block = 3", block=block
        )
    shifted = judge.call("online_softmax", x + judge.rng.uniform(-1e3, 1e3, size=(4, 1)), block=3)
    assert np.allclose(p, shifted, atol=1e-9), "adding a constant to a row must not change its softmax"


def test_matches_brute_force(judge):
    """small integers (many ties), random shapes and block sizes, against a float64 brute force"""
    for _ in range(20):
        r, n = (int(v) for v in judge.rng.integers(1, 6, size=2))
        block = int(judge.rng.integers(1, n + 2))
        x = judge.rng.integers(-20, 21, size=(r, n)).astype(np.float64)
        lse = lse_brute(x)
        judge.expect(
            judge.call("online_logsumexp", x, block=block),
            lse,
            call=Call("online_logsumexp", (x,), {"block": block}),
            **F64,
        )
        judge.expect(
            judge.call("online_softmax", x, block=block),
            np.exp(x - lse[:, None]),
            call=Call("online_softmax", (x,), {"block": block}),
            **F64,
        )
