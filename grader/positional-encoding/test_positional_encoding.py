"""Hidden suite: sinusoidal positional encoding. Non-square tables (max_len ≠ d_model, both ways),
d_model = 2, a long table, and the properties that pin the layout: row 0, unit-norm (sin, cos) pairs,
values in [-1, 1]."""

import numpy as np

ENTRY = "sinusoidal_encoding"
TOL = {"atol": 1e-9, "rtol": 1e-7}  # not below the tolerance the grader names mistakes with


def test_statement_example(judge):
    """the 4×6 table of the statement"""
    judge.check(ENTRY, 4, 6, **TOL)


def test_first_row(judge):
    """position 0 gives [0, 1, 0, 1, …] (sin 0, cos 0 in every pair)"""
    judge.check(ENTRY, 1, 8, **TOL)
    judge.check(ENTRY, 3, 10, **TOL)


def test_random_sizes(judge):
    """random even d_model and max_len, taller and wider than square"""
    for _ in range(4):
        max_len = int(judge.rng.integers(2, 80))
        d_model = 2 * int(judge.rng.integers(1, 40))
        if max_len == d_model:
            max_len += 1
        judge.check(ENTRY, max_len, d_model, **TOL)


def test_two_columns(judge):
    """d_model = 2: one frequency, PE[p] = [sin p, cos p]"""
    judge.check(ENTRY, 7, 2, **TOL)


def test_long_table(judge):
    """max_len = 1024, d_model = 256"""
    judge.check(ENTRY, 1024, 256, **TOL)


def test_layout_properties(judge):
    """float64 (max_len, d_model), values in [-1, 1], row 0 = [0, 1, 0, 1, …], each (2i, 2i+1) pair on the unit circle"""
    max_len, d_model = 50, 16
    pe = judge.call(ENTRY, max_len, d_model)
    assert isinstance(pe, np.ndarray) and pe.shape == (max_len, d_model), judge.tr(
        "expected an array of shape ({max_len}, {d_model})", max_len=max_len, d_model=d_model
    )
    assert pe.dtype == np.float64, judge.tr("expected float64 values, got {dtype}", dtype=pe.dtype)
    assert np.all(np.abs(pe) <= 1.0 + 1e-12), "values must lie in [-1, 1]"
    assert np.allclose(pe[0], np.tile([0.0, 1.0], d_model // 2), atol=1e-12), (
        "row 0 (position 0) must be [0, 1, 0, 1, …]"
    )
    norms = pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2
    assert np.allclose(norms, 1.0, atol=1e-9), (
        "columns 2i and 2i+1 must be sin and cos of the same angle (their squares sum to 1)"
    )


def test_relative_positions_are_rotations(judge):
    """PE[p + k] is the same rotation of PE[p] for every p (the property the encoding is built for)"""
    max_len, d_model, k = 40, 12, 5
    pe = judge.call(ENTRY, max_len, d_model)
    assert isinstance(pe, np.ndarray) and pe.shape == (max_len, d_model), judge.tr(
        "expected an array of shape ({max_len}, {d_model})", max_len=max_len, d_model=d_model
    )
    sin, cos = pe[:, 0::2], pe[:, 1::2]
    # angle(p + k) - angle(p) must not depend on p: compare the complex ratios across p
    z = cos + 1j * sin
    ratio = z[k:] / z[:-k]
    assert np.allclose(ratio, ratio[:1], atol=1e-9), (
        "shifting the position by k does not rotate every (sin, cos) pair by a fixed angle"
    )
