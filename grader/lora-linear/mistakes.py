"""Known mistakes for lora-linear. Each variant subclasses the reference (same parameter names) and
overrides one piece the way a candidate gets it wrong."""

import math
import sys

import torch
from torch import nn

# The reference class: a global when this file is appended to the reference (a variant graded as a
# submission), the loaded reference module when the judge imports this file on its own to name a mistake.
_Base = globals().get("LoRALinear") or sys.modules["tfprep_reference"].LoRALinear


def _variant(name, **methods):
    return type(name, (_Base,), methods)


def _with_scaling(name, scaling_of):
    def __init__(self, in_features, out_features, r=8, alpha=16, dropout=0.0, bias=True):
        _Base.__init__(self, in_features, out_features, r, alpha, dropout, bias)
        self.scaling = scaling_of(alpha, r)

    return _variant(name, __init__=__init__)


def _with_init(name, change):
    def __init__(self, in_features, out_features, r=8, alpha=16, dropout=0.0, bias=True):
        _Base.__init__(self, in_features, out_features, r, alpha, dropout, bias)
        change(self)

    return _variant(name, __init__=__init__)


def _random_b(self):
    nn.init.kaiming_uniform_(self.lora_B, a=math.sqrt(5))


def _zero_a(self):
    nn.init.zeros_(self.lora_A)


def _train_weight(self):
    self.base.weight.requires_grad_(True)


def _train_bias(self):
    if self.base.bias is not None:
        self.base.bias.requires_grad_(True)


def _delta_transposed(self):
    return self.scaling * (self.lora_A.T @ self.lora_B.T)


def _merge_no_scale(self):
    if self.merged:
        return
    with torch.no_grad():
        self.base.weight += self.lora_B @ self.lora_A
    self.merged = True


def _merge_new_parameter(self):
    if self.merged:
        return
    self.base.weight = nn.Parameter(self.base.weight.detach() + self.delta_weight().detach())
    self.merged = True


def _unmerge_adds(self):
    if not self.merged:
        return
    with torch.no_grad():
        self.base.weight += self.delta_weight()
    self.merged = False


def _merge_unguarded(self):
    with torch.no_grad():
        self.base.weight += self.delta_weight()
    self.merged = True


def _unmerge_unguarded(self):
    with torch.no_grad():
        self.base.weight -= self.delta_weight()
    self.merged = False


def _forward_ignores_merged(self, x):
    return self.base(x) + self.scaling * (self.dropout(x) @ self.lora_A.T @ self.lora_B.T)


def _forward_bias_twice(self, x):
    y = _Base.forward(self, x)
    return y if self.base.bias is None or self.merged else y + self.base.bias


def _forward_order_ba(self, x):
    if self.merged:
        return self.base(x)
    return self.base(x) + self.scaling * (self.dropout(x) @ self.lora_B @ self.lora_A)


