"""Hidden suite: mean cross-entropy and its gradient. Gaussian logits for the values; stability cases built
so that each kind of overflow shows on its own: exp overflowing (logits in the hundreds, target still
moderate), whole rows near -1e4, a target ~900 below its row's max (log of an underflowed probability),
and logits spread over ±1e4. The gradient is also checked against central finite differences."""

import math

import numpy as np

from tfprep.grading.protocol import Call

LOSS, GRAD = "cross_entropy", "cross_entropy_grad"
LOSS_TOL = {"atol": 1e-8, "rtol": 1e-7}
GRAD_TOL = {"atol": 1e-10, "rtol": 1e-7}
F32_TOL = {"atol": 1e-5, "rtol": 1e-4}


def sizes(judge):
    """N in [2, 9], C in [3, 12], N != C."""
    n = int(judge.rng.integers(2, 10))
    c = int(judge.rng.choice([v for v in range(3, 13) if v != n]))
    return n, c


def targets_for(judge, n, c):
    return judge.rng.integers(0, c, size=n)


def check_both(judge, logits, targets):
    judge.check(LOSS, logits, targets, **LOSS_TOL)
    judge.check(GRAD, logits, targets, label="gradient", **GRAD_TOL)


def test_worked_example(judge):
    """the N = 2, C = 3 example of the statement: the loss, then the gradient"""
    logits = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 3.0]])
    targets = np.array([0, 1])
    check_both(judge, logits, targets)


def test_loss_random(judge):
    """the loss on Gaussian logits of random shapes (N ≠ C)"""
    for _ in range(3):
        n, c = sizes(judge)
        judge.check(LOSS, judge.rng.standard_normal((n, c)) * 2.0, targets_for(judge, n, c), **LOSS_TOL)


def test_gradient_random(judge):
    """the gradient on Gaussian logits of random shapes (N ≠ C)"""
    for _ in range(3):
        n, c = sizes(judge)
        judge.check(
            GRAD,
            judge.rng.standard_normal((n, c)) * 2.0,
            targets_for(judge, n, c),
            label="gradient",
            **GRAD_TOL,
        )


def test_one_row_and_two_classes(judge):
    """N = 1 (a single example) and C = 2 (binary), with repeated targets"""
    check_both(judge, judge.rng.standard_normal((1, 5)), np.array([3]))
    check_both(judge, judge.rng.standard_normal((6, 2)), np.array([1, 1, 0, 1, 0, 0]))


def test_gradient_matches_finite_differences(judge):
    """the gradient equals central finite differences of the mean loss"""
    n, c = 3, 4
    logits = judge.rng.standard_normal((n, c))
    targets = np.array([2, 0, 2])
    loss = judge.reference.cross_entropy
    h = 1e-5
    fd = np.zeros_like(logits)
    for idx in np.ndindex(logits.shape):
        up, down = logits.copy(), logits.copy()
        up[idx] += h
        down[idx] -= h
        fd[idx] = (loss(up, targets) - loss(down, targets)) / (2 * h)
    got = judge.call(GRAD, logits, targets)
    judge.expect(
        got,
        fd,
        call=Call(GRAD, (logits, targets), {}),
        atol=1e-7,
        rtol=1e-5,
        label="gradient",
        message="your gradient differs from the finite differences of the mean loss",
    )


def test_overflowing_logits(judge):
    """logits in the hundreds (the row max above 709, where exp overflows), target logits within 650 of it"""
    n, c = 4, 5
    logits = judge.rng.uniform(300.0, 650.0, size=(n, c))
    top = judge.rng.integers(0, c, size=n)
    logits[np.arange(n), top] = judge.rng.uniform(750.0, 950.0, size=n)
    targets = (top + judge.rng.integers(1, c, size=n)) % c  # never the max
    check_both(judge, logits, targets)


def test_very_negative_rows(judge):
    """every logit near -1e4: exp underflows to 0 for the whole row"""
    n, c = 3, 4
    logits = -1e4 + judge.rng.standard_normal((n, c)) * 2.0
    check_both(judge, logits, targets_for(judge, n, c))


def test_very_negative_row_next_to_ordinary_rows(judge):
    """one row near -1e4 between ordinary rows: each row needs its own max (one max for the batch fails)"""
    c = int(judge.rng.integers(3, 7))
    # first rows ~750 apart, none overflowing on its own (exp(703) is finite): only a per-row max keeps both
    logits = np.stack([700.0 + judge.rng.uniform(-3.0, 3.0, c), -50.0 + judge.rng.uniform(-3.0, 3.0, c)])
    check_both(judge, logits, targets_for(judge, 2, c))
    logits = judge.rng.standard_normal((3, c)) * 2.0
    logits[1] = -1e4 + judge.rng.standard_normal(c) * 2.0
    check_both(judge, logits, targets_for(judge, 3, c))


