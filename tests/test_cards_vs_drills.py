"""Cards that show code a drill also tests agree with the drill.

A card links itself to a drill with the tag `drill-<slug>` (docs/bank-format.md). Its ```python blocks are
joined and then either graded by the drill's hidden suite through the real grader (when the card defines the
drill's entry points, perhaps through a short adapter below), or executed in a namespace and compared with
the drill's reference solution on seeded random inputs that include the drill's edge cases (when the card
shows a smaller piece: one query, one mask, a fragment).
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from markdown_it import MarkdownIt

from tfprep.bank.load import all_cards, builtin_bank_paths, load_banks
from tfprep.grading.drills import all_drills
from tfprep.grading.service import grade_source

SEED = 20261129
DRILLS = {d.slug: d for d in all_drills()}
CARDS = all_cards(load_banks(builtin_bank_paths(None)))


def drill_links(card) -> list[str]:
    return [t.removeprefix("drill-") for t in card.tags if t.startswith("drill-")]


LINKED = [(c, slug) for c in CARDS for slug in drill_links(c)]


def python_code(answer: str) -> str:
    fences = MarkdownIt("commonmark").parse(answer)
    blocks = [t.content for t in fences if t.type == "fence" and t.info.strip() == "python"]
    assert blocks, "a card linked to a drill shows Python code"
    return "\n\n".join(blocks)


def reference(slug: str):
    path = DRILLS[slug].solution
    spec = importlib.util.spec_from_file_location(f"_reference_{slug.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_card(code: str) -> dict:
    namespace: dict = {"__name__": "card"}
    exec(compile(code, "<card>", "exec"), namespace)  # noqa: S102 - our own bank's code, in a test
    return namespace


# ------------------------------------------------- cards graded by the drill's hidden suite

# Appended to the card's code so that it has the drill's entry points (the card's own names stay).
ADAPTERS = {
    "code.cross-entropy-numpy": """
_card_cross_entropy = cross_entropy

def cross_entropy(logits, targets):
    return _card_cross_entropy(logits, targets)[0]

def cross_entropy_grad(logits, targets):
    return _card_cross_entropy(logits, targets)[1]
""",
    "code.linear-grad": """
_card_linear_backward = linear_backward

def linear_backward(x, w, b, grad_y):
    return _card_linear_backward(grad_y, x, w)
""",
    "attention.stable-softmax": """
def softmax(x, axis=-1):
    return np.exp(log_softmax(x, axis=axis))
