"""The references of the hand-written drills agree with PyTorch: autograd for the backward passes, SDPA and
logsumexp for the forward ones, and a real training step for LoRA. (The hidden suites of the NumPy drills
check against finite differences and brute force instead: importing torch in their judge would cost
seconds per grading.)"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


def reference(slug: str):
    spec = importlib.util.spec_from_file_location(f"ref_{slug.replace('-', '_')}", SOLUTIONS / f"{slug}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("shape", [(7,), (3, 5), (2, 3, 4)])
def test_softmax_backward_matches_autograd(shape):
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal(shape) * 3.0, rng.standard_normal(shape)
    xt = torch.tensor(x, requires_grad=True)
    torch.softmax(xt, dim=-1).backward(torch.tensor(g))
    y = torch.softmax(torch.tensor(x), dim=-1).numpy()
    np.testing.assert_allclose(
        reference("softmax-backward").softmax_backward(y, g), xt.grad.numpy(), atol=1e-12
    )


@pytest.mark.parametrize(("shape", "eps"), [((7,), 1e-5), ((3, 5), 1e-5), ((2, 3, 4), 0.1)])
def test_layernorm_backward_matches_autograd(shape, eps):
    rng = np.random.default_rng(1)
    x, gy = rng.standard_normal(shape), rng.standard_normal(shape)
    gamma, beta = rng.standard_normal(shape[-1]), rng.standard_normal(shape[-1])
    leaves = [torch.tensor(a, requires_grad=True) for a in (x, gamma, beta)]
    torch.nn.functional.layer_norm(leaves[0], shape[-1:], leaves[1], leaves[2], eps).backward(
        torch.tensor(gy)
    )
    got = reference("layernorm-backward").layer_norm_backward(x, gamma, beta, gy, eps=eps)
    for mine, leaf in zip(got, leaves, strict=True):
        np.testing.assert_allclose(mine, leaf.grad.numpy(), atol=1e-10)


def test_online_softmax_matches_torch():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 11)) * 5.0
    x[0, :5] = -np.inf
    x[1] += 1e4
    x[3] = -np.inf  # all -inf: logsumexp -inf, softmax NaN (as the statement says torch gives)
    ref = reference("online-softmax")
    np.testing.assert_allclose(ref.online_logsumexp(x, block=3), torch.logsumexp(torch.tensor(x), -1).numpy())
    np.testing.assert_allclose(ref.online_softmax(x, block=3), torch.softmax(torch.tensor(x), -1).numpy())


@pytest.mark.parametrize(("lq", "lk", "causal"), [(9, 9, False), (9, 9, True), (5, 12, True), (12, 5, False)])
def test_flash_attention_matches_sdpa(lq, lk, causal):
    rng = np.random.default_rng(3)
    q, k, v = (
        rng.standard_normal((2, lq, 4)),
        rng.standard_normal((2, lk, 4)),
        rng.standard_normal((2, lk, 3)),
    )
    out, lse = reference("flash-attention").flash_attention(q, k, v, causal=causal, block_q=4, block_k=3)
    allowed = torch.ones(lq, lk, dtype=torch.bool)
    if causal:  # bottom-right: query i sees keys j <= i + lk - lq
        allowed = torch.arange(lk)[None, :] <= torch.arange(lq)[:, None] + (lk - lq)
    qt, kt, vt = (torch.tensor(a) for a in (q, k, v))
    want = torch.nn.functional.scaled_dot_product_attention(qt, kt, vt, attn_mask=allowed)
    scores = (qt @ kt.transpose(-1, -2) / 2.0).masked_fill(~allowed, float("-inf"))
    np.testing.assert_allclose(out, want.numpy(), atol=1e-12)
    np.testing.assert_allclose(lse, torch.logsumexp(scores, -1).numpy(), atol=1e-12)


def test_lora_fresh_layer_trains_only_the_adapter():
    """B = 0 at init: the output is the base layer's, B gets a gradient (A does not yet), W none at all."""
    layer = reference("lora-linear").LoRALinear(6, 4, r=2, alpha=8)
    x = torch.randn(3, 6)
    out = layer(x)
    assert torch.equal(out, layer.base(x))
    out.square().sum().backward()
    assert layer.base.weight.grad is None and layer.base.bias.grad is None
    assert layer.lora_B.grad.abs().sum() > 0
    assert torch.count_nonzero(layer.lora_A.grad) == 0  # dL/dA = scale · Bᵀ (…) = 0 while B = 0
    torch.optim.SGD([layer.lora_A, layer.lora_B], lr=0.1).step()
    assert not torch.equal(layer(x), layer.base(x))  # one step later the adapter changes the output
