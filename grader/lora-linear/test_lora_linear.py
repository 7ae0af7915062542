"""Hidden suite: a LoRA linear layer. Random float64 states (B non-zero, so the LoRA path shows), square
layers (where a transposed ΔW or x B A runs without a shape error) and rectangular ones, r ≠ 1 and alpha ∉
{1, r} (so alpha, r / alpha, alpha / √r, 1 and alpha / r all differ); merge / unmerge as sequences of calls
on one instance; the fresh initialisation (counted non-zeros: deterministic) and requires_grad flags; the
dropout only on the LoRA path (train mode, with B = 0); float32."""

import numpy as np

ENTRY = "LoRALinear"
F64 = {"atol": 1e-9, "rtol": 1e-7}
F32 = {"atol": 1e-5, "rtol": 1e-4}


def gaussian(judge, *shape):
    return judge.rng.standard_normal(shape)


def state_for(judge, inp, out, r, alpha, bias=True):
    return judge.random_state(ENTRY, (inp, out, r, alpha), {"bias": bias})


def steps(judge, init, steps_, state, label="calls", init_kwargs=None, **tol):
    return judge.check_module(
        ENTRY, init, (), init_kwargs=init_kwargs, state=state, method=steps_, label=label, **(tol or F64)
    )


def example_state():
    return {
        "base.weight": np.eye(3),
        "base.bias": np.array([0.5, 0.0, -0.5]),
        "lora_A": np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
        "lora_B": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, -1.0]]),
    }


def test_worked_example(judge):
    """the example of the statement: in = out = 3, r = 2, alpha = 4 (scale 2); forward, ΔW, then merge"""
    x = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]])
    init = (3, 3, 2, 4)
    judge.check_module(ENTRY, init, (x,), state=example_state(), **F64)
    steps(
        judge,
        init,
        [("delta_weight",), ("merge",), ("base.weight",), ("merged",), ("forward", (x,))],
        example_state(),
    )


def test_float64_keeps_dtype(judge):
    """a float64 state and input give a float64 output and ΔW (not cast down to float32)"""
    inp, out, r, alpha = 4, 3, 2, 6.0
    x = gaussian(judge, 2, inp)
    got = judge.call_module(
        ENTRY,
        (inp, out, r, alpha),
        state=state_for(judge, inp, out, r, alpha),
        method=[("forward", (x,)), ("delta_weight",)],
    )
    dtypes = [getattr(v, "dtype", type(v).__name__) for v in got]
    assert all(d == np.float64 for d in dtypes), judge.tr(
        "a float64 layer gave {dtypes} (forward, delta_weight); keep the layer's dtype",
        dtypes=", ".join(map(str, dtypes)),
    )


def test_forward_random_layers(judge):
    """(B, T, in) inputs through rectangular layers of random rank, with and without bias"""
    for bias in (True, False):
        inp, out = (int(v) for v in judge.rng.choice(np.arange(3, 12), size=2, replace=False))
        r = int(judge.rng.integers(2, 5))
        alpha = float(judge.rng.choice([8.0, 16.0, 32.0]))
        state = state_for(judge, inp, out, r, alpha, bias)
        x = gaussian(judge, 2, 3, inp)
        judge.check_module(ENTRY, (inp, out, r, alpha), (x,), init_kwargs={"bias": bias}, state=state, **F64)


def test_square_layer(judge):
    """a square layer (in = out): a transposed ΔW or x B A has a valid shape here, only the values differ"""
    d, r, alpha = 6, 3, 12.0
    state = state_for(judge, d, d, r, alpha)
    x = gaussian(judge, 4, d)
    judge.check_module(ENTRY, (d, d, r, alpha), (x,), state=state, **F64)
    steps(
        judge, (d, d, r, alpha), [("delta_weight",), ("merge",), ("base.weight",), ("forward", (x,))], state
    )


def test_delta_weight_layout(judge):
    """ΔW = (alpha / r) · B A has nn.Linear's weight layout (out × in) for a rectangular layer"""
    inp, out, r, alpha = 7, 4, 2, 6.0
    steps(
        judge, (inp, out, r, alpha), [("delta_weight",), ("scaling",)], state_for(judge, inp, out, r, alpha)
    )


def test_merge(judge):
    """merge() folds ΔW into base.weight (bias unchanged), sets merged, and forward then gives the same output"""
    inp, out, r, alpha = 5, 8, 4, 16.0
    state = state_for(judge, inp, out, r, alpha)
    x = gaussian(judge, 3, inp)
    got = steps(
        judge,
        (inp, out, r, alpha),
        [("forward", (x,)), ("merge",), ("base.weight",), ("base.bias",), ("merged",), ("forward", (x,))],
        state,
    )
    assert np.allclose(got[0], got[5], atol=1e-10), (
        "the merged layer must give the output of the unmerged one"
    )


def test_merge_twice_changes_nothing(judge):
    """a second merge() is a no-op: the weight and the output stay those of one merge"""
    d, r, alpha = 5, 3, 8.0
    state = state_for(judge, d, d, r, alpha)
    x = gaussian(judge, 2, d)
    steps(judge, (d, d, r, alpha), [("merge",), ("merge",), ("base.weight",), ("forward", (x,))], state)


