"""Hidden suite: rotary position embedding (rotate-half pairing). Positions are never simply 0, 1, 2, …
in the early tests, so code that ignores `positions` fails at once; float64 inputs and a 1e-6 tolerance
separate the pairing, the frequencies, the direction and the precision of the angles."""

import numpy as np
from hypothesis import Phase, given, seed, settings
from hypothesis import strategies as st

ENTRY = "apply_rope"


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def some_positions(judge, t, high=64):
    """t distinct positions in [0, high), in random order (never 0, 1, …, t-1)."""
    while True:
        p = judge.rng.choice(high, size=t, replace=False).astype(np.int64)
        if not np.array_equal(p, np.arange(t)):
            return p


def brute_rope(x, positions, base=10000.0):
    """One 2×2 rotation per pair (x[i], x[i + d/2]), written out with loops."""
    x = np.asarray(x, dtype=np.float64)
    d = x.shape[-1]
    h = d // 2
    out = np.empty_like(x)
    for t, p in enumerate(positions):
        for i in range(h):
            a = p * base ** (-2.0 * i / d)
            c, s = np.cos(a), np.sin(a)
            u, v = x[..., t, i], x[..., t, i + h]
            out[..., t, i] = u * c - v * s
            out[..., t, i + h] = u * s + v * c
    return out


def test_worked_example(judge):
    """the statement's example: three copies of [1, 2, 3, 4] at positions 0, 1, 5"""
    x = np.array([[1.0, 2.0, 3.0, 4.0]] * 3)
    judge.check(ENTRY, x, np.array([0, 1, 5]))


def test_batch_and_heads(judge):
    """x of shape (B, H, T, d) with positions in random order"""
    b, h, t, d = 2, 3, 5, 8
    judge.check(ENTRY, gaussian(judge, b, h, t, d), some_positions(judge, t))


def test_no_leading_dims(judge):
    """x of shape (T, d): no batch dims"""
    t, d = 6, 12
    judge.check(ENTRY, gaussian(judge, t, d), some_positions(judge, t))


def test_random_shapes(judge):
    """random shapes from the run's seed: zero to three leading dims, d even from 2 to 64"""
    for n_lead in (0, 1, 2, 3):
        lead = tuple(int(v) for v in judge.rng.integers(1, 4, size=n_lead))
        t = int(judge.rng.integers(2, 9))
        d = 2 * int(judge.rng.integers(1, 33))
        judge.check(ENTRY, gaussian(judge, *lead, t, d), some_positions(judge, t, high=200))


def test_non_contiguous_positions(judge):
    """positions [5, 9, 2, 100]: not sorted, not contiguous"""
    judge.check(ENTRY, gaussian(judge, 2, 4, 16), np.array([5, 9, 2, 100]))


def test_non_default_base(judge):
    """base = 500 (keyword) and base = 1e6 (positional)"""
    t, d = 4, 16
    judge.check(ENTRY, gaussian(judge, 2, t, d), some_positions(judge, t), base=500.0)
    judge.check(ENTRY, gaussian(judge, 2, t, d), some_positions(judge, t), 1e6)


def test_large_positions_float64(judge):
    """positions up to 8192 in float64: the angles must be computed in float64"""
    positions = np.array([8192, 0, 4096, 1, 8191, 1000, 6000])
    judge.check(ENTRY, gaussian(judge, 2, len(positions), 64), positions)


def test_position_zero_is_identity(judge):
    """at position 0 every vector is left unchanged"""
    x = gaussian(judge, 3, 5, 8)
    out = judge.call(ENTRY, x, np.zeros(5, dtype=np.int64))
    assert isinstance(out, np.ndarray) and out.shape == x.shape, judge.tr(
        "expected an array of shape {shape}", shape=x.shape
    )
    assert np.allclose(out, x, rtol=0, atol=1e-12), (
        "at position 0 the rotation must be the identity (cos 0 = 1, sin 0 = 0)"
    )


def test_norms_preserved(judge):
    """a rotation keeps the length of every vector"""
    x = gaussian(judge, 2, 3, 7, 10)
    positions = some_positions(judge, 7, high=500)
    out = judge.call(ENTRY, x, positions)
    assert isinstance(out, np.ndarray) and out.shape == x.shape, judge.tr(
        "expected an array of shape {shape}", shape=x.shape
    )
    assert np.allclose(np.linalg.norm(out, axis=-1), np.linalg.norm(x, axis=-1), rtol=1e-10, atol=1e-10), (
        "the norm of each vector (last dim) must not change: RoPE is a rotation"
    )


def test_relative_positions(judge):
    """⟨rope(q, m), rope(k, n)⟩ depends only on m − n: shifting all positions keeps the dot products"""
    t, d = 6, 16
    q, k = gaussian(judge, t, d), gaussian(judge, t, d)
    m, n = some_positions(judge, t, high=100), some_positions(judge, t, high=100)
    scores = judge.call(ENTRY, q, m) @ judge.call(ENTRY, k, n).T
    for shift in (7, 1000):
        shifted = judge.call(ENTRY, q, m + shift) @ judge.call(ENTRY, k, n + shift).T
        assert np.allclose(shifted, scores, rtol=1e-8, atol=1e-8), judge.tr(
            "shifting every position by {shift} changed ⟨rope(q, m), rope(k, n)⟩; it must depend only on m − n",
            shift=shift,
        )


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out, at small positions and at positions up to 8192 (angles in float64)"""
    x = gaussian(judge, 2, 5, 16).astype(np.float32)
    out = judge.check(ENTRY, x, some_positions(judge, 5, high=32), atol=5e-5, rtol=1e-4)
    assert out.dtype == np.float32, judge.tr(
        "float32 input gave a {dtype} output; keep the input dtype", dtype=out.dtype
    )
    positions = np.array([8192, 0, 4096, 1, 8191, 1000, 6000])
    x = gaussian(judge, 2, len(positions), 32).astype(np.float32)
    judge.check(ENTRY, x, positions, atol=5e-5, rtol=1e-4)


def test_matches_brute_force(judge):
    """small integer inputs against a pair-by-pair rotation written with loops"""

    @seed(judge.seed)
    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        report_multiple_bugs=False,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: it costs seconds per failing grade
    )
    @given(
        st.integers(1, 4).flatmap(
            lambda d2: st.integers(1, 4).flatmap(
                lambda t: st.tuples(
                    st.lists(
                        st.lists(st.integers(-3, 3), min_size=2 * d2, max_size=2 * d2), min_size=t, max_size=t
                    ),
                    st.lists(st.integers(0, 60), min_size=t, max_size=t),
                )
            )
        ),
        st.sampled_from([10000.0, 100.0, 2.0]),
    )
    def inner(case, base):
        rows, positions = case
        x, p = np.array(rows, dtype=np.float64), np.array(positions, dtype=np.int64)
        # no mistake naming here: hypothesis shrinks a failure to a tiny, degenerate input that several
        # mistakes share; the deterministic tests above name it
        got = judge.call(ENTRY, x, p, base=base)
        judge.expect(got, brute_rope(x, p, base), atol=1e-9, rtol=1e-9)

    inner()
