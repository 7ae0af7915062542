"""Hidden suite: temperature / top-k / top-p filtering. Ties at the top-k threshold and at the top-p crossing
token, temperatures that change which tokens survive top-p, top-k before top-p, batched logits, large
logits, and a brute force over every subset for small vocabularies. Random cases keep every running sum at
least 1e-6 away from p, so rounding never decides a case."""

import math
from itertools import combinations

import numpy as np

ENTRY = "filter_logits"


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def margin(logits, top_k, top_p, temperature):
    """The smallest distance between p and a running sum of the sorted probabilities top-p will see."""
    z = logits / temperature
    if 0 < top_k < z.shape[-1]:
        z = np.where(z >= np.sort(z, axis=-1)[..., -top_k, None], z, -np.inf)
    cum = np.cumsum(-np.sort(-_softmax(z), axis=-1), axis=-1)
    return float(np.min(np.abs(cum - top_p)))


def safe_p(judge, logits, top_k=0, temperature=1.0, lo=0.3, hi=0.95, gap=1e-6):
    for _ in range(1000):
        p = float(judge.rng.uniform(lo, hi))
        if margin(logits, top_k, p, temperature) > gap:
            return p
    raise RuntimeError("no safe top_p found")


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def test_statement_example(judge):
    """the examples of the statement"""
    x = np.array([2.0, 1.0, 0.0, -1.0, 1.0])
    judge.check(ENTRY, x, top_k=2)
    judge.check(ENTRY, x, top_p=0.65)
    judge.check(ENTRY, x, top_p=0.75)
    judge.check(ENTRY, x, top_p=0.75, temperature=0.5)
    judge.check(ENTRY, np.array([1.5, -0.5, 0.3, 2.2, 0.0, -1.2]), top_k=4, top_p=0.85, temperature=0.8)


def test_temperature_only(judge):
    """no filtering (top_k=0, top_p=1.0): the result is exactly logits / temperature"""
    x = gaussian(judge, 2, 3, 7)
    for t in (0.5, 2.0, 1.0):
        judge.check(ENTRY, x, temperature=t)


def test_top_k(judge):
    """top-k on batched logits for k = 1, a middle k, V-1, V and k > V (keep all)"""
    v = 9
    x = gaussian(judge, 3, 2, v)
    for k in (1, 4, v - 1, v, v + 3):
        judge.check(ENTRY, x, top_k=k)


def test_top_k_keeps_ties(judge):
    """entries equal to the k-th largest value are all kept (more than k survive)"""
    x = np.array([[3.0, 1.0, 3.0, 2.0, 2.0, 0.0], [0.0, 5.0, 5.0, 5.0, -1.0, 4.0]])
    judge.check(ENTRY, x, top_k=3)
    judge.check(ENTRY, x, top_k=2)
    judge.check(ENTRY, x, top_k=1)


def test_top_p_keeps_crossing_token(judge):
    """top-p keeps the token whose probability makes the running sum reach p"""
    x = np.array([[3.0, 0.0, 2.0, 1.0, -1.0], [0.5, 1.0, 1.5, 2.0, 2.5]])
    judge.check(ENTRY, x, top_p=0.8)
    for _ in range(3):
        x = gaussian(judge, 2, 8) * 1.5
        judge.check(ENTRY, x, top_p=safe_p(judge, x))


def test_top_p_keeps_ties(judge):
    """tokens exactly as probable as the crossing token are kept too"""
    x = np.array([[1.0, 2.0, 1.0, 0.0, 1.0], [4.0, 0.0, 4.0, 0.0, 3.0]])
    judge.check(ENTRY, x, top_p=0.6)
    judge.check(ENTRY, np.array([0.0, 2.0, 1.0, 1.0, 1.0, -2.0]), top_p=0.7)


def test_top_p_keeps_at_least_one(judge):
    """a tiny p still keeps the most probable token"""
    x = gaussian(judge, 4, 6)
    judge.check(ENTRY, x, top_p=1e-3)
    judge.check(ENTRY, np.array([0.0, 9.0, 1.0]), top_p=0.5)


def test_temperature_before_top_p(judge):
    """temperature is applied before top-p, so it changes which tokens survive"""
    judge.check(ENTRY, np.array([2.0, 1.0, 0.0, -1.0, 1.5]), top_p=0.6, temperature=0.5)
    judge.check(ENTRY, np.array([0.5, 2.0, -1.0, 1.2, 0.0, 1.9]), top_p=0.8, temperature=0.6)
    for t in (0.6, 1.7):
        x = gaussian(judge, 3, 7)
        judge.check(ENTRY, x, top_p=safe_p(judge, x, temperature=t), temperature=t)


