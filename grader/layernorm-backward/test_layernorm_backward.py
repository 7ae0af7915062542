"""Hidden suite: the backward pass of LayerNorm over the last axis. The worked example, random shapes with
several leading axes (gamma/beta gradients summed over all of them), central finite differences of
L = Σ g ⊙ y for all three gradients, rows of tiny variance and a constant row (where eps matters and
eps outside the root is far off), rows with mean 1e7 (mean(x²) − mean² cancels), an explicit eps, float32,
and a seeded sweep of small integer inputs against a per-row brute force."""

import numpy as np

from tfprep.grading.protocol import Call

ENTRY = "layer_norm_backward"
LABEL = "grad_x|grad_gamma|grad_beta"
F64 = {"atol": 1e-8, "rtol": 1e-6}
F32 = {"atol": 1e-4, "rtol": 1e-3}


def inputs(judge, *shape, scale=1.0, shift=0.0):
    g = judge.rng.standard_normal
    d = shape[-1]
    return shift + scale * g(shape), 1.0 + 0.5 * g(d), g(d), g(shape)


def forward(x, gamma, beta, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def test_worked_example(judge):
    """the 3×4 example of the statement (its last row is constant)"""
    x = np.array([[1.0, 2.0, 3.0, 6.0], [0.5, -0.5, 1.5, -1.5], [2.0, 2.0, 2.0, 2.0]])
    gamma = np.array([1.0, 2.0, 0.5, -1.0])
    beta = np.array([0.0, 0.1, 0.2, 0.3])
    gy = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, -1.0, 0.5], [1.0, 1.0, 1.0, 1.0]])
    judge.check(ENTRY, x, gamma, beta, gy, label=LABEL, **F64)


def test_float64_keeps_dtype(judge):
    """float64 inputs give float64 gradients (not cast down to float32)"""
    got = judge.call(ENTRY, *inputs(judge, 3, 5))
    dtypes = [getattr(v, "dtype", type(v).__name__) for v in got]
    assert all(d == np.float64 for d in dtypes), judge.tr(
        "float64 inputs gave gradients of dtypes {dtypes}; keep the dtype of x (float64 here)",
        dtypes=", ".join(map(str, dtypes)),
    )


def test_random_matrices(judge):
    """(N, D) inputs with N ≠ D"""
    for _ in range(3):
        n, d = (int(v) for v in judge.rng.choice(np.arange(2, 10), size=2, replace=False))
        judge.check(ENTRY, *inputs(judge, n, d, scale=2.0), label=LABEL, **F64)


def test_several_leading_axes(judge):
    """(B, T, D) and (A, B, T, D): grad_gamma and grad_beta sum over every leading axis"""
    b, t, d = (int(v) for v in judge.rng.choice(np.arange(2, 8), size=3, replace=False))
    judge.check(ENTRY, *inputs(judge, b, t, d), label=LABEL, **F64)
    judge.check(ENTRY, *inputs(judge, 2, 3, 4, 5), label=LABEL, **F64)


def test_single_vector(judge):
    """a single 1-D vector (no leading axis): grad_gamma = g ⊙ x̂ itself"""
    judge.check(ENTRY, *inputs(judge, int(judge.rng.integers(3, 10))), label=LABEL, **F64)


def test_matches_finite_differences(judge):
    """all three gradients equal central finite differences of L = Σ g ⊙ LayerNorm(x)"""
    x, gamma, beta, gy = inputs(judge, 2, 3, 4)
    eps = 1e-5

    def loss(x_, g_, b_):
        return float(np.sum(gy * forward(x_, g_, b_, eps)))

    h = 1e-6
    fds = []
    for k, arg in enumerate((x, gamma, beta)):
        fd = np.zeros_like(arg)
        for idx in np.ndindex(arg.shape):
            up = [x.copy(), gamma.copy(), beta.copy()]
            down = [x.copy(), gamma.copy(), beta.copy()]
            up[k][idx] += h
            down[k][idx] -= h
            fd[idx] = (loss(*up) - loss(*down)) / (2 * h)
        fds.append(fd)
    got = judge.call(ENTRY, x, gamma, beta, gy)
    judge.expect(
        got,
        tuple(fds),
        call=Call(ENTRY, (x, gamma, beta, gy), {}),
        label=LABEL,
        atol=1e-7,
        rtol=1e-5,
        message="your gradients differ from finite differences of L = Σ grad_y ⊙ LayerNorm(x)",
    )


def test_tiny_variance_and_constant_rows(judge):
    """rows with spread 1e-3 (variance 1e-6, below eps) and a constant row: eps decides the scale here"""
    x, gamma, beta, gy = inputs(judge, 4, 6, scale=1e-3, shift=0.5)
    x[2] = 3.0
    judge.check(ENTRY, x, gamma, beta, gy, label=LABEL, atol=1e-6, rtol=1e-6)


