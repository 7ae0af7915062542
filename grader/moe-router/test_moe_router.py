"""Hidden suite: the top-k MoE router and its load-balancing loss. Random shapes with N ≠ E and d ≠ E,
top_k ≥ 2 (where counting only the first choice, dividing f by N, or the order of the chosen experts
matter), top_k = 1 and top_k = E, exact ties from integer inputs, a uniform router (aux = α), logits
around 1000, float32, and a seeded sweep against a plain-Python brute force."""

import math

import numpy as np

from tfprep.grading.protocol import Call

ENTRY = "moe_router"
LABEL = "indices|weights|aux_loss"


def sizes(judge):
    e = int(judge.rng.integers(3, 13))
    n = int(judge.rng.choice([v for v in range(4, 41) if v != e]))
    d = int(judge.rng.choice([v for v in range(2, 17) if v != e]))
    return n, d, e


def gaussian_inputs(judge, n, d, e):
    return judge.rng.standard_normal((n, d)), judge.rng.standard_normal((d, e)) / math.sqrt(d) * 2.0


def test_worked_example(judge):
    """the example of the statement (a tie between experts 0 and 3 for token 0)"""
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    w = np.array([[2.0, 0.0, 1.0, 2.0], [0.0, 1.0, 0.5, -1.0]])
    judge.check(ENTRY, x, w, 2, alpha=0.01, label=LABEL)


def test_float64_keeps_dtype(judge):
    """float64 inputs give float64 weights (not cast down to float32)"""
    x, w = gaussian_inputs(judge, 6, 4, 5)
    weights = judge.call(ENTRY, x, w, 2)[1]
    dtype = getattr(weights, "dtype", type(weights).__name__)
    assert dtype == np.float64, judge.tr(
        "float64 inputs gave {dtype} weights; keep the dtype of x (float64 here)", dtype=dtype
    )


def test_random_top_k(judge):
    """Gaussian inputs, random shapes, top_k = 2, 3 and 4"""
    for k in (2, 3, 4):
        n, d, e = sizes(judge)
        e = max(e, k + 2)
        judge.check(ENTRY, *gaussian_inputs(judge, n, d, e), k, label=LABEL)


def test_top1_switch(judge):
    """top_k = 1: every weight is 1 and f is the fraction of tokens per expert"""
    n, d, e = sizes(judge)
    judge.check(ENTRY, *gaussian_inputs(judge, n, d, e), 1, alpha=0.05, label=LABEL)


def test_all_experts(judge):
    """top_k = E: every expert chosen, the weights are the probabilities in descending order"""
    n, d, e = sizes(judge)
    judge.check(ENTRY, *gaussian_inputs(judge, n, d, e), e, label=LABEL)


def test_alpha(judge):
    """alpha scales the auxiliary loss"""
    n, d, e = sizes(judge)
    judge.check(ENTRY, *gaussian_inputs(judge, n, d, e), 2, alpha=0.3, label=LABEL)


def test_ties_take_lower_index(judge):
    """integer inputs give exactly equal logits: equal probabilities keep the lower expert index first"""
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0], [0.0, 0.0]])
    w = np.array([[1.0, 2.0, 2.0, 0.0, 2.0], [1.0, 0.0, 1.0, 1.0, -1.0]])
    judge.check(ENTRY, x, w, 2, label=LABEL)
    judge.check(ENTRY, x, w, 3, label=LABEL)


def test_uniform_router(judge):
    """w_gate = 0: all probabilities are 1/E, every token picks experts 0 … k−1, and aux_loss = alpha"""
    n, d, e = sizes(judge)
    indices, _, aux = judge.check(ENTRY, judge.rng.standard_normal((n, d)), np.zeros((d, e)), 2, label=LABEL)
    assert abs(float(aux) - 0.01) < 1e-9, "a uniform router must give aux_loss = alpha"


def test_large_logits(judge):
    """logits around 1000 with an O(1) spread between experts: subtract the max before exp"""
    n, d, e = sizes(judge)
    x, w = gaussian_inputs(judge, n, d, e)
    x = np.concatenate([x, np.full((n, 1), 100.0)], axis=1)
    w = np.concatenate([w, np.full((1, e), 10.0)], axis=0)  # adds 1000 to every logit
    judge.check(ENTRY, x, w, 2, label=LABEL)


def test_float32_keeps_dtype(judge):
    """float32 inputs give float32 weights"""
    n, d, e = sizes(judge)
    x, w = (a.astype(np.float32) for a in gaussian_inputs(judge, n, d, e))
    indices, weights, _ = judge.check(ENTRY, x, w, 2, atol=1e-4, rtol=1e-4, label=LABEL)
    assert weights.dtype == np.float32, judge.tr(
        "float32 inputs gave {dtype} weights; keep float32", dtype=weights.dtype
    )


def brute(x, w, k, alpha):
    """One token at a time: sort the experts by (-probability, index)."""
    n, e = x.shape[0], w.shape[1]
    indices, weights = [], []
    probs = []
    for t in range(n):
        logits = [sum(float(x[t, j]) * float(w[j, i]) for j in range(x.shape[1])) for i in range(e)]
        m = max(logits)
        ex = [math.exp(v - m) for v in logits]
        p = [v / sum(ex) for v in ex]
        probs.append(p)
        chosen = sorted(range(e), key=lambda i: (-p[i], i))[:k]
        total = sum(p[i] for i in chosen)
        indices.append(chosen)
        weights.append([p[i] / total for i in chosen])
    f = [sum(row.count(i) for row in indices) / (n * k) for i in range(e)]
    big_p = [sum(p[i] for p in probs) / n for i in range(e)]
    aux = alpha * e * sum(fi * pi for fi, pi in zip(f, big_p))
    return np.array(indices, dtype=np.int64), np.array(weights), aux


def test_matches_brute_force(judge):
    """small integer inputs (many ties) against a one-token-at-a-time brute force"""
    for _ in range(25):
        n, d, e = (int(v) for v in judge.rng.integers(1, 6, size=3))
        e += 1
        k = int(judge.rng.integers(1, e + 1))
        x = judge.rng.integers(-2, 3, size=(n, d)).astype(np.float64)
        w = judge.rng.integers(-2, 3, size=(d, e)).astype(np.float64)
        judge.expect(
            judge.call(ENTRY, x, w, k),
            brute(x, w, k, 0.01),
            call=Call(ENTRY, (x, w, k), {}),
            label=LABEL,
        )


def test_inputs_unmodified(judge):
    """x and w_gate are left exactly as they were"""
    n, d, e = sizes(judge)
    judge.check_unmodified(ENTRY, *gaussian_inputs(judge, n, d, e), 2)
