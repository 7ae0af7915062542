"""Hidden suite: the PPO clipped surrogate with per-token masks. Ratios spread well beyond [1 − ε, 1 + ε]
with advantages of both signs (so the min, the clip fraction and the KL estimator are all exercised),
padding holding wild values, responses of very different lengths (token mean ≠ sequence mean), on-policy
data, tiny probabilities (float32 log-probs ~ −110, float64 ~ −800) and float32."""

import numpy as np

ENTRY = "ppo_clip_loss"
LABEL = "loss|clip_frac|approx_kl"


def right_padded_mask(judge, b, t):
    lengths = judge.rng.integers(1, t + 1, size=b)
    return np.arange(t)[None, :] < lengths[:, None]


def batch(judge, b=None, t=None, spread=0.3, mask=None):
    b = b or int(judge.rng.integers(2, 7))
    t = t or int(judge.rng.choice([v for v in range(2, 11) if v != b]))
    logp_old = -np.abs(judge.rng.standard_normal((b, t))) * 1.5 - 0.05
    logp = logp_old + spread * judge.rng.standard_normal((b, t))
    advantages = judge.rng.standard_normal((b, t))
    mask = right_padded_mask(judge, b, t) if mask is None else mask
    return logp, logp_old, advantages, mask


def test_worked_example(judge):
    """the example of the statement"""
    logp_old = np.array([[-1.0, -2.0, -0.5], [-1.5, -0.3, -2.0]])
    logp = np.array([[-0.6, -2.1, -0.5], [-2.0, -0.25, -12.0]])
    advantages = np.array([[1.0, -2.0, 0.5], [1.0, -1.0, 3.0]])
    mask = np.array([[True, True, True], [True, True, False]])
    judge.check(ENTRY, logp, logp_old, advantages, mask, clip_eps=0.2, label=LABEL)


def test_random_batches(judge):
    """random shapes, ratios spread around 1, advantages of both signs, several ε"""
    for eps in (0.1, 0.2, 0.3):
        got = judge.check(ENTRY, *batch(judge), clip_eps=eps, label=LABEL)
    for name, v in zip(LABEL.split("|"), got):
        assert v.dtype == np.float64, judge.tr(
            "float64 inputs gave a {dtype} {name}; keep float64", dtype=v.dtype, name=name
        )


def test_default_clip_eps(judge):
    """clip_eps defaults to 0.2"""
    judge.check(ENTRY, *batch(judge), label=LABEL)


def test_padding_is_ignored(judge):
    """padding positions hold ratios up to e^5 and advantages up to ±50: none of the three outputs may use them"""
    logp, logp_old, advantages, mask = batch(judge, b=4, t=8)
    mask[:, 0] = True
    mask[:, -1] = False
    pad = ~mask
    logp[pad] = logp_old[pad] + judge.rng.uniform(-5.0, 5.0, size=int(pad.sum()))
    advantages[pad] = judge.rng.uniform(-50.0, 50.0, size=int(pad.sum()))
    judge.check(ENTRY, logp, logp_old, advantages, mask, label=LABEL)


def test_token_mean_not_sequence_mean(judge):
    """responses of 1, 2 and 9 valid tokens: every valid token weighs the same"""
    logp, logp_old, advantages, _ = batch(judge, b=3, t=9, spread=0.5)
    mask = np.arange(9)[None, :] < np.array([[1], [9], [2]])
    judge.check(ENTRY, logp, logp_old, advantages, mask, clip_eps=0.2, label=LABEL)


def test_clip_fraction_follows_the_advantage_sign(judge):
    """ratio > 1 + ε with A < 0, and ratio < 1 − ε with A > 0: the min keeps ratio·A, nothing is clipped"""
    logp_old = np.log(np.array([[0.2, 0.3, 0.1, 0.5], [0.4, 0.05, 0.3, 0.2]]))
    ratio = np.array([[1.5, 0.5, 1.1, 1.3], [0.7, 2.0, 0.9, 1.25]])
    advantages = np.array([[-1.0, 2.0, 0.5, 1.0], [-0.5, -1.5, 3.0, 0.7]])
    mask = np.ones((2, 4), dtype=bool)
    judge.check(ENTRY, logp_old + np.log(ratio), logp_old, advantages, mask, clip_eps=0.2, label=LABEL)


def test_no_padding(judge):
    """every position valid"""
    logp, logp_old, advantages, _ = batch(judge, b=3, t=5, spread=0.4)
    judge.check(ENTRY, logp, logp_old, advantages, np.ones((3, 5), dtype=bool), label=LABEL)


def test_on_policy(judge):
    """logp = logp_old: ratio 1, loss = −mean(A), clip_frac 0, approx_kl 0"""
    _, logp_old, advantages, mask = batch(judge)
    judge.check(ENTRY, logp_old.copy(), logp_old, advantages, mask, label=LABEL)


def test_tiny_probabilities_float64(judge):
    """log-probs around −800: exp(logp) underflows to 0 in float64, exp(logp − logp_old) does not"""
    logp, logp_old, advantages, mask = batch(judge, b=3, t=4)
    judge.check(ENTRY, logp - 800.0, logp_old - 800.0, advantages, mask, label=LABEL)


def test_tiny_probabilities_float32(judge):
    """float32 log-probs around −110 (exp underflows in float32): float32 results, finite"""
    logp, logp_old, advantages, mask = batch(judge, b=3, t=5)
    args = [(logp - 110.0).astype(np.float32), (logp_old - 110.0).astype(np.float32)]
    got = judge.check(ENTRY, *args, advantages.astype(np.float32), mask, atol=1e-4, rtol=1e-4, label=LABEL)
    assert all(np.isfinite(v) for v in got), "the outputs must be finite for tiny probabilities"


def test_float32_keeps_dtype(judge):
    """float32 inputs give float32 outputs"""
    logp, logp_old, advantages, mask = batch(judge)
    args = [a.astype(np.float32) for a in (logp, logp_old, advantages)]
    got = judge.check(ENTRY, *args, mask, atol=1e-4, rtol=1e-4, label=LABEL)
    for name, v in zip(LABEL.split("|"), got):
        assert v.dtype == np.float32, judge.tr(
            "float32 inputs gave a {dtype} {name}; keep float32", dtype=v.dtype, name=name
        )


def test_inputs_unmodified(judge):
    """logp, logp_old, advantages and mask are left exactly as they were"""
    judge.check_unmodified(ENTRY, *batch(judge))
