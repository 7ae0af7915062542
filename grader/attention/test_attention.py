"""Hidden suite: scaled dot-product attention. Inputs are Gaussian (unsaturated softmax), so a missing or
wrong scale, a wrong softmax axis or a wrong mask all change the result well beyond the tolerance."""

import numpy as np

ENTRY = "scaled_dot_product_attention"
LABEL = "output|weights"


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def causal(lq, lk):
    return np.tril(np.ones((lq, lk), dtype=bool), k=lk - lq)


def test_worked_example(judge):
    """the 2×2 example of the statement"""
    q = np.array([[1.0, 0.0], [0.0, 1.0]])
    v = np.array([[1.0, 2.0], [3.0, 4.0]])
    judge.check(ENTRY, q, q, v, label=LABEL)


def test_no_batch_dims(judge):
    """a single (Lq, d_k) query block, Lq ≠ Lk, d_v ≠ d_k"""
    lq, lk, dk, dv = 3, 5, 8, 6
    judge.check(ENTRY, gaussian(judge, lq, dk), gaussian(judge, lk, dk), gaussian(judge, lk, dv), label=LABEL)


def test_batch_and_heads(judge):
    """two leading dims (batch, heads)"""
    b, h, lq, lk, dk, dv = 2, 3, 4, 6, 16, 5
    q, k, v = gaussian(judge, b, h, lq, dk), gaussian(judge, b, h, lk, dk), gaussian(judge, b, h, lk, dv)
    judge.check(ENTRY, q, k, v, label=LABEL)


def test_random_shapes(judge):
    """random shapes from the run's seed, one to three leading dims"""
    for _ in range(3):
        lead = tuple(int(x) for x in judge.rng.integers(1, 4, size=judge.rng.integers(1, 4)))
        lq, lk = (int(x) for x in judge.rng.integers(2, 9, size=2))
        dk, dv = (int(x) for x in judge.rng.integers(2, 33, size=2))
        judge.check(
            ENTRY,
            gaussian(judge, *lead, lq, dk),
            gaussian(judge, *lead, lk, dk),
            gaussian(judge, *lead, lk, dv),
            label=LABEL,
        )


def test_causal_mask(judge):
    """a causal (Lq, Lk) mask broadcast over the batch; True = may attend"""
    b, lq, lk, d = 2, 5, 5, 8
    judge.check(
        ENTRY,
        gaussian(judge, b, lq, d),
        gaussian(judge, b, lk, d),
        gaussian(judge, b, lk, d),
        causal(lq, lk),
        label=LABEL,
    )


def test_padding_mask_broadcast(judge):
    """a key-padding mask of shape (B, 1, 1, Lk) broadcast over heads and queries"""
    b, h, lq, lk, d = 2, 2, 3, 6, 8
    lengths = [4, 6]
    mask = np.zeros((b, 1, 1, lk), dtype=bool)
    for i, n in enumerate(lengths):
        mask[i, ..., :n] = True
    q, k, v = gaussian(judge, b, h, lq, d), gaussian(judge, b, h, lk, d), gaussian(judge, b, h, lk, d)
    judge.check(ENTRY, q, k, v, mask, label=LABEL)


def test_rectangular_mask(judge):
    """Lq < Lk with a random mask (every row keeps at least one key)"""
    lq, lk, d = 3, 7, 8
    mask = judge.rng.random((lq, lk)) < 0.6
    mask[np.arange(lq), judge.rng.integers(0, lk, size=lq)] = True
    judge.check(
        ENTRY, gaussian(judge, lq, d), gaussian(judge, lk, d), gaussian(judge, lk, 4), mask, label=LABEL
    )


def test_large_scores_are_stable(judge):
    """scores in the thousands: a softmax without the max shift overflows"""
    lq, lk, d = 4, 6, 16
    q = gaussian(judge, lq, d) * 40.0
    k = gaussian(judge, lk, d) * 40.0
    judge.check(ENTRY, q, k, gaussian(judge, lk, d), label=LABEL)


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out"""
    q = gaussian(judge, 2, 4, 8).astype(np.float32)
    k = gaussian(judge, 2, 5, 8).astype(np.float32)
    v = gaussian(judge, 2, 5, 3).astype(np.float32)
    out, w = judge.check(ENTRY, q, k, v, atol=1e-5, rtol=1e-4, label=LABEL)
    assert out.dtype == np.float32 and w.dtype == np.float32, judge.tr(
        "float32 inputs gave {out} / {w} outputs; keep the input dtype", out=out.dtype, w=w.dtype
    )


def test_weights_are_distributions(judge):
    """rows of the weights are non-negative and sum to 1; masked keys get exactly 0"""
    lq, lk, d = 4, 6, 8
    mask = causal(lq, lk)
    _, w = judge.call(ENTRY, gaussian(judge, lq, d), gaussian(judge, lk, d), gaussian(judge, lk, d), mask)
    assert isinstance(w, np.ndarray) and w.shape == (lq, lk), "weights must be an array of shape (Lq, Lk)"
    assert np.all(w >= 0) and np.allclose(w.sum(-1), 1.0, atol=1e-9), "each row of the weights must sum to 1"
    assert np.all(w[~mask] == 0), "masked keys must get weight exactly 0 (fill with -inf before the softmax)"