def test_unmerge_restores_the_weight(judge):
    """merge() then unmerge() gives back the original weight (to rounding) and the same output"""
    inp, out, r, alpha = 6, 4, 3, 24.0
    state = state_for(judge, inp, out, r, alpha)
    x = gaussian(judge, 3, inp)
    calls = [
        ("merge",),
        ("unmerge",),
        ("base.weight",),
        ("merged",),
        ("forward", (x,)),
        ("merge",),
        ("base.weight",),
    ]
    got = steps(judge, (inp, out, r, alpha), calls, state)
    assert np.allclose(got[2], state["base.weight"], atol=1e-12), "unmerge() must restore the original weight"


def test_unmerge_of_unmerged_layer_changes_nothing(judge):
    """unmerge() before any merge() is a no-op"""
    d, r, alpha = 4, 2, 6.0
    state = state_for(judge, d, d, r, alpha)
    x = gaussian(judge, 2, d)
    steps(judge, (d, d, r, alpha), [("unmerge",), ("base.weight",), ("merged",), ("forward", (x,))], state)


def test_initialisation(judge):
    """a fresh layer: A random (every entry non-zero), B all zeros, so it starts equal to its base layer"""
    inp, out, r, alpha = 9, 5, 4, 8.0
    calls = [
        ("lora_A.count_nonzero",),
        ("lora_B.count_nonzero",),
        ("lora_A.shape",),
        ("lora_B.shape",),
        ("scaling",),
    ]
    steps(judge, (inp, out, r, alpha), calls, None)
    x = gaussian(judge, 3, inp).astype(np.float32)  # a fresh layer is float32
    fresh, base, a = judge.call_module(
        ENTRY, (inp, out, r, alpha), method=[("forward", (x,)), ("base", (x,)), ("lora_A",)]
    )
    assert np.array_equal(fresh, base), "a fresh LoRA layer must give exactly its base layer's output (B = 0)"
    assert np.std(a) > 0, "lora_A must be initialised randomly (not a constant)"


def test_trainable_flags(judge):
    """base.weight and base.bias frozen (requires_grad False), lora_A and lora_B trainable"""
    flags = [
        ("base.weight.requires_grad",),
        ("base.bias.requires_grad",),
        ("lora_A.requires_grad",),
        ("lora_B.requires_grad",),
    ]
    steps(judge, (6, 4, 2, 4.0), flags, None)
    steps(judge, (6, 4, 2, 4.0), flags, state_for(judge, 6, 4, 2, 4.0))


def test_merge_keeps_the_weight_frozen(judge):
    """after merge() and after unmerge(), base.weight is still frozen and the adapters still trainable"""
    inp, out, r, alpha = 5, 3, 2, 6.0
    flags = [("base.weight.requires_grad",), ("lora_A.requires_grad",), ("lora_B.requires_grad",)]
    calls = [*flags, ("merge",), *flags, ("unmerge",), *flags]
    steps(judge, (inp, out, r, alpha), calls, state_for(judge, inp, out, r, alpha))


def test_dropout_only_on_lora_path(judge):
    """dropout = 0.5 acts on the LoRA path only, and only in train mode
    (off in eval mode; with B = 0 the train-mode output is exactly the base layer's; with B ≠ 0 it changes)"""
    inp, out, r, alpha = 8, 6, 4, 8.0
    init, kw = (inp, out, r, alpha), {"dropout": 0.5}
    state = state_for(judge, inp, out, r, alpha)
    x = gaussian(judge, 4, inp)
    judge.check_module(ENTRY, init, (x,), init_kwargs=kw, state=state, **F64)
    zero_b = dict(state, lora_B=np.zeros((out, r)))
    y, base = judge.call_module(
        ENTRY, init, init_kwargs=kw, state=zero_b, method=[("train",), ("forward", (x,)), ("base", (x,))]
    )[1:]
    assert np.allclose(y, base, atol=1e-12), (
        "with B = 0 the train-mode output must be the base layer's: dropout belongs to the LoRA path only"
    )
    y_train, y_eval = judge.call_module(
        ENTRY,
        init,
        init_kwargs=kw,
        state=state,
        method=[("train",), ("forward", (x,)), ("eval",), ("forward", (x,))],
    )[1::2]
    assert not np.allclose(y_train, y_eval), (
        "in train mode with dropout = 0.5 the LoRA path must be dropped out"
    )


def test_float32_keeps_dtype(judge):
    """float32 state and input, float32 output"""
    inp, out, r, alpha = 5, 7, 2, 4.0
    state = {k: v.astype(np.float32) for k, v in state_for(judge, inp, out, r, alpha).items()}
    x = gaussian(judge, 3, inp).astype(np.float32)
    got = judge.check_module(ENTRY, (inp, out, r, alpha), (x,), state=state, **F32)
    assert got.dtype == np.float32, judge.tr(
        "a float32 layer gave {dtype} output; keep float32", dtype=got.dtype
    )
