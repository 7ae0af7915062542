"""Hidden suite: multi-head attention as an nn.Module. Random float64 weights (scaled 1/√fan_in) and Gaussian
inputs keep every head's softmax unsaturated; self- and cross-attention (Lq ≠ Lk, key ≠ value), masks of
several broadcast shapes, with and without biases, and one comparison with torch.nn.MultiheadAttention
loaded with the same weights."""

import numpy as np
import torch

from tfprep.grading.protocol import Call

ENTRY = "MultiHeadAttention"


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def state_for(judge, d_model, heads, bias=True):
    return judge.random_state(ENTRY, (d_model, heads), {"bias": bias})


def check(judge, d_model, heads, query, key, value, mask=None, bias=True, state=None, **tol):
    state = state if state is not None else state_for(judge, d_model, heads, bias)
    kwargs = {} if mask is None else {"mask": mask}
    return judge.check_module(
        ENTRY, (d_model, heads), (query, key, value), kwargs, init_kwargs={"bias": bias}, state=state, **tol
    )


def test_worked_example(judge):
    """the example of the statement: identity projections, 3 heads, 2 queries, 3 keys, with and without a key mask"""
    eye = np.eye(6)
    state = {f"{name}.weight": eye for name in ("w_q", "w_k", "w_v", "w_o")}
    query = np.array([[[1.0, 0.0, 0.0, 1.0, 1.0, 1.0], [0.0, 2.0, 1.0, 0.0, 0.0, -1.0]]])
    kv = np.array(
        [[[1.0, 0.0, 0.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 2.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0, -1.0, 2.0]]]
    )
    check(judge, 6, 3, query, kv, kv, bias=False, state=state)
    check(judge, 6, 3, query, kv, kv, mask=np.array([True, True, False]), bias=False, state=state)


def test_self_attention(judge):
    """self-attention: query = key = value, (B, L, d_model) with 3 heads"""
    x = gaussian(judge, 2, 5, 12)
    check(judge, 12, 3, x, x, x)


def test_cross_attention(judge):
    """cross-attention: Lq ≠ Lk and key ≠ value"""
    b, lq, lk, d, h = 2, 3, 7, 12, 4
    check(judge, d, h, gaussian(judge, b, lq, d), gaussian(judge, b, lk, d), gaussian(judge, b, lk, d))


def test_without_bias(judge):
    """bias=False: the four projections have no bias (the state dict has only the weights)"""
    b, lq, lk, d, h = 2, 4, 6, 8, 2
    check(
        judge,
        d,
        h,
        gaussian(judge, b, lq, d),
        gaussian(judge, b, lk, d),
        gaussian(judge, b, lk, d),
        bias=False,
    )


def test_causal_mask(judge):
    """self-attention with an (L, L) causal mask broadcast over batch and heads; True = may attend"""
    b, length, d, h = 3, 6, 12, 4
    x = gaussian(judge, b, length, d)
    check(judge, d, h, x, x, x, mask=np.tril(np.ones((length, length), dtype=bool)))


def test_padding_mask_cross(judge):
    """cross-attention with a key-padding mask of shape (B, 1, 1, Lk)"""
    b, lq, lk, d, h = 2, 3, 6, 8, 2
    mask = np.zeros((b, 1, 1, lk), dtype=bool)
    for i, n in enumerate((4, 6)):
        mask[i, ..., :n] = True
    check(
        judge,
        d,
        h,
        gaussian(judge, b, lq, d),
        gaussian(judge, b, lk, d),
        gaussian(judge, b, lk, d),
        mask=mask,
    )


def test_per_head_mask(judge):
    """a full (B, H, Lq, Lk) mask: head h of the mask applies to head h of the scores"""
    b, lq, lk, d, h = 2, 4, 5, 12, 3
    mask = judge.rng.random((b, h, lq, lk)) < 0.5
    mask[..., 0] = True  # every row keeps a key
    check(
        judge,
        d,
        h,
        gaussian(judge, b, lq, d),
        gaussian(judge, b, lk, d),
        gaussian(judge, b, lk, d),
        mask=mask,
    )