def test_explicit_eps(judge):
    """eps = 0.1 passed by keyword: it goes inside the square root"""
    x, gamma, beta, gy = inputs(judge, 3, 5)
    judge.check(ENTRY, x, gamma, beta, gy, eps=0.1, label=LABEL, **F64)


def test_large_mean(judge):
    """rows with mean 1e7 and unit spread: the variance must come from the centred values"""
    x, gamma, beta, gy = inputs(judge, 3, 8, shift=1e7)
    judge.check(ENTRY, x, gamma, beta, gy, label=LABEL, atol=1e-6, rtol=1e-5)


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out for all three gradients"""
    args = [a.astype(np.float32) for a in inputs(judge, 4, 6)]
    got = judge.check(ENTRY, *args, label=LABEL, **F32)
    dtypes = [getattr(g, "dtype", type(g).__name__) for g in got]
    assert all(d == np.float32 for d in dtypes), judge.tr(
        "float32 inputs gave gradients of dtypes {dtypes}; keep float32",
        dtypes=", ".join(str(d) for d in dtypes),
    )


def test_gradient_properties(judge):
    """each row of grad_x sums to 0; nothing depends on beta; linear in grad_y"""
    n, d = (int(v) for v in judge.rng.choice(np.arange(3, 10), size=2, replace=False))
    x, gamma, beta, g1 = inputs(judge, n, d, scale=3.0)
    g2 = judge.rng.standard_normal((n, d))
    first = judge.call(ENTRY, x, gamma, beta, g1)
    assert isinstance(first, tuple) and len(first) == 3, "return a tuple (grad_x, grad_gamma, grad_beta)"
    gx = first[0]
    assert isinstance(gx, np.ndarray) and gx.shape == x.shape, judge.tr(
        "grad_x must have the shape of x, {shape}", shape=x.shape
    )
    assert np.allclose(gx.sum(axis=-1), 0.0, atol=1e-10), (
        "each row of grad_x must sum to 0 (LayerNorm ignores a constant added to a row)"
    )
    other_beta = judge.call(ENTRY, x, gamma, beta + 5.0, g1)
    for name, p, q in zip(LABEL.split("|"), first, other_beta):
        assert np.allclose(p, q, atol=1e-12), judge.tr(
            "{name} changed when only beta changed; no gradient depends on beta", name=name
        )
    second = judge.call(ENTRY, x, gamma, beta, g2)
    both = judge.call(ENTRY, x, gamma, beta, 2.0 * g1 - 3.0 * g2)
    for name, p, q, r in zip(LABEL.split("|"), first, second, both):
        assert np.allclose(r, 2.0 * p - 3.0 * q, atol=1e-9), judge.tr(
            "{name} is not linear in grad_y", name=name
        )


def test_inputs_unmodified(judge):
    """x, gamma, beta and grad_y are left as they were"""
    judge.check_unmodified(ENTRY, *inputs(judge, 3, 5))


def brute(x, gamma, gy, eps):
    """per row: the Jacobian of LayerNorm entry by entry (∂y_i/∂x_j), then sums over rows."""
    d = x.shape[-1]
    gx = np.zeros_like(x)
    gg = np.zeros(d)
    for idx in np.ndindex(x.shape[:-1]):
        row = x[idx]
        mu = row.mean()
        var = ((row - mu) ** 2).mean()
        s = np.sqrt(var + eps)
        xhat = (row - mu) / s
        jac = np.array(
            [
                [gamma[i] * (((i == j) - 1.0 / d) / s - xhat[i] * xhat[j] / (d * s)) for j in range(d)]
                for i in range(d)
            ]
        )
        gx[idx] = gy[idx] @ jac
        gg += gy[idx] * xhat
    return gx, gg, gy.reshape(-1, d).sum(axis=0)


def test_matches_brute_force(judge):
    """small integer inputs (ties, repeated values) against the per-row Jacobian built entry by entry"""
    for _ in range(15):
        r, d = (int(v) for v in judge.rng.integers(1, 6, size=2))
        d += 1
        x = judge.rng.integers(-3, 4, size=(r, d)).astype(np.float64)
        gamma = judge.rng.integers(-2, 3, size=d).astype(np.float64)
        beta = judge.rng.integers(-2, 3, size=d).astype(np.float64)
        gy = judge.rng.integers(-3, 4, size=(r, d)).astype(np.float64)
        got = judge.call(ENTRY, x, gamma, beta, gy)
        judge.expect(
            got, brute(x, gamma, gy, 1e-5), call=Call(ENTRY, (x, gamma, beta, gy), {}), label=LABEL, **F64
        )
