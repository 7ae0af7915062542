"""The references of the adamw-step, info-nce, sliding-window-attention and int8-quantize drills agree with
what PyTorch itself computes (torch.optim.AdamW, F.cross_entropy, scaled_dot_product_attention with an
explicit mask, torch.round), so the conventions their statements pin are the library's."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

SOLUTIONS = Path(__file__).resolve().parents[1] / "solutions"


def reference(slug: str):
    spec = importlib.util.spec_from_file_location(f"ref_{slug.replace('-', '_')}", SOLUTIONS / f"{slug}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "hyper",
    [
        {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2},
        {"lr": 0.1, "betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": 0.3},
        {"lr": 0.05, "betas": (0.5, 0.9), "eps": 1e-3, "weight_decay": 0.0},
    ],
)
def test_adamw_reference_matches_torch_optim_adamw(hyper):
    step = reference("adamw-step").adamw_step
    rng = np.random.default_rng(0)
    shapes = {"w": (3, 4), "b": (4,), "g": ()}
    params = {k: np.asarray(rng.standard_normal(s)) for k, s in shapes.items()}
    tensors = {k: torch.nn.Parameter(torch.tensor(v)) for k, v in params.items()}
    opt = torch.optim.AdamW(list(tensors.values()), foreach=False, **hyper)
    m = {k: np.zeros(s) for k, s in shapes.items()}
    v = {k: np.zeros(s) for k, s in shapes.items()}
    for t in range(1, 9):
        grads = {
            k: np.asarray(rng.standard_normal(s) * 10.0 ** rng.uniform(-4, 2)) for k, s in shapes.items()
        }
        for k, p in tensors.items():
            p.grad = torch.tensor(grads[k])
        opt.step()
        params, m, v = step(params, grads, m, v, t, **hyper)
        for k, p in tensors.items():
            np.testing.assert_allclose(params[k], p.detach().numpy(), rtol=0, atol=1e-12)
            state = opt.state[p]
            np.testing.assert_allclose(m[k], state["exp_avg"].numpy(), rtol=1e-14, atol=1e-15)
            np.testing.assert_allclose(v[k], state["exp_avg_sq"].numpy(), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("symmetric", [False, True])
@pytest.mark.parametrize("tau", [0.07, 1e-3])
def test_info_nce_reference_matches_cross_entropy(symmetric, tau):
    info_nce = reference("info-nce").info_nce
    gen = torch.Generator().manual_seed(1)
    a = torch.randn(7, 5, generator=gen, dtype=torch.float64) * 3
    b = torch.randn(7, 5, generator=gen, dtype=torch.float64) * 0.2
    logits = F.normalize(a, dim=-1) @ F.normalize(b, dim=-1).T / tau
    labels = torch.arange(7)
    want = F.cross_entropy(logits, labels)
    if symmetric:
        want = (want + F.cross_entropy(logits.T, labels)) / 2
    got = info_nce(a, b, temperature=tau, symmetric=symmetric)
    assert got.shape == () and torch.isfinite(got)
    torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("lq", "lk", "window"), [(6, 6, 1), (6, 6, 3), (3, 9, 4), (1, 12, 5), (4, 7, 20)])
def test_sliding_window_reference_matches_sdpa_with_a_band_mask(lq, lk, window):
    swa = reference("sliding-window-attention").sliding_window_attention
    gen = torch.Generator().manual_seed(2)
    q, k, v = (torch.randn(2, 3, n, 8, generator=gen, dtype=torch.float64) for n in (lq, lk, lk))
    pos = torch.arange(lq)[:, None] + lk - lq
    key = torch.arange(lk)[None, :]
    band = (key <= pos) & (key > pos - window)  # Hugging Face's convention: W keys, the token itself included
    out, weights = swa(q, k, v, window)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v, attn_mask=band))
    assert torch.equal(weights > 0, band.expand_as(weights))


def test_int8_reference_rounds_halves_to_even_like_torch_round():
    quant = reference("int8-quantize")
    w = np.array([[127.0, -63.5, 2.5, 3.5, -0.5, 126.5]])  # max|w| = 127: the scale is exactly 1
    q, scale = quant.quantize_int8(w)
    assert scale.tolist() == [1.0] and q.dtype == np.int8
    np.testing.assert_array_equal(q, torch.round(torch.tensor(w)).numpy())
    assert q.tolist() == [[127, -64, 2, 4, 0, 126]]
