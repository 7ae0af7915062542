"""Hidden suite: the SwiGLU FFN as an nn.Module. Random float64 weights (scaled 1/√fan_in) and Gaussian
inputs keep the gate's pre-activations around ±1–3, where SiLU, GELU, ReLU and σ all differ; d_ff ≠ d_model,
zero to two leading dims, with and without biases, the parameter names and shapes of the state dict, a
float32 case, and a loop against a NumPy computation."""

import math

import numpy as np

from tfprep.grading.protocol import Call

ENTRY = "SwiGLUFFN"
TOL = {"atol": 1e-10, "rtol": 1e-8}


def check(judge, d_model, d_ff, x, bias=False, state=None, **tol):
    state = state if state is not None else judge.random_state(ENTRY, (d_model, d_ff), {"bias": bias})
    return judge.check_module(
        ENTRY, (d_model, d_ff), (x,), init_kwargs={"bias": bias}, state=state, **(tol or TOL)
    )


def dims(judge):
    d_model = int(judge.rng.integers(2, 17))
    d_ff = int(judge.rng.choice([v for v in range(2, 41) if v != d_model]))
    return d_model, d_ff


def test_worked_example(judge):
    """the example of the statement: d_model = 2, d_ff = 3, no bias, two inputs"""
    state = {
        "w1.weight": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
        "w3.weight": np.array([[1.0, 1.0], [0.0, 2.0], [-1.0, 0.0]]),
        "w2.weight": np.array([[1.0, 0.0, 1.0], [0.0, 1.0, -1.0]]),
    }
    check(judge, 2, 3, np.array([[1.0, 2.0], [0.5, -1.0]]), state=state)


def test_state_dict_names_and_shapes(judge):
    """the parameters are w1 (gate), w3 (up): (d_ff, d_model); w2 (down): (d_model, d_ff); biases only if bias=True"""
    d_model, d_ff = dims(judge)
    for bias in (False, True):
        got = judge.call_module(ENTRY, (d_model, d_ff), init_kwargs={"bias": bias}, method="state_dict")
        want = {"w1.weight": (d_ff, d_model), "w3.weight": (d_ff, d_model), "w2.weight": (d_model, d_ff)}
        if bias:
            want |= {"w1.bias": (d_ff,), "w3.bias": (d_ff,), "w2.bias": (d_model,)}
        shapes = {k: tuple(np.shape(v)) for k, v in dict(got).items()}
        assert shapes == want, judge.tr(
            "with d_model={d_model}, d_ff={d_ff}, bias={bias} the state dict should be {want}, got {shapes}",
            d_model=d_model,
            d_ff=d_ff,
            bias=bias,
            want=want,
            shapes=shapes,
        )


def test_random_shapes(judge):
    """random d_model ≠ d_ff and zero to two leading dims, no bias"""
    for lead in ((), (5,), (2, 3)):
        d_model, d_ff = dims(judge)
        check(judge, d_model, d_ff, judge.rng.standard_normal((*lead, d_model)))


def test_with_bias(judge):
    """bias=True: every projection has a bias"""
    d_model, d_ff = dims(judge)
    check(judge, d_model, d_ff, judge.rng.standard_normal((2, 4, d_model)), bias=True)


def test_llama_sized_hidden_layer(judge):
    """d_model = 48 with LLaMA's hidden size rule: 2/3 · 4 · 48 = 128, already a multiple of 32"""
    check(judge, 48, 128, judge.rng.standard_normal((2, 3, 48)))


def test_large_inputs(judge):
    """inputs of size ~30: SiLU is ≈ ReLU on the large pre-activations and ≈ 0 on the very negative ones"""
    d_model, d_ff = dims(judge)
    check(judge, d_model, d_ff, 30.0 * judge.rng.standard_normal((3, d_model)))


def test_float32_keeps_dtype(judge):
    """float32 weights and input: a float32 output"""
    d_model, d_ff = dims(judge)
    state = {k: v.astype(np.float32) for k, v in judge.random_state(ENTRY, (d_model, d_ff)).items()}
    x = judge.rng.standard_normal((2, 3, d_model)).astype(np.float32)
    out = check(judge, d_model, d_ff, x, state=state, atol=1e-5, rtol=1e-4)
    assert out.dtype == np.float32, judge.tr(
        "float32 weights and input gave a {dtype} output", dtype=out.dtype
    )


def test_zero_up_projection_gives_zero(judge):
    """with w3 = 0 (and no bias) the output is exactly 0, whatever the gate says"""
    d_model, d_ff = dims(judge)
    state = judge.random_state(ENTRY, (d_model, d_ff))
    state["w3.weight"] = np.zeros_like(state["w3.weight"])
    x = judge.rng.standard_normal((4, d_model))
    out = judge.call_module(ENTRY, (d_model, d_ff), (x,), state=state)
    assert isinstance(out, np.ndarray) and out.shape == (4, d_model), judge.tr(
        "expected an output of shape (4, {d_model})", d_model=d_model
    )
    assert np.all(out == 0), (
        "with w3 = 0 the gated product, and so the output, must be 0: the gate multiplies w3 x"
    )


def _silu(v):
    return v / (1.0 + math.exp(-v)) if v > -700 else 0.0


def test_matches_brute_force(judge):
    """small shapes against a loop over Python floats: w2 · (silu(w1 x) ⊙ w3 x) + biases"""
    for _ in range(8):
        d_model, d_ff = (int(v) for v in judge.rng.integers(1, 5, size=2))
        state = judge.random_state(ENTRY, (d_model, d_ff), {"bias": True})
        x = judge.rng.standard_normal(d_model)
        w1, w3, w2 = (state[f"w{i}.weight"] for i in (1, 3, 2))
        b1, b3, b2 = (state[f"w{i}.bias"] for i in (1, 3, 2))
        h = [
            _silu(float(w1[j] @ x + b1[j])) * float(w3[j] @ x + b3[j])  # hidden unit j
            for j in range(d_ff)
        ]
        want = np.array([sum(w2[o, j] * h[j] for j in range(d_ff)) + b2[o] for o in range(d_model)])
        call = Call(ENTRY, (x,), {}, (d_model, d_ff), {"bias": True}, state, "forward")
        judge.expect(
            judge.call_module(ENTRY, (d_model, d_ff), (x,), init_kwargs={"bias": True}, state=state),
            want,
            call=call,
            label="output",
            **TOL,
        )
