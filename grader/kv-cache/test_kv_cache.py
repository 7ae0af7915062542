"""Hidden suite: one decoding step with a KV cache. Sequences decoded token by token (the caches the
submission returns are fed back) must equal full causal multi-head attention over the whole sequence,
computed here independently; single steps from random caches are compared with the reference. Weights are
Gaussian scaled 1/√D and inputs Gaussian, so no softmax saturates and a wrong scale or a wrong set of
visible keys moves the output well beyond the tolerance."""

import math

import numpy as np

from tfprep.grading.protocol import Call

ENTRY = "decode_step"
LABEL = "y_t|cache_k|cache_v"


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def weights(judge, d):
    return [gaussian(judge, d, d) / math.sqrt(d) for _ in range(4)]


def full_causal_attention(x, w_q, w_k, w_v, w_o, heads):
    """The whole sequence at once: y (B, L, D) and the split keys/values (B, H, L, D/H)."""
    b, length, d = x.shape
    dh = d // heads

    def split(t):
        return t.reshape(b, length, heads, dh).transpose(0, 2, 1, 3)

    q, k, v = split(x @ w_q.T), split(x @ w_k.T), split(x @ w_v.T)
    s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dh)
    s = np.where(np.tril(np.ones((length, length), dtype=bool)), s, -np.inf)
    w = np.exp(s - s.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    y = (w @ v).transpose(0, 2, 1, 3).reshape(b, length, d) @ w_o.T
    return y, k, v


def decode_sequence(judge, x, ws, heads, atol=1e-6, rtol=1e-5):
    """Feed x one token at a time from an empty cache; every step must match the full computation."""
    b, length, d = x.shape
    y_full, k_full, v_full = full_causal_attention(
        x.astype(np.float64), *(w.astype(np.float64) for w in ws), heads
    )
    cache_k = np.zeros((b, heads, 0, d // heads), dtype=x.dtype)
    cache_v = np.zeros((b, heads, 0, d // heads), dtype=x.dtype)
    for t in range(length):
        args = (x[:, t : t + 1], cache_k, cache_v, *ws, heads)
        got = judge.call(ENTRY, *args)
        expected = (y_full[:, t : t + 1], k_full[:, :, : t + 1], v_full[:, :, : t + 1])
        judge.expect(
            got,
            expected,
            call=Call(ENTRY, args),
            atol=atol,
            rtol=rtol,
            label=LABEL,
            message=judge.tr(
                "decoding step {t} (cache of length {t}): {problem}",
                t=t,
                problem=_problem(got, expected, atol, rtol) or "",
            ),
        )
        _, cache_k, cache_v = got
    return got


def _problem(got, expected, atol, rtol):
    from tfprep.grading import compare

    d = compare.difference(got, expected, atol, rtol, LABEL)
    return d and f"{d['label']}: {d['problem']}"


def test_worked_example(judge):
    """the example of the statement: two steps from an empty cache, D = 6, 3 heads"""
    eye = np.eye(6)
    w_v = np.eye(6)[::-1].copy()
    empty = np.zeros((1, 3, 0, 2))
    x1 = np.array([[[1.0, 0.0, 0.0, 1.0, 2.0, 0.0]]])
    x2 = np.array([[[0.0, 2.0, 1.0, 0.0, 1.0, 1.0]]])
    _, cache_k, cache_v = judge.check(ENTRY, x1, empty, empty, eye, eye, w_v, eye, 3, label=LABEL)
    judge.check(ENTRY, x2, cache_k, cache_v, eye, eye, w_v, eye, 3, label=LABEL)


def test_first_token_empty_cache(judge):
    """the first token (T = 0: caches of shape (B, H, 0, D/H)) attends only to itself"""
    b, d, h = 3, 20, 4
    empty = np.zeros((b, h, 0, d // h))
    judge.check(ENTRY, gaussian(judge, b, 1, d), empty, empty, *weights(judge, d), h, label=LABEL)


def test_decode_matches_full_attention(judge):
    """decoding 8 tokens one by one equals causal multi-head attention over the whole sequence"""
    b, length, d, h = 2, 8, 20, 4
    decode_sequence(judge, gaussian(judge, b, length, d), weights(judge, d), h)


def test_decode_random_shapes(judge):
    """token-by-token decoding with random batch, length, width and head count"""
    for _ in range(2):
        h = int(judge.rng.integers(2, 5))
        d = h * int(
            judge.rng.choice([n for n in range(2, 7) if n != h])
        )  # d_head = H would make d_head equal √D
        b, length = int(judge.rng.integers(1, 4)), int(judge.rng.integers(3, 9))
        decode_sequence(judge, gaussian(judge, b, length, d), weights(judge, d), h)


def test_single_step_random_cache(judge):
    """one step from a random cache of T tokens: y_t, and the caches grown to T + 1"""
    b, t, d, h = 2, 6, 20, 4
    judge.check(
        ENTRY,
        gaussian(judge, b, 1, d),
        gaussian(judge, b, h, t, d // h),
        gaussian(judge, b, h, t, d // h),
        *weights(judge, d),
        h,
        label=LABEL,
    )


def test_single_step_long_cache(judge):
    """one step against a cache of 64 tokens: the new token sees all of them"""
    b, t, d, h = 1, 64, 12, 3
    judge.check(
        ENTRY,
        gaussian(judge, b, 1, d),
        gaussian(judge, b, h, t, d // h),
        gaussian(judge, b, h, t, d // h),
        *weights(judge, d),
        h,
        label=LABEL,
    )


def test_float32_keeps_dtype(judge):
    """float32 decoding stays float32 (y_t and both caches) and matches the float64 full attention"""
    b, length, d, h = 2, 4, 8, 2
    x = gaussian(judge, b, length, d).astype(np.float32)
    ws = [w.astype(np.float32) for w in weights(judge, d)]
    got = decode_sequence(judge, x, ws, h, atol=1e-5, rtol=1e-4)
    dtypes = [str(getattr(g, "dtype", None)) for g in got]
    assert all(dt == "float32" for dt in dtypes), judge.tr(
        "float32 inputs gave {dtypes}; keep the input dtype", dtypes=dtypes
    )
