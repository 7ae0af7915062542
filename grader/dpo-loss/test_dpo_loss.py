"""Hidden suite: the DPO loss from per-token log-probs. Masks with a prompt part and right padding whose
log-probs are far from the response's (so a mask ignored or a mean instead of a sum shows at once),
Tc ≠ Tr, several β, margins of about ±1000 (where log(sigmoid) overflows), policy = reference (loss log 2),
and float32."""

import math

import numpy as np

ENTRY = "dpo_loss"
LABEL = "loss|chosen_rewards|rejected_rewards"


def token_logps(judge, b, t):
    """log-probs of sampled tokens: negative, mostly between -4 and 0"""
    return -np.abs(judge.rng.standard_normal((b, t))) * 1.5 - 0.05


def response_mask(judge, b, t):
    """a prompt part (False), then the response (True), then right padding (False); ≥ 1 response token"""
    mask = np.zeros((b, t), dtype=bool)
    for i in range(b):
        start = int(judge.rng.integers(0, t))
        stop = int(judge.rng.integers(start + 1, t + 1))
        mask[i, start:stop] = True
    return mask


def pair_batch(judge, b=None, tc=None, tr=None, pad_value=None):
    b = b or int(judge.rng.integers(2, 7))
    tc = tc or int(judge.rng.integers(2, 9))
    tr = tr or int(judge.rng.choice([v for v in range(2, 10) if v != tc]))
    pc, rc, cm = token_logps(judge, b, tc), token_logps(judge, b, tc), response_mask(judge, b, tc)
    pr, rr, rm = token_logps(judge, b, tr), token_logps(judge, b, tr), response_mask(judge, b, tr)
    if pad_value is not None:
        for lp, m in ((pc, cm), (rc, cm), (pr, rm), (rr, rm)):
            lp[~m] = pad_value * judge.rng.random(int((~m).sum()))
    return pc, pr, rc, rr, cm, rm


def test_worked_example(judge):
    """the example of the statement (β = 0.5)"""
    pc = np.array([[-1.0, -2.0, -0.5], [-0.3, -0.7, -9.0]])
    rc = np.array([[-1.5, -2.0, -1.0], [-0.5, -0.5, -1.0]])
    cm = np.array([[True, True, True], [True, True, False]])
    pr = np.array([[-2.0, -1.0], [-1.0, -3.0]])
    rr = np.array([[-1.0, -1.0], [-2.0, -0.2]])
    rm = np.array([[True, True], [True, False]])
    judge.check(ENTRY, pc, pr, rc, rr, cm, rm, beta=0.5, label=LABEL)


def test_float64_keeps_dtype(judge):
    """float64 log-probs give float64 results (no silent cast to float32)"""
    loss, chosen, rejected = judge.call(ENTRY, *pair_batch(judge), beta=0.5)
    for name, v in (("loss", loss), ("chosen_rewards", chosen), ("rejected_rewards", rejected)):
        dtype = getattr(v, "dtype", None)  # a 0-d loss may come back as a plain Python float (float64)
        assert dtype is None or dtype == np.float64, judge.tr(
            "float64 inputs gave a {dtype} {name}; keep float64", dtype=dtype, name=name
        )


def test_random_batches(judge):
    """random B, Tc ≠ Tr, random prompt/response/padding masks, several β"""
    for beta in (0.1, 0.5, 2.0):
        judge.check(ENTRY, *pair_batch(judge), beta=beta, label=LABEL)


def test_default_beta(judge):
    """beta defaults to 0.1"""
    judge.check(ENTRY, *pair_batch(judge), label=LABEL)


def test_padding_is_ignored(judge):
    """masked-out positions hold arbitrary values (here down to -50): they must not count"""
    judge.check(ENTRY, *pair_batch(judge, pad_value=-50.0), beta=0.3, label=LABEL)


def test_long_responses(judge):
    """responses of different lengths in one batch: sums, not means, of their log-probs"""
    b, tc, tr = 4, 12, 7
    pc, pr, rc, rr, _, _ = pair_batch(judge, b, tc, tr)
    cm = np.arange(tc)[None, :] < np.array([[12], [3], [8], [1]])
    rm = np.arange(tr)[None, :] < np.array([[2], [7], [5], [7]])
    judge.check(ENTRY, pc, pr, rc, rr, cm, rm, beta=0.2, label=LABEL)


def test_policy_equals_reference(judge):
    """policy = reference: every reward is 0 and the loss is log 2"""
    pc, pr, _, _, cm, rm = pair_batch(judge)
    loss, chosen, rejected = judge.check(ENTRY, pc, pr, pc, pr, cm, rm, beta=0.7, label=LABEL)
    assert abs(float(loss) - math.log(2)) < 1e-9, "with policy = reference the loss must be log 2"


def test_single_pair(judge):
    """B = 1"""
    judge.check(ENTRY, *pair_batch(judge, b=1), beta=0.25, label=LABEL)


def test_large_negative_margin_is_stable(judge):
    """the policy puts ~1000 nats less on the chosen response than the reference: the loss is finite (~β·1000)"""
    pc, pr, rc, rr, cm, rm = pair_batch(judge, b=3, tc=6, tr=5)
    cm[:] = True
    pc = pc * 200.0  # chosen log-probs ~ -1000 per response under the policy
    loss, _, _ = judge.check(ENTRY, pc, pr, rc, rr, cm, rm, beta=1.0, label=LABEL)
    assert np.isfinite(loss), "the loss must stay finite for a margin of about -1000 (use F.logsigmoid)"


def test_large_positive_margin(judge):
    """a margin of about +1000: the loss is ~0"""
    pc, pr, rc, rr, cm, rm = pair_batch(judge, b=3, tc=4, tr=6)
    rm[:] = True
    judge.check(ENTRY, pc, pr * 200.0, rc, rr, cm, rm, beta=1.0, label=LABEL)


def test_float32_keeps_dtype(judge):
    """float32 log-probs give float32 results"""
    args = [a.astype(np.float32) if a.dtype == np.float64 else a for a in pair_batch(judge)]
    loss, chosen, rejected = judge.check(ENTRY, *args, beta=0.5, atol=1e-4, rtol=1e-4, label=LABEL)
    for name, v in (("loss", loss), ("chosen_rewards", chosen), ("rejected_rewards", rejected)):
        assert v.dtype == np.float32, judge.tr(
            "float32 inputs gave a {dtype} {name}; keep float32", dtype=v.dtype, name=name
        )


def test_inputs_unmodified(judge):
    """the log-probs and masks are left exactly as they were (padding log-probs included)"""
    judge.check_unmodified(ENTRY, *pair_batch(judge, pad_value=-20.0), 0.5)
