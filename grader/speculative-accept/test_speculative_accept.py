"""Hidden suite: the speculative-decoding accept/reject rule. Exact outputs on given uniforms (rejections
at every position, all-accepted steps with a bonus token, γ = 1, float32 probabilities, many small cases
with zeros and ties), then the distribution: drafts drawn from q and fresh uniforms for 6000 sequences in
one call — the first emitted token must follow p[0] and the mean number of emitted tokens must match
1 + Σ Π α_j. The first test calls twice with the same inputs: a submission that draws with np.random (and
not with the given u, v) is told so before it sees any value differ."""

import numpy as np

ENTRY = "speculative_accept"


def distributions(judge, *shape, concentration=1.0):
    return judge.rng.dirichlet(np.full(shape[-1], concentration), size=shape[:-1])


def draw(judge, probs):
    """Inverse-CDF draws from the rows of probs (..., V): the drafts a draft model would have sampled."""
    cum = np.cumsum(probs, axis=-1)
    w = judge.rng.random(probs.shape[:-1])[..., None]
    idx = (cum <= w).sum(axis=-1)
    last = probs.shape[-1] - 1 - np.argmax(probs[..., ::-1] > 0, axis=-1)  # rounding guard
    return np.minimum(idx, last)


def case(judge, b, gamma, v_size, u_scale=1.0, concentration=1.0):
    p = distributions(judge, b, gamma + 1, v_size, concentration=concentration)
    q = distributions(judge, b, gamma, v_size, concentration=concentration)
    drafts = draw(judge, q)
    u = judge.rng.random((b, gamma)) * u_scale
    v = judge.rng.random(b)
    return drafts, p, q, u, v


def test_draws_use_the_given_uniforms(judge):
    """the same inputs give the same tokens: every draw uses u and v (inverse CDF), not a random generator"""
    args = case(judge, 40, 2, 6)
    first, second = judge.call(ENTRY, *args), judge.call(ENTRY, *args)
    assert isinstance(first, np.ndarray) and np.array_equal(first, second), (
        "two calls with the same inputs gave different tokens: draw the residual and bonus tokens from the "
        "given v with the inverse CDF (np.searchsorted(np.cumsum(probs), v, side='right')), not with "
        "np.random"
    )


def test_worked_example(judge):
    """the example of the statement: a rejection at the first token, a bonus token, a rejection at the second"""
    p1 = [[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.6, 0.1], [0.25, 0.25, 0.25, 0.25]]
    q1 = [[0.7, 0.1, 0.1, 0.1], [0.1, 0.3, 0.5, 0.1]]
    p, q = np.array([p1] * 3), np.array([q1] * 3)
    drafts = np.array([[0, 2], [1, 2], [3, 1]])
    u = np.array([[0.9, 0.1], [0.5, 0.95], [0.2, 0.8]])
    judge.check(ENTRY, drafts, p, q, u, np.array([0.8, 0.6, 0.3]))


def test_returns_integer_tokens(judge):
    """token ids come back as a signed integer array (int64), with -1 for the unused positions"""
    got = judge.call(ENTRY, *case(judge, 4, 2, 5))
    dtype = getattr(got, "dtype", type(got).__name__)
    assert isinstance(got, np.ndarray) and got.dtype.kind == "i", judge.tr(
        "speculative_accept returned {dtype}; return a signed integer array (int64) of token ids", dtype=dtype
    )


def test_random_batches(judge):
    """random B, γ and V; uniform u and v: rejections happen at every position"""
    for _ in range(3):
        b, gamma, v_size = (
            int(judge.rng.integers(4, 10)),
            int(judge.rng.integers(2, 6)),
            int(judge.rng.integers(3, 11)),
        )
        judge.check(ENTRY, *case(judge, b, gamma, v_size))


def test_mostly_accepted(judge):
    """small u: most steps accept every draft token and draw the bonus token from p[γ]"""
    judge.check(ENTRY, *case(judge, 8, 3, 6, u_scale=0.05))


def test_mostly_rejected(judge):
    """u close to 1: most steps reject early and draw from the residual"""
    drafts, p, q, u, v = case(judge, 8, 4, 5)
    judge.check(ENTRY, drafts, p, q, 0.95 + 0.05 * u, v)


def test_gamma_one(judge):
    """γ = 1: one draft token, then either a residual draw or a bonus token"""
    judge.check(ENTRY, *case(judge, 10, 1, 4))


def test_peaked_distributions(judge):
    """peaked (low-entropy) p and q, as real models have: residuals concentrated on a few tokens"""
    judge.check(ENTRY, *case(judge, 10, 3, 8, concentration=0.2))


def test_float32_probabilities(judge):
    """float32 distributions: an integer result"""
    drafts, p, q, u, v = case(judge, 6, 3, 5)
    got = judge.check(ENTRY, drafts, p.astype(np.float32), q.astype(np.float32), u.astype(np.float32), v)
    assert got.dtype.kind == "i", judge.tr(
        "the result must be an integer array, got {dtype}", dtype=got.dtype
    )


