"""Hidden suite: backward pass of y = x @ w.T + b. After the (square-weight) worked example every shape has
N, D_in and D_out all different, so transposed products either crash or give the wrong shape; the
gradients are also checked against finite differences of L = sum(grad_y * y) and a loop brute force."""

import numpy as np

from tfprep.grading.protocol import Call

ENTRY = "linear_backward"
LABEL = "grad_x|grad_w|grad_b"
F64 = {"atol": 1e-9, "rtol": 1e-7}
F32 = {"atol": 1e-4, "rtol": 1e-4}


def three_sizes(judge, low=2, high=9):
    """N, D_in, D_out: all different."""
    return tuple(int(v) for v in judge.rng.choice(np.arange(low, high), size=3, replace=False))


def layer(judge, n, d_in, d_out):
    g = judge.rng.standard_normal
    return g((n, d_in)), g((d_out, d_in)) / np.sqrt(d_in), g(d_out), g((n, d_out))


def test_worked_example(judge):
    """the example of the statement (N = 3, square 2×2 weight)"""
    x = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    w = np.array([[1.0, -1.0], [2.0, 0.5]])
    b = np.array([0.5, -0.5])
    grad_y = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, -1.0]])
    judge.check(ENTRY, x, w, b, grad_y, label=LABEL, **F64)


def test_square_weight_random(judge):
    """a random square weight (D_in = D_out ≠ N): every product has a valid shape, only the values differ"""
    n, d = 5, 3
    judge.check(ENTRY, *layer(judge, n, d, d), label=LABEL, **F64)


def test_rectangular_shapes(judge):
    """random shapes with N, D_in and D_out all different"""
    for _ in range(3):
        judge.check(ENTRY, *layer(judge, *three_sizes(judge)), label=LABEL, **F64)


def test_wider_and_narrower(judge):
    """an expanding layer (D_out > D_in) and a contracting one (D_out < D_in)"""
    judge.check(ENTRY, *layer(judge, 4, 3, 7), label=LABEL, **F64)
    judge.check(ENTRY, *layer(judge, 6, 9, 2), label=LABEL, **F64)


def test_single_row(judge):
    """a batch of one row (N = 1)"""
    judge.check(ENTRY, *layer(judge, 1, 5, 3), label=LABEL, **F64)


def test_larger_layer(judge):
    """a larger layer (N = 64, D_in = 33, D_out = 17)"""
    judge.check(ENTRY, *layer(judge, 64, 33, 17), label=LABEL, **F64)


def test_matches_finite_differences(judge):
    """each gradient equals central finite differences of L = sum(grad_y * (x @ w.T + b))"""
    n, d_in, d_out = 4, 3, 2
    x, w, b, grad_y = layer(judge, n, d_in, d_out)

    def loss(x_, w_, b_):
        return float(np.sum(grad_y * (x_ @ w_.T + b_)))

    h = 1e-3  # L is linear in each argument, so the central difference is exact up to rounding
    fds = []
    for k, arg in enumerate((x, w, b)):
        fd = np.zeros_like(arg)
        for idx in np.ndindex(arg.shape):
            up = [x.copy(), w.copy(), b.copy()]
            down = [x.copy(), w.copy(), b.copy()]
            up[k][idx] += h
            down[k][idx] -= h
            fd[idx] = (loss(*up) - loss(*down)) / (2 * h)
        fds.append(fd)
    got = judge.call(ENTRY, x, w, b, grad_y)
    judge.expect(
        got,
        tuple(fds),
        call=Call(ENTRY, (x, w, b, grad_y), {}),
        label=LABEL,
        atol=1e-8,
        rtol=1e-6,
        message="your gradients differ from finite differences of L = sum(grad_y * y)",
    )


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out"""
    args = [a.astype(np.float32) for a in layer(judge, 5, 4, 3)]
    got = judge.check(ENTRY, *args, label=LABEL, **F32)
    dtypes = [getattr(g, "dtype", type(g).__name__) for g in got]
    assert all(d == np.float32 for d in dtypes), judge.tr(
        "float32 inputs gave gradients of dtypes {dtypes}; keep float32",
        dtypes=", ".join(str(d) for d in dtypes),
    )


def test_bias_and_linearity(judge):
    """the gradients do not depend on b, and they are linear in grad_y"""
    n, d_in, d_out = three_sizes(judge)
    x, w, b, g1 = layer(judge, n, d_in, d_out)
    g2 = judge.rng.standard_normal((n, d_out))
    first = judge.call(ENTRY, x, w, b, g1)
    other_b = judge.call(ENTRY, x, w, b + 10.0 * judge.rng.standard_normal(d_out), g1)
    for name, p, q in zip(LABEL.split("|"), first, other_b):
        assert np.allclose(p, q, atol=1e-12), judge.tr(
            "{name} changed when only b changed; none of the gradients depends on b", name=name
        )
    second = judge.call(ENTRY, x, w, b, g2)
    both = judge.call(ENTRY, x, w, b, 2.0 * g1 - 3.0 * g2)
    for name, p, q, r in zip(LABEL.split("|"), first, second, both):
        assert np.allclose(r, 2.0 * p - 3.0 * q, atol=1e-9), judge.tr(
            "{name} is not linear in grad_y (backward of 2·g1 - 3·g2 ≠ 2·backward(g1) - 3·backward(g2))",
            name=name,
        )


def _brute(x, w, grad_y):
    """the three gradients by explicit loops over the indices of y[n, o] = Σ_i x[n, i] w[o, i] + b[o]."""
    n, d_in = x.shape
    d_out = w.shape[0]
    gx, gw, gb = np.zeros((n, d_in)), np.zeros((d_out, d_in)), np.zeros(d_out)
    for r in range(n):
        for o in range(d_out):
            gb[o] += grad_y[r, o]
            for i in range(d_in):
                gx[r, i] += grad_y[r, o] * w[o, i]
                gw[o, i] += grad_y[r, o] * x[r, i]
    return gx, gw, gb


def test_matches_brute_force(judge):
    """small integer layers of every shape (square or not) against explicit loops"""
    for _ in range(20):
        n, d_in, d_out = (int(v) for v in judge.rng.integers(1, 5, size=3))

        def ints(*shape):
            return judge.rng.integers(-5, 6, size=shape).astype(np.float64)

        x, w, b, grad_y = ints(n, d_in), ints(d_out, d_in), ints(d_out), ints(n, d_out)
        got = judge.call(ENTRY, x, w, b, grad_y)
        judge.expect(got, _brute(x, w, grad_y), call=Call(ENTRY, (x, w, b, grad_y), {}), label=LABEL, **F64)
