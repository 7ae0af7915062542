"""Hidden suite: one Transformer encoder layer, post-norm and pre-norm. Every parameter is random, the
LayerNorm weights and biases included (so using one LayerNorm for both sublayers shows), inputs are
Gaussian (unsaturated softmax), and results are compared in float64 with a tight tolerance, both with
the reference and with torch.nn.TransformerEncoderLayer loaded with the same weights."""

import numpy as np
import torch

from tfprep.grading.protocol import Call

ENTRY = "EncoderLayer"
ATOL, RTOL = 1e-8, 1e-7
LN = ("norm1", "norm2")


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def make_state(judge, d_model, num_heads, d_ff):
    """Random float64 parameters; LayerNorm weights around 1 and biases around 0, but never exactly 1 / 0."""
    state = judge.random_state(ENTRY, (d_model, num_heads, d_ff))
    for n in LN:
        state[f"{n}.weight"] = 1.0 + 0.5 * judge.rng.standard_normal(d_model)
        state[f"{n}.bias"] = 0.5 * judge.rng.standard_normal(d_model)
    return state


def random_dims(judge):
    h = int(judge.rng.integers(2, 5))
    d_head = int(judge.rng.integers(2, 9))
    d_ff = int(judge.rng.integers(3, 33))
    b, l = (int(v) for v in judge.rng.integers(2, 6, size=2))
    return b, l, h * d_head, h, d_ff


def check(judge, dims, x, mask=None, norm_first=False, state=None, atol=ATOL, rtol=RTOL):
    _, _, d_model, h, d_ff = dims
    state = make_state(judge, d_model, h, d_ff) if state is None else state
    kwargs = {} if mask is None else {"mask": mask}
    return judge.check_module(
        ENTRY,
        (d_model, h, d_ff),
        (x,),
        kwargs,
        init_kwargs={"norm_first": norm_first},
        state=state,
        atol=atol,
        rtol=rtol,
    )


def padding_mask(judge, b, l):
    """(B, 1, 1, L): True for the real tokens; the first sequence is full, the others have random lengths."""
    lengths = judge.rng.integers(1, l + 1, size=b)
    lengths[0] = l
    return np.arange(l)[None, None, None, :] < lengths[:, None, None, None]


def causal_mask(l):
    return np.tril(np.ones((l, l), dtype=bool))


def worked_example_state(judge):
    """The statement's deterministic parameters: the k-th parameter in sorted-name order is
    0.5·sin(arange(numel) + 7k), reshaped (d_model = 4, num_heads = 2, d_ff = 8)."""
    shapes = {name: tuple(t.shape) for name, t in judge.reference.EncoderLayer(4, 2, 8).state_dict().items()}
    state = {}
    for k, name in enumerate(sorted(shapes)):
        n = int(np.prod(shapes[name]))
        state[name] = 0.5 * np.sin(np.arange(n, dtype=np.float64) + 7 * k).reshape(shapes[name])
    return state


WORKED_X = np.array([[[1.0, 0.0, -1.0, 2.0], [0.5, 1.0, 0.0, -1.0], [2.0, -1.0, 1.0, 0.0]]])


