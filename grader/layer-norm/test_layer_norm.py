"""Hidden suite: LayerNorm and RMSNorm over the last axis. Non-square shapes (so the batch axis is never
the feature axis), eps large enough or variances small enough for eps placement to matter, random
gamma/beta, a large common offset, float32."""

import numpy as np

LN, RMS = "layer_norm", "rms_norm"


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def lead_shape(judge, d):
    """1–3 leading dims, none of them equal to d."""
    dims = [int(x) for x in judge.rng.integers(2, 6, size=int(judge.rng.integers(1, 4)))]
    return tuple(n if n != d else n + 1 for n in dims)


def test_statement_example(judge):
    """the 2×4 example of the statement"""
    x = np.array([[1.0, 2.0, 3.0, 6.0], [0.5, -0.5, 1.5, -1.5]])
    gamma = np.array([1.0, 2.0, 0.5, -1.0])
    beta = np.array([0.0, 0.1, 0.2, 0.3])
    judge.check(LN, x, gamma, beta)
    judge.check(RMS, x, gamma)


def test_layer_norm_random_shapes(judge):
    """layer_norm on random shapes with one to three leading dims, random gamma and beta"""
    for _ in range(3):
        d = int(judge.rng.integers(3, 40))
        judge.check(
            LN, gaussian(judge, *lead_shape(judge, d), d), gaussian(judge, d), gaussian(judge, d), eps=1e-5
        )


def test_rms_norm_random_shapes(judge):
    """rms_norm on random shapes with one to three leading dims, random gamma; inputs not centred"""
    for _ in range(3):
        d = int(judge.rng.integers(3, 40))
        x = gaussian(judge, *lead_shape(judge, d), d) + judge.rng.normal(0.0, 1.0, size=(d,))
        judge.check(RMS, x, gaussian(judge, d), eps=1e-6)


def test_normalises_the_last_axis(judge):
    """a (5, 8) batch: every row is normalised on its own, not every column over the batch"""
    x = gaussian(judge, 5, 8) * 2.0 + 1.0
    judge.check(LN, x, gaussian(judge, 8), gaussian(judge, 8), eps=1e-5)
    judge.check(RMS, x, gaussian(judge, 8), eps=1e-6)


def test_eps_inside_the_root(judge):
    """eps = 0.1: sqrt(var + eps) differs clearly from sqrt(var) + eps and from no eps"""
    x = gaussian(judge, 3, 6)
    judge.check(LN, x, gaussian(judge, 6), gaussian(judge, 6), eps=0.1)
    judge.check(RMS, x, gaussian(judge, 6), eps=0.1)


def test_small_variance_rows(judge):
    """rows with a spread of ~1e-3, where eps = 1e-5 dominates the variance"""
    d = 12
    x = judge.rng.normal(0.0, 1.0, size=(4, 1)) + 1e-3 * gaussian(judge, 4, d)
    judge.check(LN, x, gaussian(judge, d), gaussian(judge, d), eps=1e-5)
    judge.check(RMS, 1e-3 * gaussian(judge, 4, d), gaussian(judge, d), eps=1e-5)


def test_default_eps(judge):
    """called without eps on small inputs: the defaults (1e-5 for layer_norm, 1e-6 for rms_norm) matter"""
    d = 10
    judge.check(LN, 0.01 * gaussian(judge, 2, 3, d), gaussian(judge, d), gaussian(judge, d))
    judge.check(RMS, 0.003 * gaussian(judge, 2, 3, d), gaussian(judge, d))


def test_large_offset(judge):
    """rows with mean ~1e6 and unit spread: the variance must come from the centred values"""
    d = 16
    x = 1e6 + gaussian(judge, 3, d)
    judge.check(LN, x, gaussian(judge, d), gaussian(judge, d), eps=1e-5)


def test_single_vector(judge):
    """a 1-D input of shape (D,)"""
    d = 9
    x = gaussian(judge, d) + 0.5
    judge.check(LN, x, gaussian(judge, d), gaussian(judge, d), eps=1e-5)
    judge.check(RMS, x, gaussian(judge, d), eps=1e-6)


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out"""
    d = 24
    x = gaussian(judge, 2, 5, d).astype(np.float32)
    g, b = gaussian(judge, d).astype(np.float32), gaussian(judge, d).astype(np.float32)
    y = judge.check(LN, x, g, b, eps=1e-5, atol=1e-5, rtol=1e-4)
    assert y.dtype == np.float32, judge.tr(
        "layer_norm turned float32 inputs into {dtype}; keep the input dtype", dtype=y.dtype
    )
    y = judge.check(RMS, x, g, eps=1e-6, atol=1e-5, rtol=1e-4)
    assert y.dtype == np.float32, judge.tr(
        "rms_norm turned float32 inputs into {dtype}; keep the input dtype", dtype=y.dtype
    )


def test_normalised_statistics(judge):
    """with gamma = 1, beta = 0: each row has mean 0 and variance ≈ 1 (LayerNorm), mean square ≈ 1 (RMSNorm)"""
    d = 32
    x = 3.0 * gaussian(judge, 4, 6, d) - 2.0
    ones, zeros = np.ones(d), np.zeros(d)
    y = judge.call(LN, x, ones, zeros, eps=1e-12)
    assert isinstance(y, np.ndarray) and y.shape == x.shape, judge.tr(
        "layer_norm must return an array of shape {shape}", shape=x.shape
    )
    assert np.allclose(y.mean(-1), 0.0, atol=1e-9), (
        "layer_norm rows do not have mean 0 (normalise over the last axis)"
    )
    assert np.allclose(y.var(-1), 1.0, atol=1e-6), "layer_norm rows do not have (biased) variance 1"
    y = judge.call(RMS, x, ones, eps=1e-12)
    assert isinstance(y, np.ndarray) and y.shape == x.shape, judge.tr(
        "rms_norm must return an array of shape {shape}", shape=x.shape
    )
    assert np.allclose((y * y).mean(-1), 1.0, atol=1e-6), "rms_norm rows do not have mean square 1"