def test_target_far_below_the_max(judge):
    """ordinary logits except the target, ~900 below the rest: its probability underflows, its loss is ~900"""
    n, c = 4, 6
    logits = judge.rng.standard_normal((n, c))
    targets = targets_for(judge, n, c)
    logits[np.arange(n), targets] = -900.0 + judge.rng.standard_normal(n)
    check_both(judge, logits, targets)


def test_logits_up_to_1e4(judge):
    """logits spread over [-1e4, 1e4] with each row's max above 9000"""
    n, c = 5, 6
    logits = judge.rng.uniform(-1e4, 1e4, size=(n, c))
    logits[np.arange(n), judge.rng.integers(0, c, size=n)] = judge.rng.uniform(9000.0, 1e4, size=n)
    check_both(judge, logits, targets_for(judge, n, c))


def test_float32(judge):
    """float32 logits in ±100 (exp overflows float32 above ~88): the gradient stays float32"""
    n, c = 4, 7
    logits = judge.rng.uniform(-100.0, 100.0, size=(n, c)).astype(np.float32)
    targets = targets_for(judge, n, c)
    judge.check(LOSS, logits, targets, **F32_TOL)
    got = judge.check(GRAD, logits, targets, label="gradient", **F32_TOL)
    assert got.dtype == np.float32, judge.tr(
        "float32 logits gave a {dtype} gradient; keep the dtype of logits", dtype=got.dtype
    )


def scalar(judge, value):
    """The loss as a Python float (it may come back as a float, a NumPy float or a one-element array)."""
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    assert isinstance(value, (int, float)) and not isinstance(value, bool), judge.tr(
        "the loss must be a single number, got {kind}", kind=type(value).__name__
    )
    return float(value)


def test_properties(judge):
    """uniform logits give log C; the loss is ≥ 0 and unchanged by a per-row shift; gradient rows sum to 0"""
    n, c = 5, 7
    targets = targets_for(judge, n, c)
    flat = judge.call(LOSS, np.full((n, c), 3.5), targets)
    judge.expect(
        flat,
        math.log(c),
        message=judge.tr("equal logits must give a loss of log C = log {c}", c=c),
        **LOSS_TOL,
    )
    logits = judge.rng.standard_normal((n, c)) * 3.0
    base = scalar(judge, judge.call(LOSS, logits, targets))
    assert base >= 0, "the cross-entropy can never be negative"
    shifted = scalar(judge, judge.call(LOSS, logits + judge.rng.uniform(-300.0, 300.0, size=(n, 1)), targets))
    assert abs(shifted - base) <= 1e-8 + 1e-7 * abs(base), (
        "adding a constant to a row of logits must not change the loss"
    )
    g = judge.call(GRAD, logits, targets)
    assert isinstance(g, np.ndarray) and g.shape == (n, c), judge.tr(
        "the gradient must be an array of shape (N, C) = {shape}", shape=(n, c)
    )
    assert np.allclose(g.sum(axis=1), 0.0, atol=1e-12), "each row of the gradient must sum to 0"
    assert np.all(g[np.arange(n), targets] < 0) and np.all(
        np.delete(g.reshape(-1), np.ravel_multi_index((np.arange(n), targets), (n, c))) > 0
    ), "the gradient must be negative exactly at the target entries and positive elsewhere"


def _brute(rows, targets):
    """loss and gradient with Python floats, row by row."""
    n = len(rows)
    loss, grad = 0.0, []
    for row, t in zip(rows, targets):
        top = max(row)
        lse = top + math.log(math.fsum(math.exp(v - top) for v in row))
        loss += lse - row[t]
        grad.append([(math.exp(v - lse) - (1.0 if j == t else 0.0)) / n for j, v in enumerate(row)])
    return loss / n, np.array(grad)


def test_matches_brute_force(judge):
    """small integer logits against a row-by-row Python computation of the loss and the gradient"""
    for _ in range(20):
        n, c = int(judge.rng.integers(1, 5)), int(judge.rng.integers(2, 6))
        rows = judge.rng.integers(-12, 13, size=(n, c)).tolist()  # small integers: ties included
        targets = judge.rng.integers(0, c, size=n)
        logits = np.array(rows, dtype=np.float64)
        loss, grad = _brute(rows, targets)
        judge.expect(
            judge.call(LOSS, logits, targets), loss, call=Call(LOSS, (logits, targets), {}), **LOSS_TOL
        )
        judge.expect(
            judge.call(GRAD, logits, targets),
            grad,
            call=Call(GRAD, (logits, targets), {}),
            label="gradient",
            **GRAD_TOL,
        )
