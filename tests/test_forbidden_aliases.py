"""Forbidden kernels are caught under every spelling torch 2.13 exposes, statically and at run time.

The spellings are enumerated from torch itself (not typed by hand), so a name torch adds and the families in
kernel_aliases.py miss makes test_families_cover_what_torch_exposes fail.
"""

from __future__ import annotations

import re
import sys

import pytest

from tfprep.grading import kernel_aliases, static_check
from tfprep.grading.drills import all_drills, find_drill
from tfprep.grading.service import grade_source

torch = pytest.importorskip("torch")

# what a family is about, and the helpers that match the pattern but compute nothing of it
FAMILY_PATTERNS = {
    "attention": r"attention|_attn|multi_?head|^transformer|^Transformer(Encoder|Decoder)?(Layer)?$",
    "softmax": r"softmax|softmin",
    "cross_entropy": r"cross_entropy|nll_loss|NLLLoss|CrossEntropy",
    "layer_norm": r"layer_?norm|group_norm|GroupNorm",
    "rms_norm": r"rms_?norm",
}
NOT_KERNELS = re.compile(
    r"backward|_bwd|_strategy|_flop|^meta_|_fake|_docstring|^register_|^list_|^current_|^activate_|^restore_"
    r"|^trace_|^can_use|^is_.*available|_available$|^_can_use|_get_softmax_dim|HOP|Variable$|AutogradOp"
    r"|_autocast|_functionalize|_proxy_|_handler$|_impl(_default)?$|_cond$|ExpandedWeights|PerSampleGrad"
    r"|^binary_cross|^poisson_nll|^gaussian_nll|NLLLoss$|^Gaussian|^Poisson|^_unpack_|Handle$|^_FLASH|^_FLEX"
    r"|^_fa[34]_|Impl$|^_ATTENTION|^attention(_23)?$|_options$|_auto_wrap_policy|^transformer$|^torch_attn$"
    r"|_softmax_unbacked|^_get_flash|^_math_attention_inner$|^DynamoGraph|_single_dim|quantized_batch"
    r"|^_attention_23|^_register_|_expanded_weights|^rmsnorm_impl|^register_rmsnorm|^_transformer_encoder_layer_fwd_|_base_strategies$|Options$|^_adjust_"
)


def _torch_names() -> set[str]:
    import torch.nn.attention.flex_attention  # noqa: F401 - load the modules whose names we enumerate
    import torch.nn.attention.varlen  # noqa: F401
    import torch.nn.functional  # noqa: F401

    names: set[str] = set()
    for mod_name, mod in list(sys.modules.items()):
        if mod is not None and (mod_name == "torch" or mod_name.startswith("torch.")):
            try:
                names |= set(vars(mod))
            except TypeError:
                continue
    names |= set(dir(torch._C._nn)) | set(dir(torch._C._VariableFunctions)) | set(dir(torch.Tensor))
    names |= {
        op.split("::", 1)[1].split(".")[0]
        for op in torch._C._dispatch_get_all_op_names()
        if op.startswith("aten::")
    }
    return names


def test_families_cover_what_torch_exposes():
    names = _torch_names()
    missing = {}
    for family, pattern in FAMILY_PATTERNS.items():
        found = {
            n for n in names if re.search(pattern, n) and not NOT_KERNELS.search(n) and not n.startswith("__")
        }
        # a name in another family (log_softmax sits in softmax; nll in cross-entropy) is covered there
        covered = set().union(*kernel_aliases.FAMILIES.values())
        if found - covered:
            missing[family] = sorted(found - covered)
    assert not missing, f"torch exposes kernels no family lists: {missing}"


def _attention_spellings() -> list[str]:
    """Every dotted path under which torch 2.13 exposes a member of the attention family."""
    paths = set()
    for mod_name, mod in list(sys.modules.items()):
        if mod is None or not (mod_name == "torch" or mod_name.startswith("torch.")):
            continue
        try:
            keys = set(vars(mod))
        except TypeError:
            continue
        for name in keys & kernel_aliases.ATTENTION:
            paths.add(f"{mod_name}.{name}")
    for name in kernel_aliases.ATTENTION:
        if hasattr(torch._C._VariableFunctions, name):
            paths.add(f"torch._C._VariableFunctions.{name}")
        if hasattr(torch._C._nn, name):
            paths.add(f"torch._C._nn.{name}")
    ops = {op.split("::", 1)[1].split(".")[0] for op in torch._C._dispatch_get_all_op_names()}
    paths |= {f"torch.ops.aten.{n}" for n in kernel_aliases.ATTENTION & ops}
    paths |= {f"torch.ops.aten.{n}.default" for n in kernel_aliases.ATTENTION & ops}
    return sorted(paths)


SPELLINGS = _attention_spellings()
ENTRIES = {"scaled_dot_product_attention": "(q, k, v, mask=None)"}
CALLS = find_drill("attention").forbidden_calls