def torch_reference(state, d_model, h, d_ff, x, norm_first, mask=None):
    """torch.nn.TransformerEncoderLayer with the same weights; its boolean masks mean True = NOT allowed."""
    layer = torch.nn.TransformerEncoderLayer(
        d_model,
        h,
        d_ff,
        dropout=0.0,
        activation="relu",
        batch_first=True,
        norm_first=norm_first,
        dtype=torch.float64,
    )
    t = {k: torch.from_numpy(np.asarray(v, dtype=np.float64)) for k, v in state.items()}
    mapped = {
        "self_attn.in_proj_weight": torch.cat([t[f"self_attn.w_{c}.weight"] for c in "qkv"]),
        "self_attn.in_proj_bias": torch.cat([t[f"self_attn.w_{c}.bias"] for c in "qkv"]),
        "self_attn.out_proj.weight": t["self_attn.w_o.weight"],
        "self_attn.out_proj.bias": t["self_attn.w_o.bias"],
    }
    for name in ("linear1", "linear2", "norm1", "norm2"):
        mapped[f"{name}.weight"], mapped[f"{name}.bias"] = t[f"{name}.weight"], t[f"{name}.bias"]
    layer.load_state_dict(mapped, strict=True)
    layer.eval()
    kwargs = {}
    if mask is not None:
        # any mask broadcastable to (B, H, L, L) as torch's per-head (B·H, L, L) attn mask
        b, l = x.shape[:2]
        full = np.broadcast_to(mask, (b, h, l, l)).reshape(b * h, l, l)
        kwargs["src_mask"] = ~torch.from_numpy(np.ascontiguousarray(full))
    with torch.enable_grad():  # the plain path, not the no-grad fast path
        return layer(torch.from_numpy(x), **kwargs).detach().numpy()


def check_against_torch(judge, dims, x, norm_first, mask=None):
    _, _, d_model, h, d_ff = dims
    state = make_state(judge, d_model, h, d_ff)
    kwargs = {} if mask is None else {"mask": mask}
    init_kwargs = {"norm_first": norm_first}
    got = judge.call_module(ENTRY, (d_model, h, d_ff), (x,), kwargs, init_kwargs=init_kwargs, state=state)
    expected = torch_reference(state, d_model, h, d_ff, x, norm_first, mask)
    call = Call(ENTRY, (x,), kwargs, (d_model, h, d_ff), init_kwargs, state, "forward")
    judge.expect(got, expected, call=call, atol=ATOL, rtol=RTOL, label="output")


# ------------------------------------------------------------------ tests


def test_worked_example(judge):
    """the statement's example: post-norm, then with a causal mask, then pre-norm"""
    dims = (1, 3, 4, 2, 8)
    state = worked_example_state(judge)
    check(judge, dims, WORKED_X, state=state)
    check(judge, dims, WORKED_X, causal_mask(3), state=state)
    check(judge, dims, WORKED_X, norm_first=True, state=state)


def test_post_norm_random(judge):
    """post-norm (norm_first=False), random sizes: H from 2 to 4, d_ff ≠ d_model, no mask"""
    for _ in range(2):
        dims = random_dims(judge)
        check(judge, dims, gaussian(judge, *dims[:3]))


def test_pre_norm_random(judge):
    """pre-norm (norm_first=True), random sizes, no mask"""
    for _ in range(2):
        dims = random_dims(judge)
        check(judge, dims, gaussian(judge, *dims[:3]), norm_first=True)


def test_padding_mask(judge):
    """a key-padding mask of shape (B, 1, 1, L), post-norm then pre-norm"""
    dims = (3, 6, 12, 3, 20)
    for norm_first in (False, True):
        check(judge, dims, gaussian(judge, 3, 6, 12), padding_mask(judge, 3, 6), norm_first=norm_first)


def test_causal_mask(judge):
    """a causal (L, L) mask broadcast over batch and heads, post-norm then pre-norm"""
    dims = (2, 7, 8, 2, 16)
    for norm_first in (False, True):
        check(judge, dims, gaussian(judge, 2, 7, 8), causal_mask(7), norm_first=norm_first)


def test_per_head_mask(judge):
    """a full (B, H, L, L) mask, different for every head (every query keeps at least one key)"""
    b, l, h = 2, 5, 2
    dims = (b, l, 8, h, 12)
    for norm_first in (False, True):
        mask = judge.rng.random((b, h, l, l)) < 0.6
        mask[..., np.arange(l), judge.rng.integers(0, l, size=l)] = True
        check(judge, dims, gaussian(judge, b, l, 8), mask, norm_first=norm_first)