MISTAKES = {
    "scale-alpha": {
        "en": "your LoRA update is scaled by alpha; the scale is alpha / r",
        "zh": "你的 LoRA 更新乘的是 alpha；缩放系数应为 alpha / r",
        "LoRALinear": _with_scaling("ScaleAlpha", lambda alpha, r: alpha),
    },
    "scale-inverted": {
        "en": "your scale is r / alpha; it is alpha / r",
        "zh": "你的缩放系数是 r / alpha；应为 alpha / r",
        "LoRALinear": _with_scaling("ScaleInverted", lambda alpha, r: r / alpha),
    },
    "scale-sqrt-r": {
        "en": "your scale is alpha / √r (that is rsLoRA); this drill uses the original LoRA scale alpha / r",
        "zh": "你的缩放系数是 alpha / √r（那是 rsLoRA）；本题用原始 LoRA 的缩放 alpha / r",
        "LoRALinear": _with_scaling("ScaleSqrtR", lambda alpha, r: alpha / math.sqrt(r)),
    },
    "no-scale": {
        "en": "your LoRA update is not scaled: multiply B A (and the LoRA path of forward) by alpha / r",
        "zh": "你的 LoRA 更新没有缩放：B A（以及 forward 里的 LoRA 分支）要乘以 alpha / r",
        "LoRALinear": _with_scaling("NoScale", lambda alpha, r: 1.0),
    },
    "forward-order-ba": {
        "en": "your LoRA path computes x B A; with x of shape (…, in) it is x Aᵀ Bᵀ = x (B A)ᵀ — A (r × in) acts first",
        "zh": "你的 LoRA 分支算的是 x B A；x 的形状为 (…, in) 时，应为 x Aᵀ Bᵀ = x (B A)ᵀ —— 先作用的是 A（r × in）",
        "LoRALinear": _variant("ForwardOrderBA", forward=_forward_order_ba),
    },
    "delta-transposed": {
        "en": "your ΔW is Aᵀ Bᵀ (in × out); it has the layout of nn.Linear's weight, (out × in): ΔW = scale · B A",
        "zh": "你的 ΔW 是 Aᵀ Bᵀ（in × out）；它的布局要和 nn.Linear 的 weight 一样，是 (out × in)：ΔW = scale · B A",
        "LoRALinear": _variant("DeltaTransposed", delta_weight=_delta_transposed),
    },
    "b-random-init": {
        "en": "your B is not zero at initialisation, so the new layer does not start as the pretrained one; initialise B to zeros (A random)",
        "zh": "你的 B 初始化不为零，于是新层一开始就不等于预训练的层；B 要初始化为零（A 随机）",
        "LoRALinear": _with_init("RandomB", _random_b),
    },
    "a-zero-init": {
        "en": "your A is zero at initialisation: with A = B = 0 both gradients are zero and LoRA never learns; A is random (e.g. kaiming_uniform_), only B is zero",
        "zh": "你的 A 初始化为零：A = B = 0 时两者的梯度都为零，LoRA 永远学不动；A 要随机初始化（例如 kaiming_uniform_），只有 B 为零",
        "LoRALinear": _with_init("ZeroA", _zero_a),
    },
    "base-not-frozen": {
        "en": "the pretrained weight base.weight still has requires_grad=True; freeze it — only lora_A and lora_B train",
        "zh": "预训练权重 base.weight 仍然是 requires_grad=True；要把它冻结 —— 只训练 lora_A 和 lora_B",
        "LoRALinear": _with_init("TrainWeight", _train_weight),
    },
    "bias-not-frozen": {
        "en": "base.bias still has requires_grad=True; the pretrained bias is frozen too",
        "zh": "base.bias 仍然是 requires_grad=True；预训练的偏置也要冻结",
        "LoRALinear": _with_init("TrainBias", _train_bias),
    },
    "bias-twice": {
        "en": "your forward adds the bias twice (once in base, once more on the LoRA path); the LoRA path has no bias",
        "zh": "你的 forward 把偏置加了两次（base 里一次，LoRA 分支又一次）；LoRA 分支没有偏置",
        "LoRALinear": _variant("BiasTwice", forward=_forward_bias_twice),
    },
    "merge-no-scale": {
        "en": "merge() adds B A without the scale; fold in exactly what forward adds: (alpha / r) · B A",
        "zh": "merge() 加的是没有缩放的 B A；应合并进与 forward 所加完全相同的量：(alpha / r) · B A",
        "LoRALinear": _variant("MergeNoScale", merge=_merge_no_scale),
    },
    "merge-unfreezes-weight": {
        "en": "after merge() base.weight is trainable again (a new nn.Parameter has requires_grad=True); update the frozen weight in place under torch.no_grad()",
        "zh": "merge() 之后 base.weight 又变成可训练的了（新建的 nn.Parameter 默认 requires_grad=True）；应在 torch.no_grad() 下原地更新冻结的权重",
        "LoRALinear": _variant("MergeNewParameter", merge=_merge_new_parameter),
    },
    "unmerge-adds": {
        "en": "unmerge() adds ΔW again; it must subtract it, giving back the original weight",
        "zh": "unmerge() 又把 ΔW 加了一次；应当减去它，恢复原来的权重",
        "LoRALinear": _variant("UnmergeAdds", unmerge=_unmerge_adds),
    },
    "merge-twice": {
        "en": "a second merge() adds ΔW again; merge() of a merged layer must change nothing (check `merged`)",
        "zh": "第二次 merge() 又加了一次 ΔW；对已合并的层调用 merge() 不应有任何改变（检查 `merged`）",
        "LoRALinear": _variant("MergeTwice", merge=_merge_unguarded),
    },
    "unmerge-unmerged": {
        "en": "unmerge() of a layer that is not merged subtracts ΔW anyway; it must change nothing (check `merged`)",
        "zh": "对没有合并的层调用 unmerge() 仍然减去了 ΔW；此时不应有任何改变（检查 `merged`）",
        "LoRALinear": _variant("UnmergeUnmerged", unmerge=_unmerge_unguarded),
    },
    "merged-forward-adds-lora": {
        "en": "after merge(), forward still adds the LoRA path, so ΔW counts twice; while merged, forward is base(x) alone",
        "zh": "merge() 之后 forward 仍然加上了 LoRA 分支，于是 ΔW 被算了两次；合并状态下 forward 只是 base(x)",
        "LoRALinear": _variant("MergedForwardAddsLora", forward=_forward_ignores_merged),
    },
}
