"""Every spelling of a forbidden kernel: a drill forbids one public name, the rules catch all its aliases.

torch exposes the same computation under many names: the public function (`torch.nn.functional.softmax`),
the tensor method, the C bindings (`torch._C._nn.*`, `torch._C._VariableFunctions.*`), private kernels
(`torch._scaled_dot_product_attention_math`, `torch._softmax`), the dispatcher (`torch.ops.aten.*`, with
overloads such as `.default`), reference and decomposition modules (`torch._refs`, `torch._decomp`) and
modules (`torch.nn.Softmax`). A family lists the final names of one kernel; forbidding any member of a family
forbids the whole family, under any `torch.…` path. The names come from torch 2.13 itself (dir(torch),
dir(torch._C._nn), dir(torch.nn.functional), torch._C._dispatch_get_all_op_names(), every loaded torch.*
module); tests/test_forbidden_aliases.py enumerates them again and fails when torch grows one we miss.

Pure and stdlib-only: the static check runs in the light CLI process.
"""

from __future__ import annotations

ATTENTION = frozenset(
    {
        "scaled_dot_product_attention",
        "_scaled_dot_product_attention_math",
        "_scaled_dot_product_attention_math_for_mps",
        "_scaled_dot_product_cudnn_attention",
        "_scaled_dot_product_efficient_attention",
        "_scaled_dot_product_flash_attention",
        "_scaled_dot_product_flash_attention_for_cpu",
        "_scaled_dot_product_fused_attention_overrideable",
        "_flash_attention_forward",
        "_flash_attention_forward_no_dropout_inplace",
        "_efficient_attention_forward",
        "_cudnn_attention_forward",
        "_native_multi_head_attention",
        "_triton_multi_head_attention",
        "_triton_scaled_dot_attention",
        "_transformer_encoder_layer_fwd",
        "multi_head_attention_forward",
        "math_attention",
        "_math_attention_inner",
        "flex_attention",
        "flex_attention_hop",
        "flex_attention_autograd",
        "scaled_dot_product_flash_attention_for_cpu",
        "varlen_attn",
        "varlen_attn_out",
        "_varlen_attn",
        "_varlen_attn_out",
        "MultiheadAttention",
        "Transformer",
        "TransformerEncoder",
        "TransformerEncoderLayer",
        "TransformerDecoder",
        "TransformerDecoderLayer",
    }
)

SOFTMAX = frozenset(
    {
        "softmax",
        "_softmax",
        "_safe_softmax",
        "safe_softmax",
        "_masked_softmax",
        "special_softmax",
        "_sparse_softmax",
        "_nested_tensor_softmax_with_shape",
        "softmin",
        "log_softmax",
        "_log_softmax",
        "special_log_softmax",
        "_sparse_log_softmax",
        "gumbel_softmax",
        "Softmax",
        "Softmax2d",
        "Softmin",
        "LogSoftmax",
        "AdaptiveLogSoftmaxWithLoss",
        "SoftmaxTransform",
    }
)

CROSS_ENTROPY = frozenset(
    {
        "cross_entropy",
        "cross_entropy_loss",
        "linear_cross_entropy",
        "LinearCrossEntropyLoss",
        "nll_loss",
        "nll_loss2d",
        "nll_loss_nd",
        "_nll_loss_nd",
        "nll_loss_forward",
        "_nll_loss_forward",
        "nll_loss2d_forward",
        "CrossEntropyLoss",
        "NLLLoss",
        "NLLLoss2d",
    }
)

LAYER_NORM = frozenset(
    {
        "layer_norm",
        "native_layer_norm",
        "quantized_layer_norm",
        "quantized_group_norm",
        "LayerNorm",
        "group_norm",
        "native_group_norm",
        "GroupNorm",
    }
)

RMS_NORM = frozenset({"rms_norm", "_fused_rms_norm", "RMSNorm"})

FAMILIES: dict[str, frozenset[str]] = {
    "attention": ATTENTION,
    "softmax": SOFTMAX,
    "cross_entropy": CROSS_ENTROPY,
    "layer_norm": LAYER_NORM,
    "rms_norm": RMS_NORM,
}

# Ways to switch the runtime guard off (the torch-function mode of tripwires.py). Forbidden statically in every
# drill that forbids a torch kernel; not tripped at run time (torch's own code uses them).
GUARD_BYPASS = frozenset(
    {
        "DisableTorchFunction",
        "DisableTorchFunctionSubclass",
        "_disable_torch_function",
        "_pop_torch_function_stack",
        "_push_on_torch_function_stack",
        "_set_torch_function_state",
        "_set_torch_function_mode",
        "_pop_mode",
        "_pop_mode_temporarily",
        "_disable_current_modes",
        "_len_torch_function_stack",
        "_get_function_stack_at",
        "_skip_one_hop_torch_function",
        "_set_skip_next_torch_function",
        "_jit_get_operation",
        "_get_operation_overload",
        "_dispatch_call_boxed",
    }
)


def _last(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def kernel_names(forbidden_calls: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The final names forbidden under any `torch.…` path: each forbidden torch call's own name and its family."""
    names: set[str] = set()
    for call in forbidden_calls:
        if not call.startswith("torch."):
            continue
        last = _last(call)
        names.add(last)
        for family in FAMILIES.values():
            if last in family:
                names |= family
    return frozenset(names)


def bypass_names(forbidden_calls: tuple[str, ...] | list[str]) -> frozenset[str]:
    return GUARD_BYPASS if kernel_names(forbidden_calls) else frozenset()


def forbidden_dotted(dotted: str, names: frozenset[str]) -> bool:
    """Whether a dotted `torch.…` path reaches a forbidden name (anywhere after `torch`, e.g. an overload)."""
    parts = dotted.split(".")
    return parts[0] == "torch" and any(p in names for p in parts[1:])


def aten_string(text: str, names: frozenset[str]) -> bool:
    """'aten::_softmax', 'aten::_softmax.default', 'aten._softmax': an operator named by string."""
    for prefix in ("aten::", "aten."):
        if text.startswith(prefix) and text[len(prefix) :].split(".")[0] in names:
            return True
    return False