def _torch_mha(state, d_model, heads, bias, query, key, value, mask):
    mha = torch.nn.MultiheadAttention(d_model, heads, bias=bias, batch_first=True, dtype=torch.float64)
    t = {name: torch.from_numpy(a) for name, a in state.items()}
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([t["w_q.weight"], t["w_k.weight"], t["w_v.weight"]]))
        mha.out_proj.weight.copy_(t["w_o.weight"])
        if bias:
            mha.in_proj_bias.copy_(torch.cat([t["w_q.bias"], t["w_k.bias"], t["w_v.bias"]]))
            mha.out_proj.bias.copy_(t["w_o.bias"])
    mha.eval()
    b, lq, lk = query.shape[0], query.shape[1], key.shape[1]
    # nn.MultiheadAttention's bool mask means the opposite (True = NOT allowed), one (Lq, Lk) slice per (batch, head)
    blocked = ~torch.from_numpy(np.broadcast_to(mask, (b, heads, lq, lk)).reshape(b * heads, lq, lk).copy())
    with torch.no_grad():
        out, _ = mha(
            torch.from_numpy(query),
            torch.from_numpy(key),
            torch.from_numpy(value),
            attn_mask=blocked,
            need_weights=False,
        )
    return out.numpy()


def test_matches_torch_multihead_attention(judge):
    """same result as torch.nn.MultiheadAttention loaded with the same weights (with and without bias)"""
    for bias in (True, False):
        b, lq, lk, d, h = 2, 5, 7, 20, 4
        state = state_for(judge, d, h, bias)
        query, key, value = gaussian(judge, b, lq, d), gaussian(judge, b, lk, d), gaussian(judge, b, lk, d)
        mask = judge.rng.random((b, 1, lq, lk)) < 0.7
        mask[..., -1] = True
        expected = _torch_mha(state, d, h, bias, query, key, value, mask)
        call = Call(ENTRY, (query, key, value), {"mask": mask}, (d, h), {"bias": bias}, state, "forward")
        got = judge.call_module(
            ENTRY, (d, h), (query, key, value), {"mask": mask}, init_kwargs={"bias": bias}, state=state
        )
        judge.expect(got, expected, call=call, label="output")


def test_random_shapes(judge):
    """random shapes from the run's seed: batch, lengths, heads and head width"""
    for _ in range(3):
        b = int(judge.rng.integers(1, 4))
        lq, lk = (int(x) for x in judge.rng.integers(2, 9, size=2))
        h = int(judge.rng.integers(2, 5))
        d_head = int(
            judge.rng.choice([n for n in range(2, 9) if n != h])
        )  # d_head = H would make d_head equal √d_model
        d = h * d_head
        check(judge, d, h, gaussian(judge, b, lq, d), gaussian(judge, b, lk, d), gaussian(judge, b, lk, d))


def test_float32_keeps_dtype(judge):
    """float32 weights and inputs give a float32 output"""
    b, lq, lk, d, h = 2, 3, 5, 8, 2
    state = {k: v.astype(np.float32) for k, v in state_for(judge, d, h).items()}
    query, key, value = (gaussian(judge, b, n, d).astype(np.float32) for n in (lq, lk, lk))
    out = check(judge, d, h, query, key, value, state=state, atol=1e-5, rtol=1e-4)
    assert out.dtype == np.float32, judge.tr(
        "float32 inputs gave a {dtype} output; keep the input dtype", dtype=out.dtype
    )


def test_indivisible_heads_raise(judge):
    """d_model not divisible by num_heads raises ValueError in __init__"""
    judge.raises("ValueError", ENTRY, init=(10, 3))
    judge.raises("ValueError", ENTRY, init=(6, 4))