""",
    "code.max-dot-product": "",
    "code.sampling-numpy": "",
    "code.bpe-train": "",
    "llm.quantization": "",
    "code.dpo-loss": "",
    "code.moe-router": "",
}


@pytest.fixture(scope="module")
def grade_runner():
    from tfprep.grading.judges import WarmPool

    pool = WarmPool()
    yield pool.run
    pool.close()


_graded: dict[tuple[str, str], object] = {}  # (slug, source) -> result: zh and en often show the same code


def grade_card(slug: str, source: str, runner):
    key = (slug, source)
    if key not in _graded:
        _graded[key] = grade_source(DRILLS[slug], source, seed=SEED, runner=runner)
    return _graded[key]


# ------------------------------------------------- cards compared with the drill's reference


def check_top_p_fragment(ns: dict) -> None:
    """07-decoding's top-p lines: the kept set equals the drill's top-p filter, ties included."""
    ref = reference("sampling")
    rng = np.random.default_rng(SEED)
    cases = [(np.array([0.5, 0.3, 0.15, 0.05]), 0.7), (np.array([4.0, 2, 1, 2, 1]) / 10, 0.5)]
    for _ in range(200):
        v = int(rng.integers(2, 12))
        p = rng.dirichlet(np.ones(v))
        if rng.random() < 0.5:  # put ties in: some tokens share a probability
            p = np.round(p * 8) + 1
            p /= p.sum()
        cases.append((p, float(rng.uniform(0.05, 0.95))))
    for p, top_p in cases:
        sums = np.cumsum(-np.sort(-p))
        if np.min(np.abs(sums - top_p)) < 1e-9:
            continue  # the drill never asks at a running sum: rounding would decide
        expected = np.isfinite(ref.filter_logits(np.log(p), top_p=top_p))
        assert np.array_equal(ns["top_p_mask"](p, top_p), expected), (p, top_p)


def check_causal_mask(ns: dict) -> None:
    ref = reference("causal-attention")
    for lk in range(1, 9):
        for lq in range(1, lk + 1):
            got = ns["causal_mask"](lq, lk)
            assert got.dtype == ref.causal_mask(lq, lk).dtype
            assert bool((got == ref.causal_mask(lq, lk)).all()), (lq, lk)


def check_online_attention(ns: dict) -> None:
    """06-efficiency's one-query online-softmax attention equals the drill's FlashAttention reference."""
    ref = reference("flash-attention")
    rng = np.random.default_rng(SEED)
    for _ in range(30):
        n, d, dv = int(rng.integers(1, 20)), int(rng.integers(1, 9)), int(rng.integers(1, 9))
        block = int(rng.integers(1, n + 3))
        scale = 300.0 if rng.random() < 0.3 else 1.0  # large scores: the running max must rescale
        q, k, v = rng.normal(size=d) * scale, rng.normal(size=(n, d)), rng.normal(size=(n, dv))
        expected = ref.flash_attention(q[None], k, v)[0].reshape(-1)
        np.testing.assert_allclose(
            ns["attention_online"](q, k, v, block=block), expected, rtol=1e-9, atol=1e-12
        )


def check_self_attention_module(ns: dict) -> None:
    """01-attention's fused-QKV module equals the drill's MultiHeadAttention given the same weights."""
    import torch

    ref = reference("multihead")
    torch.manual_seed(SEED)
    for d_model, heads, n in ((8, 2, 5), (12, 3, 1), (16, 4, 7)):
        mine = ns["SelfAttention"](d_model, heads).double().eval()
        theirs = ref.MultiHeadAttention(d_model, heads).double().eval()
        with torch.no_grad():  # the card's qkv rows are W_Q, W_K, W_V stacked
            theirs.w_q.weight.copy_(mine.qkv.weight[:d_model])
            theirs.w_k.weight.copy_(mine.qkv.weight[d_model : 2 * d_model])
            theirs.w_v.weight.copy_(mine.qkv.weight[2 * d_model :])
            theirs.w_q.bias.copy_(mine.qkv.bias[:d_model])
            theirs.w_k.bias.copy_(mine.qkv.bias[d_model : 2 * d_model])
            theirs.w_v.bias.copy_(mine.qkv.bias[2 * d_model :])
            theirs.w_o.load_state_dict(mine.proj.state_dict())
            x = torch.randn(2, n, d_model, dtype=torch.float64)
            causal = torch.tril(torch.ones(n, n, dtype=torch.bool))
            for mask in (None, causal):
                torch.testing.assert_close(mine(x, mask=mask), theirs(x, x, x, mask=mask))


REFERENCE_CHECKS = {
    "dec.top-p": check_top_p_fragment,
    "attention.causal-mask-alignment": check_causal_mask,
    "eff.flashattention": check_online_attention,
    "attention.self-attention-code": check_self_attention_module,
}


def _key(card) -> str:
    return card.id.split(".", 1)[1]


def test_links_name_real_drills_and_every_link_is_checked() -> None:
    assert LINKED, "no card carries a drill-<slug> tag"
    assert [(c.id, s) for c, s in LINKED if s not in DRILLS] == []
    keys = {_key(c) for c, _ in LINKED}
    assert keys == set(ADAPTERS) | set(REFERENCE_CHECKS)
    for lang in ("zh", "en"):  # both languages link the same cards
        assert {_key(c) for c, _ in LINKED if c.lang == lang} == keys


@pytest.mark.parametrize(
    ("card", "slug"), [(c, s) for c, s in LINKED if _key(c) in ADAPTERS], ids=lambda x: getattr(x, "id", x)
)
def test_card_code_passes_the_drill_suite(card, slug, grade_runner) -> None:
    source = python_code(card.answer) + "\n" + ADAPTERS[_key(card)]
    result = grade_card(slug, source, grade_runner)
    assert result.verdict == "accepted", (card.id, result.verdict, result.failure)
    assert result.passed == result.total >= 5


@pytest.mark.parametrize(
    ("card", "slug"),
    [(c, s) for c, s in LINKED if _key(c) in REFERENCE_CHECKS],
    ids=lambda x: getattr(x, "id", x),
)
def test_card_code_agrees_with_the_drill_reference(card, slug) -> None:
    REFERENCE_CHECKS[_key(card)](run_card(python_code(card.answer)))


def test_reference_checks_fail_on_wrong_code() -> None:
    """The comparisons can fail: the old top-p shortcut (one tied token kept) and a top-left causal mask."""
    old_top_p = """
import numpy as np
def top_p_mask(p, top_p):
    order = np.argsort(-p)
    sorted_p = p[order]
    mass_before = np.cumsum(sorted_p) - sorted_p
    mask = np.zeros(p.shape, dtype=bool)
    mask[order[mass_before < top_p]] = True
    return mask
"""
    with pytest.raises(AssertionError):
        check_top_p_fragment(run_card(old_top_p))
    top_left = (
        "import torch\ndef causal_mask(lq, lk):\n    return torch.ones(lq, lk, dtype=torch.bool).tril()\n"
    )
    with pytest.raises(AssertionError):
        check_causal_mask(run_card(top_left))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_drill_tag_finds_a_card(lang) -> None:
    """Drill tags link drills to cards (the study loop brings those cards forward): none may point nowhere."""
    tags = {t for c in CARDS if c.lang == lang for t in c.tags}
    assert [(d.slug, t) for d in DRILLS.values() for t in d.tags if t not in tags] == []


# Put back into today's card, each mistake fails the drill's suite: the first two are what the bank I cards
# taught (ties by dict order; top_k > V raising), the last a near miss (the crossing token itself dropped).
OLD_MISTAKES = [
    ("en.code.bpe-train", "key=lambda pair: (pairs[pair], pair)", "key=pairs.get"),  # ties by dict order
    ("en.code.sampling-numpy", "if 0 < top_k < z.shape[-1]:", "if top_k > 0:"),  # top_k > V raises
    (
        "en.code.sampling-numpy",
        "z = np.where(p >= threshold, z, -np.inf)",
        "z = np.where(p > threshold, z, -np.inf)",
    ),
]


@pytest.mark.parametrize(("card_id", "now", "before"), OLD_MISTAKES, ids=lambda x: x[:40])
def test_old_card_mistakes_fail_the_drill_suite(card_id, now, before, grade_runner) -> None:
    card = next(c for c in CARDS if c.id == card_id)
    code = python_code(card.answer)
    assert now in code
    slug = drill_links(card)[0]
    result = grade_card(slug, code.replace(now, before) + ADAPTERS[_key(card)], grade_runner)
    assert result.verdict in ("wrong_answer", "runtime_error"), (result.verdict, result.failure)