def test_matches_torch_post_norm(judge):
    """same as torch.nn.TransformerEncoderLayer(norm_first=False) with the same weights, no mask and causal"""
    dims = (2, 5, 12, 4, 24)
    check_against_torch(judge, dims, gaussian(judge, 2, 5, 12), False)
    check_against_torch(judge, dims, gaussian(judge, 2, 5, 12), False, causal_mask(5))


def test_matches_torch_pre_norm(judge):
    """same as torch.nn.TransformerEncoderLayer(norm_first=True) with the same weights, no mask and padding"""
    dims = (3, 6, 9, 3, 7)
    check_against_torch(judge, dims, gaussian(judge, 3, 6, 9), True)
    check_against_torch(judge, dims, gaussian(judge, 3, 6, 9), True, padding_mask(judge, 3, 6))


def test_small_activations(judge):
    """inputs of size ~0.01: the LayerNorm eps (1e-5) matters"""
    dims = (2, 4, 8, 2, 8)
    for norm_first in (False, True):
        check(judge, dims, 0.01 * gaussian(judge, 2, 4, 8), norm_first=norm_first)


def test_float32_keeps_dtype(judge):
    """float32 weights and input: float32 output"""
    dims = (2, 5, 8, 2, 16)
    state = {k: v.astype(np.float32) for k, v in make_state(judge, 8, 2, 16).items()}
    x = gaussian(judge, 2, 5, 8).astype(np.float32)
    out = check(judge, dims, x, causal_mask(5), state=state, atol=1e-4, rtol=1e-4)
    assert out.dtype == np.float32, judge.tr(
        "float32 input and weights gave a {dtype} output; keep the dtype", dtype=out.dtype
    )


def test_causal_outputs_ignore_the_future(judge):
    """with a causal mask, changing later tokens leaves the outputs at earlier positions unchanged"""
    b, l, d_model, h, d_ff = 2, 6, 8, 2, 12
    for norm_first in (False, True):
        state = make_state(judge, d_model, h, d_ff)
        x = gaussian(judge, b, l, d_model)
        y = x.copy()
        y[:, 3:] = gaussian(judge, b, l - 3, d_model)
        args = dict(init_kwargs={"norm_first": norm_first}, state=state)
        out_x = judge.call_module(ENTRY, (d_model, h, d_ff), (x,), {"mask": causal_mask(l)}, **args)
        out_y = judge.call_module(ENTRY, (d_model, h, d_ff), (y,), {"mask": causal_mask(l)}, **args)
        assert isinstance(out_x, np.ndarray) and out_x.shape == x.shape, judge.tr(
            "expected an output of shape {shape}", shape=x.shape
        )
        assert np.allclose(out_x[:, :3], out_y[:, :3], rtol=1e-10, atol=1e-10), (
            "with a causal mask, the outputs at positions 0..2 changed when only tokens 3.. changed"
        )


def test_padded_tokens_are_ignored(judge):
    """with a padding mask, the content of padded tokens does not change the real tokens' outputs"""
    b, l, d_model, h, d_ff = 2, 5, 8, 2, 12
    state = make_state(judge, d_model, h, d_ff)
    mask = np.ones((b, 1, 1, l), dtype=bool)
    mask[:, ..., 3:] = False
    x = gaussian(judge, b, l, d_model)
    y = x.copy()
    y[:, 3:] = 10 * gaussian(judge, b, l - 3, d_model)
    out_x = judge.call_module(ENTRY, (d_model, h, d_ff), (x,), {"mask": mask}, state=state)
    out_y = judge.call_module(ENTRY, (d_model, h, d_ff), (y,), {"mask": mask}, state=state)
    assert isinstance(out_x, np.ndarray) and out_x.shape == x.shape, judge.tr(
        "expected an output of shape {shape}", shape=x.shape
    )
    assert np.allclose(out_x[:, :3], out_y[:, :3], rtol=1e-10, atol=1e-10), (
        "the outputs of real tokens changed when only padded tokens changed: masked keys must get zero attention"
    )
