"""The references of the grpo-advantage, moe-router, dpo-loss, ppo-clip-loss and speculative-accept drills agree
with the library computations and the facts their statements state: torch.std's default (unbiased) as in
TRL's GRPOTrainer, Mixtral-style routing in torch and the top-k→softmax equivalence, HF's load-balancing loss
being top_k times the drill's, DPO as binary cross-entropy on the margin, k3 being unbiased for
KL(π_old ‖ π), and speculative sampling reproducing the target distribution exactly."""

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


def test_grpo_matches_torch_std_as_in_trl():
    grpo = reference("grpo-advantage").grpo_advantages
    rng = np.random.default_rng(0)
    g = 6
    rewards = rng.standard_normal(4 * g)
    mask = np.ones((4 * g, 3), dtype=bool)
    r = torch.from_numpy(rewards)
    mean = r.view(-1, g).mean(dim=1).repeat_interleave(g)
    std = r.view(-1, g).std(dim=1).repeat_interleave(g)  # torch.std: unbiased by default
    expected = ((r - mean) / (std + 1e-4)).numpy()
    np.testing.assert_allclose(grpo(rewards, mask, g)[:, 0], expected, rtol=1e-12, atol=1e-12)


def _moe_inputs(seed=1, n=50, d=8, e=6):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal((d, e))


@pytest.mark.parametrize("k", [1, 2, 3])
def test_moe_routing_matches_mixtral_style_torch(k):
    route = reference("moe-router").moe_router
    x, w = _moe_inputs()
    indices, weights, _ = route(x, w, k)
    logits = torch.from_numpy(x @ w)
    top_p, top_i = torch.topk(F.softmax(logits, dim=-1), k, dim=-1)  # Gaussian logits: no ties
    np.testing.assert_array_equal(indices, top_i.numpy())
    np.testing.assert_allclose(weights, (top_p / top_p.sum(-1, keepdim=True)).numpy(), rtol=1e-12)
    # top-k on the logits, then a softmax over the k chosen: the same weights (the statement's claim)
    top_logits, _ = torch.topk(logits, k, dim=-1)
    np.testing.assert_allclose(weights, F.softmax(top_logits, dim=-1).numpy(), rtol=1e-12)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_moe_aux_loss_is_hf_loss_over_top_k(k):
    route = reference("moe-router").moe_router
    x, w = _moe_inputs(seed=2)
    indices, _, aux = route(x, w, k, alpha=1.0)
    e = w.shape[1]
    probs = F.softmax(torch.from_numpy(x @ w), dim=-1)
    expert_mask = F.one_hot(
        torch.from_numpy(indices), e
    ).double()  # (N, k, E), as HF's load_balancing_loss_func
    tokens_per_expert = expert_mask.mean(dim=0)  # (k, E)
    hf = float((tokens_per_expert * probs.mean(dim=0).unsqueeze(0)).sum() * e)
    assert hf == pytest.approx(k * aux, rel=1e-12)


def test_dpo_loss_is_bce_with_logits_on_the_margin():
    dpo = reference("dpo-loss").dpo_loss
    g = torch.Generator().manual_seed(3)
    b, t = 5, 7
    pc, pr, rc, rr = (-torch.rand(b, t, generator=g, dtype=torch.float64) * 3 for _ in range(4))
    mask = torch.rand(b, t, generator=g) < 0.7
    mask[:, 0] = True
    loss, chosen, rejected = dpo(pc, pr, rc, rr, mask, mask, beta=0.3)
    margin = chosen - rejected
    bce = F.binary_cross_entropy_with_logits(margin, torch.ones_like(margin))
    assert float(loss) == pytest.approx(float(bce), rel=1e-12)


def test_ppo_k3_estimates_kl_old_new_and_unclipped_limit():
    ppo = reference("ppo-clip-loss").ppo_clip_loss
    g = torch.Generator().manual_seed(4)
    old = F.softmax(torch.randn(6, generator=g, dtype=torch.float64), dim=0)
    new = F.softmax(torch.log(old) + 0.3 * torch.randn(6, generator=g, dtype=torch.float64), dim=0)
    tokens = torch.multinomial(old, 200_000, replacement=True, generator=g).view(1, -1)
    logp, logp_old = torch.log(new)[tokens], torch.log(old)[tokens]
    adv = torch.randn(tokens.shape, generator=g, dtype=torch.float64)
    mask = torch.ones_like(tokens, dtype=torch.bool)
    _, _, approx_kl = ppo(logp, logp_old, adv, mask)
    exact_kl = float((old * (torch.log(old) - torch.log(new))).sum())
    assert float(approx_kl) == pytest.approx(exact_kl, rel=0.05)
    loss, clip_frac, _ = ppo(logp, logp_old, adv, mask, clip_eps=1e9)  # no clipping: −mean(ratio·A)
    assert float(clip_frac) == 0.0
    assert float(loss) == pytest.approx(float(-(torch.exp(logp - logp_old) * adv).mean()), rel=1e-12)


def test_speculative_sampling_reproduces_the_target_exactly():
    """No sampling noise: for each draft token x, the accepted branch (u = 0) has weight min(1, p(x)/q(x)), and
    the rejected branch (u just below 1) is integrated over v on a fine midpoint grid; summed with weights
    q(x), P(first emitted token = t) equals p(t) — the theorem the statement explains."""
    accept = reference("speculative-accept").speculative_accept
    p = np.array([[0.05, 0.10, 0.40, 0.25, 0.20], [0.2, 0.2, 0.2, 0.2, 0.2]])
    q = np.array([[0.40, 0.30, 0.10, 0.10, 0.10]])
    n = 2000
    v = (np.arange(n) + 0.5) / n
    ps, qs = np.broadcast_to(p, (n, 2, 5)), np.broadcast_to(q, (n, 1, 5))
    dist = np.zeros(5)
    for x in range(5):
        drafts = np.full((n, 1), x)
        accepted = accept(drafts, ps, qs, np.zeros((n, 1)), v)[:, 0]
        assert np.all(accepted == x), "u = 0 always accepts"
        rejected = accept(drafts, ps, qs, np.full((n, 1), 1 - 1e-12), v)[:, 0]
        keep = min(1.0, p[0, x] / q[0, x])
        dist += q[0, x] * (keep * np.eye(5)[x] + (1 - keep) * np.bincount(rejected, minlength=5) / n)
    np.testing.assert_allclose(dist, p[0], atol=2e-3)