def test_many_small_cases(judge):
    """300 sequences over V ≤ 4 with probabilities like 0, 1/4, 1/2 (zeros and ties), for γ = 1 … 3"""
    for gamma in (1, 2, 3):
        b, v_size = 300, int(judge.rng.integers(2, 5))
        p = judge.rng.integers(0, 3, size=(b, gamma + 1, v_size)).astype(np.float64)
        q = judge.rng.integers(0, 3, size=(b, gamma, v_size)).astype(np.float64)
        p[..., 0] += 1.0  # every row has some mass
        q[..., -1] += 1.0
        p /= p.sum(axis=-1, keepdims=True)
        q /= q.sum(axis=-1, keepdims=True)
        drafts = draw(judge, q)
        judge.check(ENTRY, drafts, p, q, judge.rng.random((b, gamma)), judge.rng.random(b))


# ---------------------------------------------------------------- the distribution

N_TRIALS = 6000
P_ROWS = np.array(
    [
        [0.05, 0.10, 0.40, 0.25, 0.20],
        [0.30, 0.30, 0.10, 0.10, 0.20],
        [0.10, 0.50, 0.10, 0.20, 0.10],
        [0.20, 0.20, 0.20, 0.20, 0.20],
    ]
)
Q_ROWS = np.array(
    [
        [0.40, 0.30, 0.10, 0.10, 0.10],
        [0.10, 0.50, 0.20, 0.10, 0.10],
        [0.30, 0.20, 0.30, 0.10, 0.10],
    ]
)


_TRIALS: dict = {}  # one batch of trials per grading, shared by the two distribution tests


def trials(judge):
    key = (id(judge), judge.seed)
    if key not in _TRIALS:
        _TRIALS.clear()
        _TRIALS[key] = _run_trials(judge)
    return _TRIALS[key]


def _run_trials(judge):
    gamma = Q_ROWS.shape[0]
    p = np.broadcast_to(P_ROWS, (N_TRIALS, *P_ROWS.shape)).copy()
    q = np.broadcast_to(Q_ROWS, (N_TRIALS, *Q_ROWS.shape)).copy()
    drafts = draw(judge, q)
    got = judge.call(ENTRY, drafts, p, q, judge.rng.random((N_TRIALS, gamma)), judge.rng.random(N_TRIALS))
    assert isinstance(got, np.ndarray) and got.shape == (N_TRIALS, gamma + 1), judge.tr(
        "expected an array of shape ({rows}, {columns})", rows=N_TRIALS, columns=gamma + 1
    )
    assert got.dtype.kind == "i", judge.tr(
        "expected an array of integer token ids (int64), got {dtype}", dtype=got.dtype
    )
    emitted = got >= 0
    lengths = emitted.sum(axis=1)
    ok_layout = np.all(emitted == (np.arange(gamma + 1)[None, :] < lengths[:, None]))
    assert ok_layout and lengths.min() >= 1, "each row must hold 1 to γ + 1 tokens, then only -1"
    assert got.max() < P_ROWS.shape[1], "every emitted token must be a valid token id"
    return got, lengths


def test_first_token_follows_target(judge):
    """6000 sequences with drafts drawn from q: the first emitted token is distributed as p[0] (total variation < 0.045)"""
    got, _ = trials(judge)
    freq = np.bincount(got[:, 0], minlength=P_ROWS.shape[1]) / N_TRIALS
    tv = 0.5 * float(np.abs(freq - P_ROWS[0]).sum())
    assert tv < 0.045, judge.tr(
        "the first emitted token does not follow the target distribution p[0]: frequencies "
        "{freq} vs p[0] = {p0} (total variation {tv:.3f})",
        freq=np.round(freq, 3).tolist(),
        p0=P_ROWS[0].tolist(),
        tv=tv,
    )


def test_mean_number_of_tokens(judge):
    """6000 sequences: the mean number of emitted tokens is 1 + Σ_i Π_{j≤i} α_j (within 0.08)"""
    _, lengths = trials(judge)
    alpha = np.minimum(P_ROWS[:-1], Q_ROWS).sum(axis=1)
    expected = 1.0 + float(np.cumprod(alpha).sum())
    mean = float(lengths.mean())
    assert abs(mean - expected) < 0.08, judge.tr(
        "the mean number of emitted tokens is {mean:.3f}; with these acceptance rates "
        "{alpha} it should be {expected:.3f}",
        mean=mean,
        alpha=np.round(alpha, 3).tolist(),
        expected=expected,
    )


def test_inputs_unmodified(judge):
    """draft_tokens, p, q, u and v are left exactly as they were"""
    judge.check_unmodified(ENTRY, *case(judge, 5, 3, 6))