def test_top_k_before_top_p(judge):
    """top-p uses the softmax over the tokens top-k kept, not over all tokens"""
    x = np.array([1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3])
    judge.check(ENTRY, x, top_k=3, top_p=0.6)
    x = np.array([2.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.0, 0.0])
    judge.check(ENTRY, x, top_k=2, top_p=0.5)


def test_combined_random(judge):
    """temperature, top-k and top-p together on logits with two batch dims"""
    for _ in range(4):
        v = int(judge.rng.integers(5, 30))
        x = gaussian(judge, 2, 3, v) * 2.0
        k = int(judge.rng.integers(2, v))
        t = float(judge.rng.choice([0.5, 0.8, 1.0, 1.5]))
        judge.check(ENTRY, x, top_k=k, top_p=safe_p(judge, x, top_k=k, temperature=t), temperature=t)


def test_large_logits(judge):
    """logits around 1000 with unit spread: the softmax must subtract the max first"""
    x = 1000.0 + gaussian(judge, 3, 6)
    judge.check(ENTRY, x, top_p=safe_p(judge, x))
    judge.check(ENTRY, -x, top_k=3, top_p=safe_p(judge, -x, top_k=3))


def test_float32_keeps_dtype(judge):
    """float32 in, float32 out"""
    x = gaussian(judge, 4, 10).astype(np.float32)
    p = safe_p(judge, x.astype(np.float64), top_k=6, temperature=0.7, gap=1e-3)
    y = judge.check(ENTRY, x, top_k=6, top_p=p, temperature=0.7, atol=1e-5, rtol=1e-5)
    assert y.dtype == np.float32, judge.tr(
        "float32 logits gave a {dtype} result; keep the input dtype", dtype=y.dtype
    )


def brute(logits, top_k, top_p, temperature):
    """Straight from the definition: the smallest subset of the top-k survivors with probability >= p,
    found by trying every subset; then every token at least as probable as its least probable member."""
    z = [v / temperature for v in logits]
    kept = list(range(len(z)))
    if 0 < top_k < len(z):
        kth = sorted(z, reverse=True)[top_k - 1]
        kept = [i for i in kept if z[i] >= kth]
    if top_p < 1.0:
        m = max(z[i] for i in kept)
        w = {i: math.exp(z[i] - m) for i in kept}
        total = sum(w.values())
        prob = {i: w[i] / total for i in kept}
        for size in range(1, len(kept) + 1):
            masses = [(sum(prob[i] for i in s), s) for s in combinations(kept, size)]
            reaching = [s for mass, s in masses if mass >= top_p]
            if reaching:
                floor = max(min(prob[i] for i in s) for s in reaching)
                kept = [i for i in kept if prob[i] >= floor]
                break
    return np.array([z[i] if i in kept else -np.inf for i in range(len(z))])


def test_matches_brute_force(judge):
    """small vocabularies with many ties, against a brute force over every subset"""
    cases = 0
    while cases < 60:
        logits = judge.rng.integers(-3, 4, size=int(judge.rng.integers(2, 7))) * 0.8  # many ties
        top_k = int(judge.rng.integers(0, 8))
        top_p = float(judge.rng.choice([0.05, 0.3, 0.5, 0.6, 0.75, 0.9, 0.97, 1.0]))
        temperature = float(judge.rng.choice([0.5, 0.7, 1.0, 2.0]))
        if top_p < 1.0 and margin(logits, top_k, top_p, temperature) <= 1e-9:
            continue  # a running sum equals p: rounding would decide the case
        cases += 1
        expected = brute(logits.tolist(), top_k, top_p, temperature)
        got = judge.call(ENTRY, logits, top_k=top_k, top_p=top_p, temperature=temperature)
        judge.expect(
            got,
            expected,
            message=judge.tr(
                "for logits={logits}, top_k={top_k}, top_p={top_p}, temperature={temperature}: got {got!r}, expected {expected}",
                logits=logits.tolist(),
                top_k=top_k,
                top_p=top_p,
                temperature=temperature,
                got=np.asarray(got).tolist() if isinstance(got, np.ndarray) else got,
                expected=expected.tolist(),
            ),
        )
