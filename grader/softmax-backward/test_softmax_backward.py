"""Hidden suite: the backward pass of softmax over the last axis. The worked example is square (a sum that
lost its keepdims broadcasts silently there); then random batched shapes, finite differences of
L = Σ g ⊙ softmax(x), saturated rows with exact 0s and 1s, an upstream gradient far from 0 (only the
y-weighted sum cancels it), a row too long for its n×n Jacobian to fit in memory, float32, and a brute
force over small integer inputs against the Jacobian built entry by entry."""

import numpy as np

from tfprep.grading.protocol import Call

ENTRY = "softmax_backward"
F64 = {"atol": 1e-9, "rtol": 1e-7}
F32 = {"atol": 1e-5, "rtol": 1e-4}


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def pair(judge, *shape, scale=1.0):
    """(y, grad_y): y the softmax of Gaussian logits, grad_y Gaussian."""
    x = judge.rng.standard_normal(shape) * scale
    return softmax(x), judge.rng.standard_normal(shape)


def test_worked_example(judge):
    """the 3×3 example of the statement (the third row of g is constant: its gradient is 0)"""
    x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [2.0, 0.0, -2.0]])
    g = np.array([[1.0, 0.0, 0.0], [0.0, 2.0, -1.0], [0.5, 0.5, 0.5]])
    judge.check(ENTRY, softmax(x), g, **F64)


def test_float64_keeps_dtype(judge):
    """float64 inputs give a float64 gradient (not cast down to float32)"""
    got = judge.call(ENTRY, *pair(judge, 3, 4))
    dtype = getattr(got, "dtype", type(got).__name__)
    assert dtype == np.float64, judge.tr(
        "float64 inputs gave {dtype} output; keep the dtype of y (float64 here)", dtype=dtype
    )


def test_square_batches(judge):
    """n×n inputs (batch = row length): a sum over the wrong axis or without keepdims still broadcasts here"""
    for n in (2, 4, 7):
        judge.check(ENTRY, *pair(judge, n, n, scale=1.5), **F64)


def test_one_row(judge):
    """a single 1-D row"""
    judge.check(ENTRY, *pair(judge, int(judge.rng.integers(2, 12))), **F64)


def test_batched_shapes(judge):
    """random shapes with one to three leading dims, all sizes different"""
    for lead in (1, 2, 3):
        dims = judge.rng.choice(np.arange(2, 9), size=lead + 1, replace=False)
        judge.check(ENTRY, *pair(judge, *(int(d) for d in dims), scale=2.0), **F64)


def test_matches_finite_differences(judge):
    """dL/dx equals central finite differences of L(x) = Σ g ⊙ softmax(x)"""
    r, n = 3, 5
    x = judge.rng.standard_normal((r, n))
    g = judge.rng.standard_normal((r, n))
    h = 1e-6
    fd = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += h
        down[idx] -= h
        fd[idx] = (np.sum(g * softmax(up)) - np.sum(g * softmax(down))) / (2 * h)
    y = softmax(x)
    got = judge.call(ENTRY, y, g)
    judge.expect(
        got,
        fd,
        call=Call(ENTRY, (y, g), {}),
        atol=1e-7,
        rtol=1e-5,
        message="your dL/dx differs from finite differences of L(x) = Σ g ⊙ softmax(x)",
    )


def test_saturated_rows(judge):
    """softmax of logits up to |x| = 1e3: rows with exact 0s and a 1, and a uniform row"""
    x = np.array(
        [
            [1e3, 0.0, -1e3, 5.0],
            [1e3, 1e3 - 1.0, -1e3, 1e3],
            [-1e3, -1e3, -1e3, -1e3],
            [0.0, 700.0, 0.0, -700.0],
        ]
    )
    g = judge.rng.standard_normal(x.shape) * 10.0
    got = judge.check(ENTRY, softmax(x), g, **F64)
    assert np.all(np.isfinite(got)), "saturated probabilities (exact 0s and 1s) must give a finite gradient"


def test_upstream_gradient_far_from_zero(judge):
    """g = 1e4 + noise: softmax ignores a constant added to g, so the result stays O(1)"""
    y, g = pair(judge, 4, 6)
    judge.check(ENTRY, y, g + 1e4, atol=1e-7, rtol=1e-5)


def test_long_rows_no_jacobian(judge):
    """rows of 8192 probabilities: an 8192×8192 Jacobian (512 MiB) does not fit in the memory limit"""
    y, g = pair(judge, 3, 8192, scale=3.0)
    judge.check(ENTRY, y, g, **F64)


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out"""
    y, g = pair(judge, 3, 5)
    got = judge.check(ENTRY, y.astype(np.float32), g.astype(np.float32), **F32)
    assert isinstance(got, np.ndarray) and got.dtype == np.float32, judge.tr(
        "float32 inputs gave {dtype} output; keep float32", dtype=getattr(got, "dtype", type(got).__name__)
    )


def test_gradient_properties(judge):
    """each row of dL/dx sums to 0; the result is linear in g and ignores a per-row constant added to g"""
    r, n = (int(v) for v in judge.rng.choice(np.arange(2, 9), size=2, replace=False))
    y, g1 = pair(judge, r, n, scale=2.0)
    g2 = judge.rng.standard_normal((r, n))
    a = judge.call(ENTRY, y, g1)
    assert isinstance(a, np.ndarray) and a.shape == y.shape, judge.tr(
        "the result must have the shape of y, {shape}", shape=y.shape
    )
    assert np.allclose(a.sum(axis=-1), 0.0, atol=1e-12), (
        "each row of dL/dx must sum to 0 (softmax does not change when x is shifted by a constant)"
    )
    b = judge.call(ENTRY, y, g2)
    both = judge.call(ENTRY, y, 2.0 * g1 - 3.0 * g2)
    assert np.allclose(both, 2.0 * a - 3.0 * b, atol=1e-12), "dL/dx must be linear in grad_y"
    shifted = judge.call(ENTRY, y, g1 + judge.rng.uniform(-50.0, 50.0, size=(r, 1)))
    assert np.allclose(shifted, a, atol=1e-10), (
        "adding a constant to every grad_y of a row must not change dL/dx"
    )


def test_inputs_unmodified(judge):
    """y and grad_y are left as they were"""
    judge.check_unmodified(ENTRY, *pair(judge, 3, 5))


def brute(y, g):
    """the Jacobian J[i, j] = y_i (δ_ij − y_j) of each row, entry by entry, times g."""
    out = np.zeros_like(y)
    for idx in np.ndindex(y.shape[:-1]):
        row, n = y[idx], y.shape[-1]
        jac = np.array([[row[i] * ((i == j) - row[j]) for j in range(n)] for i in range(n)])
        out[idx] = jac @ g[idx]
    return out


def test_matches_brute_force(judge):
    """small integer logits (ties included) and gradients against the Jacobian built entry by entry"""
    for _ in range(20):
        r, n = (int(v) for v in judge.rng.integers(1, 6, size=2))
        x = judge.rng.integers(-4, 5, size=(r, n)).astype(np.float64)
        g = judge.rng.integers(-3, 4, size=(r, n)).astype(np.float64)
        y = softmax(x)
        judge.expect(judge.call(ENTRY, y, g), brute(y, g), call=Call(ENTRY, (y, g), {}), **F64)
