"""Hidden suite: InfoNCE / CLIP loss. Embeddings are Gaussian with row norms spread over two orders (so a
missing or misplaced normalisation shows), N ≠ D, several temperatures; asymmetric cases as well as
symmetric ones (the symmetric loss hides a softmax over the wrong axis), a temperature of 1e-3 where exp of
the logits overflows float64, float32 with τ = 0.01, and the inputs checked unmodified."""

import math

import numpy as np

from tfprep.grading.protocol import Call

ENTRY = "info_nce"
TOL = {"atol": 1e-9, "rtol": 1e-8}
F32_TOL = {"atol": 1e-4, "rtol": 1e-5}


def pairs(judge, n, d):
    """a, b of shape (n, d): Gaussian rows, each scaled by its own 10^u, u in [−1, 1]."""
    a = judge.rng.standard_normal((n, d)) * 10.0 ** judge.rng.uniform(-1, 1, size=(n, 1))
    b = judge.rng.standard_normal((n, d)) * 10.0 ** judge.rng.uniform(-1, 1, size=(n, 1))
    return a, b


def sizes(judge):
    n = int(judge.rng.integers(3, 10))
    d = int(judge.rng.choice([v for v in range(2, 17) if v != n]))
    return n, d


def check(judge, a, b, temperature=None, symmetric=None, **tol):
    kwargs = {}
    if temperature is not None:
        kwargs["temperature"] = temperature
    if symmetric is not None:
        kwargs["symmetric"] = symmetric
    return judge.check(ENTRY, a, b, label="loss", **kwargs, **(tol or TOL))


def test_worked_example(judge):
    """the example of the statement: N = 3, D = 2, τ = 0.5, a→b, symmetric, and with a and b swapped"""
    a = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    b = np.array([[2.0, 0.0], [1.0, 1.0], [0.0, -1.0]])
    check(judge, a, b, 0.5, False)
    check(judge, a, b, 0.5, True)
    check(judge, b, a, 0.5, False)


def test_asymmetric(judge):
    """symmetric=False on random shapes and temperatures: only a→b (rows choose among the b's)"""
    for tau in (0.07, 0.3, 2.0):
        check(judge, *pairs(judge, *sizes(judge)), tau, False)


def test_symmetric(judge):
    """symmetric=True: the mean of the a→b and b→a losses"""
    for tau in (0.07, 0.5):
        check(judge, *pairs(judge, *sizes(judge)), tau, True)


def test_defaults(judge):
    """called as info_nce(a, b): temperature 0.07, symmetric=False"""
    check(judge, *pairs(judge, *sizes(judge)))


def test_small_batches(judge):
    """N = 1 (a single pair: the loss is 0) and N = 2"""
    for n in (1, 2):
        for sym in (False, True):
            check(judge, *pairs(judge, n, 5), 0.1, sym)


def test_small_temperature(judge):
    """τ = 1e-3 with well-aligned pairs (cosines near 1): logits near 1000, exp overflows float64; the loss is finite"""
    n, d = sizes(judge)
    a, noise = pairs(judge, n, d)
    b = a + 0.05 * np.abs(a).mean() * noise / np.abs(noise).mean()  # b_i ≈ a_i: a trained model's positives
    for sym in (False, True):
        check(judge, a, b, 1e-3, sym)


def test_float32(judge):
    """float32 embeddings with τ = 0.01 (logits up to 100: exp overflows float32); the loss stays float32"""
    a, b = (x.astype(np.float32) for x in pairs(judge, 6, 8))
    for sym in (False, True):
        got = check(judge, a, b, 0.01, sym, **F32_TOL)
        assert getattr(got, "dtype", None) == np.float32, judge.tr(
            "float32 embeddings gave a {dtype} loss; return a 0-d tensor of their dtype",
            dtype=getattr(got, "dtype", type(got).__name__),
        )


def test_returns_a_scalar_tensor(judge):
    """the loss is a 0-d tensor (it can be back-propagated), not a Python float or a shape-(1,) tensor"""
    got = judge.call(ENTRY, *pairs(judge, 4, 3), temperature=0.2)
    assert isinstance(got, np.ndarray) and got.shape == (), judge.tr(
        "expected a 0-d tensor, got {kind}{shape}", kind=type(got).__name__, shape=getattr(got, "shape", "")
    )


def test_inputs_unmodified(judge):
    """a and b are left as they were (no in-place normalisation)"""
    a, b = pairs(judge, *sizes(judge))
    judge.check_unmodified(ENTRY, a, b, temperature=0.2, symmetric=True)


def scalar(value):
    return float(np.asarray(value).reshape(()))


def test_properties(judge):
    """rescaling each embedding leaves the loss unchanged; permuting the pairs together too; the loss is ≥ 0"""
    n, d = sizes(judge)
    a, b = pairs(judge, n, d)
    base = scalar(judge.call(ENTRY, a, b, temperature=0.2))
    assert base >= 0, "a cross-entropy is never negative"
    scaled = scalar(judge.call(ENTRY, a * judge.rng.uniform(0.1, 10.0, size=(n, 1)), b, temperature=0.2))
    assert abs(scaled - base) <= 1e-9 + 1e-8 * abs(base), (
        "multiplying an embedding by a positive number changed the loss: normalise each row"
    )
    perm = judge.rng.permutation(n)
    permuted = scalar(judge.call(ENTRY, a[perm], b[perm], temperature=0.2))
    assert abs(permuted - base) <= 1e-9 + 1e-8 * abs(base), (
        "reordering the pairs (a_i, b_i) together changed the loss"
    )


def _brute(a, b, tau, symmetric):
    """Python floats: cosine similarities / τ, then the mean over rows (and columns) of lse − positive."""
    n = len(a)
    unit = lambda v: [x / math.sqrt(sum(y * y for y in v)) for x in v]  # noqa: E731
    ua, ub = [unit(v) for v in a], [unit(v) for v in b]
    logit = [
        [sum(x * y for x, y in zip(ua[i], ub[j], strict=True)) / tau for j in range(n)] for i in range(n)
    ]

    def lse(xs):
        top = max(xs)
        return top + math.log(math.fsum(math.exp(x - top) for x in xs))

    ab = math.fsum(lse(logit[i]) - logit[i][i] for i in range(n)) / n
    if not symmetric:
        return ab
    ba = math.fsum(lse([logit[i][j] for i in range(n)]) - logit[j][j] for j in range(n)) / n
    return (ab + ba) / 2


def test_matches_brute_force(judge):
    """small integer embeddings (no zero row) against a loop over Python floats"""
    for _ in range(12):
        n, d = int(judge.rng.integers(1, 5)), int(judge.rng.integers(1, 4))
        a = judge.rng.integers(1, 4, size=(n, d)) * judge.rng.choice([-1, 1], size=(n, d))
        b = judge.rng.integers(1, 4, size=(n, d)) * judge.rng.choice([-1, 1], size=(n, d))
        a, b = a.astype(np.float64), b.astype(np.float64)
        tau = float(judge.rng.choice([0.05, 0.5, 1.5]))
        sym = bool(judge.rng.integers(0, 2))
        kwargs = {"temperature": tau, "symmetric": sym}
        judge.expect(
            judge.call(ENTRY, a, b, **kwargs),
            _brute(a.tolist(), b.tolist(), tau, sym),
            call=Call(ENTRY, (a, b), kwargs),
            label="loss",
            **TOL,
        )