def test_the_enumeration_found_the_private_kernels():
    assert "torch._scaled_dot_product_attention_math" in SPELLINGS
    assert "torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default" in SPELLINGS
    assert "torch._C._VariableFunctions._scaled_dot_product_efficient_attention" in SPELLINGS
    assert len(SPELLINGS) > 60


def _static(source: str) -> static_check.Finding | None:
    return static_check.check_source(source, ENTRIES, (), CALLS)


@pytest.mark.parametrize("dotted", SPELLINGS)
def test_every_attention_spelling_is_caught_statically(dotted):
    module, _, name = dotted.rpartition(".")
    as_attribute = f"import torch\n\ndef scaled_dot_product_attention(q, k, v, mask=None):\n    return {dotted}(q, k, v)\n"
    finding = _static(as_attribute)
    assert finding is not None and finding.verdict == "rule_violation", dotted
    assert finding.line == 4
    as_getattr = (
        f"import torch\n\ndef scaled_dot_product_attention(q, k, v, mask=None):\n"
        f"    return getattr({module}, {name!r})(q, k, v)\n"
    )
    finding = _static(as_getattr)
    assert finding is not None and finding.verdict == "rule_violation", dotted


@pytest.mark.parametrize(
    "source",
    [
        "from torch import _scaled_dot_product_attention_math as f",
        "from torch._C._nn import scaled_dot_product_attention as f",
        "from torch._C import _nn\nf = _nn.scaled_dot_product_attention",
        "import torch._C._VariableFunctions as vf\nf = vf._scaled_dot_product_flash_attention_for_cpu",
        "import torch\nf = torch.ops.aten.__getattr__('_scaled_dot_product_attention_math')",
        "import torch\nf = vars(torch)['_scaled_dot_product_attention_math']",
        "import torch\nf = torch._C._jit_get_operation('aten::_scaled_dot_product_attention_math')",
        "import torch\nf = torch.nn.attention.flex_attention.flex_attention",
        "from torch.nn.attention.varlen import varlen_attn as f",
        "import torch\nwith torch._C.DisableTorchFunction():\n    pass",
        "import torch.overrides\ntorch.overrides._pop_mode()",
    ],
)
def test_other_spellings_are_caught_statically(source):
    source += "\n\ndef scaled_dot_product_attention(q, k, v, mask=None):\n    return q, q\n"
    finding = _static(source)
    assert finding is not None and finding.verdict == "rule_violation", source


def test_allowed_torch_calls_stay_allowed():
    ok = (
        "import math\nimport torch\n\n"
        "def scaled_dot_product_attention(q, k, v, mask=None):\n"
        "    s = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))\n"
        "    if mask is not None:\n"
        "        s = s.masked_fill(~mask, float('-inf'))\n"
        "    w = torch.softmax(s, dim=-1)\n"
        "    return w @ v, w\n"
    )
    assert _static(ok) is None


@pytest.mark.parametrize("drill", [d for d in all_drills() if d.forbidden_calls], ids=lambda d: d.slug)
def test_each_drill_list_expands_to_its_family(drill):
    names = kernel_aliases.kernel_names(drill.forbidden_calls)
    assert names >= kernel_aliases.ATTENTION or not drill.forbidden_calls


# ---------------------------------------------------------------- at run time: spellings no AST can see

RUNTIME = {
    "aten-by-computed-name": (
        "import torch\n_N = '_scaled_dot_' + 'product_attention_math'\n\n"
        "def scaled_dot_product_attention(q, k, v, mask=None):\n"
        "    return getattr(torch.ops.aten, _N)(q, k, v, attn_mask=mask)\n"
    ),
    "variable-functions-by-computed-name": (
        "import torch\n_N = '_scaled_dot_' + 'product_attention_math'\n\n"
        "def scaled_dot_product_attention(q, k, v, mask=None):\n"
        "    vf = vars(torch._C)['_Variable' + 'Functions']\n"
        "    return getattr(vf, _N)(q, k, v, attn_mask=mask)\n"
    ),
    "module-dict-by-computed-name": (
        "import torch\nimport torch.nn.functional as F\n_N = 'scaled_dot_' + 'product_attention'\n\n"
        "def scaled_dot_product_attention(q, k, v, mask=None):\n"
        "    out = vars(F)[_N](q, k, v, attn_mask=mask)\n"
        "    return out, out\n"
    ),
}


@pytest.fixture(scope="module")
def grade_runner():
    from tfprep.grading.judges import WarmPool

    pool = WarmPool()
    yield pool.run
    pool.close()


@pytest.mark.parametrize("case", sorted(RUNTIME))
def test_runtime_tripwires_catch_computed_spellings(case, grade_runner):
    source = RUNTIME[case]
    assert _static(source) is None, "the point: the static check cannot see this one"
    result = grade_source(find_drill("attention"), source, seed=3, runner=grade_runner)
    assert result.verdict == "rule_violation", (result.verdict, result.failure)
    assert "not allowed" in result.failure["message"]
