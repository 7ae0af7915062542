"""Hidden suite: softmax along any axis. Gaussian inputs (unsaturated), square inputs (where a missing
keepdims broadcasts silently along the wrong axis), every axis of 2-D and 3-D arrays, and stability cases
up to |x| = 1e4 that separate "no max shift" from "one max for the whole array"."""

import math

import numpy as np

from tfprep.grading.protocol import Call

ENTRY = "softmax"
F64 = {"atol": 1e-9, "rtol": 1e-6}
F32 = {"atol": 1e-6, "rtol": 1e-4}


def gaussian(judge, *shape, scale=1.0):
    return judge.rng.standard_normal(shape) * scale


def distinct_dims(judge, k, low=2, high=8):
    """k different sizes in [low, high): no square slices by accident."""
    return tuple(int(v) for v in judge.rng.choice(np.arange(low, high), size=k, replace=False))


def test_worked_example(judge):
    """the 3×3 example of the statement, along the last axis and along axis 0, and [1e4, 1e4 - 1, -1e4]"""
    x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [2.0, 0.0, -2.0]])
    judge.check(ENTRY, x, **F64)
    judge.check(ENTRY, x, axis=0, **F64)
    judge.check(ENTRY, np.array([1e4, 1e4 - 1.0, -1e4]), **F64)


def test_square_matrices(judge):
    """square n×n and n×n×n inputs along the last axis (a missing keepdims broadcasts the wrong way here)"""
    for n in (2, 4, 5):
        judge.check(ENTRY, gaussian(judge, n, n), **F64)
    judge.check(ENTRY, gaussian(judge, 3, 3), axis=1, **F64)
    judge.check(ENTRY, gaussian(judge, 3, 3, 3), axis=-1, **F64)


def test_one_dimensional(judge):
    """a 1-D vector, with the default axis and with axis=0"""
    x = gaussian(judge, int(judge.rng.integers(2, 10)))
    judge.check(ENTRY, x, **F64)
    judge.check(ENTRY, x, axis=0, **F64)


def test_every_axis_2d(judge):
    """a non-square matrix along axis 0, 1, -1 and -2"""
    r, c = distinct_dims(judge, 2)
    x = gaussian(judge, r, c)
    for axis in (0, 1, -1, -2):
        judge.check(ENTRY, x, axis=axis, **F64)


def test_every_axis_3d(judge):
    """a 3-D array with three different sizes, along each of its axes (positive and negative)"""
    shape = distinct_dims(judge, 3)
    x = gaussian(judge, *shape)
    for axis in (0, 1, 2, -1, -2, -3):
        judge.check(ENTRY, x, axis=axis, **F64)


def test_default_axis_is_last(judge):
    """without `axis`, a 4-D array is normalised along its last axis"""
    x = gaussian(judge, 2, 3, 4, 5, scale=2.0)
    judge.check(ENTRY, x, **F64)


def test_large_values(judge):
    """slices near +1e4 — [1e4, 1e4 - 1, -1e4], all-equal [1e4, 1e4, 1e4], 1e4 + noise: exp(x) alone overflows"""
    x = np.array(
        [
            [1e4, 1e4 - 1.0, -1e4, 0.0],
            [1e4, 1e4, 1e4, 1e4],
            [1e4 - 2.0, 1e4, 1e4 - 0.5, 5e3],
        ]
    )
    noisy = 1e4 - 3.0 + gaussian(judge, 2, 4)
    judge.check(ENTRY, np.vstack([x, noisy]), **F64)
    judge.check(ENTRY, np.vstack([x, noisy]).T.copy(), axis=0, **F64)


def test_very_negative_values(judge):
    """slices near -1e4 — all-equal [-1e4, …] and -1e4 + noise: exp(x) alone underflows to 0 / 0"""
    x = np.array([[-1e4, -1e4, -1e4], [-1e4, -1e4 - 1.0, -1e4 - 2.0]])
    noisy = -1e4 + gaussian(judge, 3, 3)
    judge.check(ENTRY, np.vstack([x, noisy]), **F64)


def test_slices_on_different_scales(judge):
    """one slice near +1e4, one near 0, one near -1e4: each slice needs its own max, not the array's"""
    c = 5
    x = np.vstack(
        [
            1e4 + gaussian(judge, 1, c),
            gaussian(judge, 1, c),
            -1e4 + gaussian(judge, 1, c),
            -3e3 + gaussian(judge, 1, c),
        ]
    )
    judge.check(ENTRY, x, **F64)
    judge.check(ENTRY, x.T.copy(), axis=0, **F64)
    judge.check(ENTRY, np.stack([x, x[::-1]], axis=1), axis=-1, **F64)


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out — also finite for float32 values near ±100 (exp overflows float32 above ~88)"""
    x = gaussian(judge, 3, 6, scale=3.0).astype(np.float32)
    got = judge.check(ENTRY, x, **F32)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32, judge.tr(
        "float32 input gave {dtype} output; keep the input dtype",
        dtype=getattr(got, "dtype", type(got).__name__),
    )
    big = np.array([[100.0, 99.0, -100.0], [-100.0, -101.0, -98.0]], dtype=np.float32)
    got = judge.check(ENTRY, big, **F32)
    assert got.dtype == np.float32, judge.tr(
        "float32 input gave {dtype} output; keep the input dtype", dtype=got.dtype
    )


def test_probability_properties(judge):
    """non-negative, sums to 1 along the axis, unchanged by adding a constant to each slice"""
    shape = distinct_dims(judge, 3)
    x = gaussian(judge, *shape, scale=4.0)
    for axis in range(3):
        p = judge.call(ENTRY, x, axis=axis)
        assert isinstance(p, np.ndarray) and p.shape == x.shape, judge.tr(
            "the result must be an array of the input's shape {shape}", shape=x.shape
        )
        assert np.all(np.isfinite(p)) and np.all(p >= 0), "every probability must be finite and non-negative"
        assert np.allclose(p.sum(axis=axis), 1.0, atol=1e-9), judge.tr(
            "slices along axis {axis} must sum to 1", axis=axis
        )
        offset_shape = list(shape)
        offset_shape[axis] = 1
        offset = judge.rng.uniform(-500.0, 500.0, size=offset_shape)
        q = judge.call(ENTRY, x + offset, axis=axis)
        assert np.allclose(p, q, atol=1e-9, rtol=1e-6), (
            "adding the same constant to every entry of a slice must not change its softmax"
        )


def _brute(x, axis):
    """softmax slice by slice with Python floats."""
    moved = np.moveaxis(x, axis, -1)
    out = np.empty_like(moved)
    for idx in np.ndindex(moved.shape[:-1]):
        row = [float(v) for v in moved[idx]]
        top = max(row)
        es = [math.exp(v - top) for v in row]
        total = math.fsum(es)
        out[idx] = [e / total for e in es]
    return np.moveaxis(out, -1, axis)


def test_matches_brute_force(judge):
    """small integer matrices (square or not, any axis) against a slice-by-slice Python softmax"""
    shapes = [(1, 1), (1, 4), (4, 1)] + [tuple(judge.rng.integers(1, 5, size=2)) for _ in range(21)]
    for r, c in shapes:
        axis = int(judge.rng.choice([0, 1, -1, -2]))
        x = judge.rng.integers(-30, 31, size=(r, c)).astype(np.float64)  # small integers: many ties
        got = judge.call(ENTRY, x, axis=axis)
        judge.expect(got, _brute(x, axis), call=Call(ENTRY, (x,), {"axis": axis}), **F64)
