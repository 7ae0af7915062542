"""Known mistakes for the encoder-layer drill. Each variant is a class with the reference's parameter names
(self_attn.w_q … w_o, linear1, linear2, norm1, norm2) that gets one thing wrong. The grader runs a failing
input through these to name what went wrong."""

import math

import torch
from torch import nn


class _Attention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.h, self.dh = num_heads, d_model // num_heads
        self.w_q = nn.Linear(d_model, d_model)
        self.w_k = nn.Linear(d_model, d_model)
        self.w_v = nn.Linear(d_model, d_model)
        self.w_o = nn.Linear(d_model, d_model)
        # what a variant changes
        self.scale = None  # None: √d_head
        self.split_no_transpose = False
        self.merge_no_transpose = False
        self.softmax_dim = -1
        self.mask_mode = "ok"  # ok | inverted | ignored
        self.out_proj = True

    def split(self, x):
        b, n, _ = x.shape
        if self.split_no_transpose:
            return x.reshape(b, self.h, n, self.dh)
        return x.view(b, n, self.h, self.dh).transpose(1, 2)

    def forward(self, x, mask=None):
        q, k, v = self.split(self.w_q(x)), self.split(self.w_k(x)), self.split(self.w_v(x))
        scale = math.sqrt(self.dh) if self.scale is None else self.scale
        s = q @ k.transpose(-2, -1) / scale
        if mask is not None and self.mask_mode != "ignored":
            s = s.masked_fill(mask if self.mask_mode == "inverted" else ~mask, float("-inf"))
        o = torch.softmax(s, dim=self.softmax_dim) @ v
        b, _, n, _ = o.shape
        o = o.reshape(b, n, -1) if self.merge_no_transpose else o.transpose(1, 2).reshape(b, n, -1)
        return self.w_o(o) if self.out_proj else o


class _Layer(nn.Module):
    def __init__(self, d_model, num_heads, d_ff, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = _Attention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model, eps=1e-5)
        self.norm2 = nn.LayerNorm(d_model, eps=1e-5)

    def sa(self, x, mask):
        return self.self_attn(x, mask)

    def ff(self, x):
        return self.linear2(torch.relu(self.linear1(x)))

    def n1(self, x):
        return self.norm1(x)

    def n2(self, x):
        return self.norm2(x)

    def pre(self, x, mask):
        x = x + self.sa(self.n1(x), mask)
        return x + self.ff(self.n2(x))

    def post(self, x, mask):
        x = self.n1(x + self.sa(x, mask))
        return self.n2(x + self.ff(x))

    def forward(self, x, mask=None):
        return self.pre(x, mask) if self.norm_first else self.post(x, mask)


class NormFirstIgnored(_Layer):
    def forward(self, x, mask=None):
        return self.post(x, mask)


class NormFirstInverted(_Layer):
    def forward(self, x, mask=None):
        return self.post(x, mask) if self.norm_first else self.pre(x, mask)


class PreNormResidualNormalized(_Layer):
    def pre(self, x, mask):
        x = self.n1(x)
        x = x + self.sa(x, mask)
        x = self.n2(x)
        return x + self.ff(x)


class PostNormInsideResidual(_Layer):
    def post(self, x, mask):
        x = x + self.n1(self.sa(x, mask))
        return x + self.n2(self.ff(x))


class SharedLayerNorm(_Layer):
    def n2(self, x):
        return self.norm1(x)


class SharedLayerNorm2(_Layer):
    def n1(self, x):
        return self.norm2(x)


class NormsSwapped(_Layer):
    def n1(self, x):
        return self.norm2(x)

    def n2(self, x):
        return self.norm1(x)


class Gelu(_Layer):
    def ff(self, x):
        return self.linear2(nn.functional.gelu(self.linear1(x)))


class NoFeedForwardResidual(_Layer):
    def pre(self, x, mask):
        x = x + self.sa(self.n1(x), mask)
        return self.ff(self.n2(x))

    def post(self, x, mask):
        x = self.n1(x + self.sa(x, mask))
        return self.n2(self.ff(x))


class NoAttentionResidual(_Layer):
    def pre(self, x, mask):
        x = self.sa(self.n1(x), mask)
        return x + self.ff(self.n2(x))

    def post(self, x, mask):
        x = self.n1(self.sa(x, mask))
        return self.n2(x + self.ff(x))


class UnbiasedVariance(_Layer):
    @staticmethod
    def _ln(norm, x):
        mu = x.mean(-1, keepdim=True)
        var = x.var(-1, keepdim=True)  # unbiased: divides by d - 1
        return (x - mu) / torch.sqrt(var + norm.eps) * norm.weight + norm.bias

    def n1(self, x):
        return self._ln(self.norm1, x)

    def n2(self, x):
        return self._ln(self.norm2, x)


def _attention_variant(name, **changes):
    class Variant(_Layer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for k, v in changes.items():
                setattr(self.self_attn, k, v)

    Variant.__name__ = name
    return Variant


class ScaleByDModel(_Layer):
    def __init__(self, d_model, num_heads, d_ff, norm_first=False):
        super().__init__(d_model, num_heads, d_ff, norm_first)
        self.self_attn.scale = math.sqrt(d_model)


NoScale = _attention_variant("NoScale", scale=1.0)
SplitNoTranspose = _attention_variant("SplitNoTranspose", split_no_transpose=True)
MergeNoTranspose = _attention_variant("MergeNoTranspose", merge_no_transpose=True)
SoftmaxOverQueries = _attention_variant("SoftmaxOverQueries", softmax_dim=-2)
InvertedMask = _attention_variant("InvertedMask", mask_mode="inverted")
MaskIgnored = _attention_variant("MaskIgnored", mask_mode="ignored")
NoOutputProjection = _attention_variant("NoOutputProjection", out_proj=False)


MISTAKES = {
    "norm-first-ignored": {
        "en": "your layer ignores norm_first: with norm_first=True it still computes post-norm norm1(x + SA(x)); pre-norm is x + SA(norm1(x)), then x + FF(norm2(x))",
        "zh": "你的层忽略了 norm_first：norm_first=True 时仍然算的是 post-norm norm1(x + SA(x))；pre-norm 应为 x + SA(norm1(x))，再 x + FF(norm2(x))",
        "EncoderLayer": NormFirstIgnored,
    },
    "norm-first-inverted": {
        "en": "with norm_first=False your layer computes pre-norm, x + SA(norm1(x)); norm_first=False (the default, the original Transformer) is post-norm, x = norm1(x + SA(x)); pre-norm is for norm_first=True",
        "zh": "norm_first=False 时你的层算的是 pre-norm，x + SA(norm1(x))；norm_first=False（默认，即原始 Transformer）应为 post-norm，x = norm1(x + SA(x))；pre-norm 对应 norm_first=True",
        "EncoderLayer": NormFirstInverted,
    },
    "pre-norm-residual-normalized": {
        "en": "in pre-norm your residual carries the normalised x (x = norm1(x); x = x + SA(x) gives norm1(x) + SA(norm1(x))); add the sublayer to the un-normalised x: x = x + SA(norm1(x))",
        "zh": "pre-norm 中你的残差用的是归一化后的 x（x = norm1(x); x = x + SA(x) 得到 norm1(x) + SA(norm1(x))）；应加回未归一化的 x：x = x + SA(norm1(x))",
        "EncoderLayer": PreNormResidualNormalized,
    },
    "post-norm-inside-residual": {
        "en": "in post-norm you normalised the sublayer output before the residual (x + norm1(SA(x))); post-norm normalises the sum: norm1(x + SA(x))",
        "zh": "post-norm 中你在残差相加之前就对子层输出做了归一化（x + norm1(SA(x))）；post-norm 应对和做归一化：norm1(x + SA(x))",
        "EncoderLayer": PostNormInsideResidual,
    },
    "shared-layernorm": {
        "en": "you used norm1 for both sublayers; the feed-forward sublayer has its own LayerNorm, norm2 (its own weight and bias)",
        "zh": "你在两个子层都用了 norm1；前馈子层有自己的 LayerNorm，即 norm2（有各自的 weight 和 bias）",
        "EncoderLayer": SharedLayerNorm,
    },
    "shared-layernorm-norm2": {
        "en": "you used norm2 for both sublayers; the attention sublayer has its own LayerNorm, norm1 (its own weight and bias)",
        "zh": "你在两个子层都用了 norm2；注意力子层有自己的 LayerNorm，即 norm1（有各自的 weight 和 bias）",
        "EncoderLayer": SharedLayerNorm2,
    },
    "norms-swapped": {
        "en": "your LayerNorms are swapped: norm1 belongs to the attention sublayer and norm2 to the feed-forward sublayer",
        "zh": "两个 LayerNorm 用反了：norm1 属于注意力子层，norm2 属于前馈子层",
        "EncoderLayer": NormsSwapped,
    },
    "gelu": {
        "en": "your feed-forward uses GELU; this layer uses ReLU: linear2(relu(linear1(x)))",
        "zh": "你的前馈网络用了 GELU；本题用 ReLU：linear2(relu(linear1(x)))",
        "EncoderLayer": Gelu,
    },
    "no-ff-residual": {
        "en": "your feed-forward sublayer has no residual connection: add its input back (x + FF(…))",
        "zh": "你的前馈子层缺少残差连接：要把输入加回去（x + FF(…)）",
        "EncoderLayer": NoFeedForwardResidual,
    },
    "no-attn-residual": {
        "en": "your self-attention sublayer has no residual connection: add its input back (x + SA(…))",
        "zh": "你的自注意力子层缺少残差连接：要把输入加回去（x + SA(…)）",
        "EncoderLayer": NoAttentionResidual,
    },
    "layernorm-unbiased-var": {
        "en": "your LayerNorm uses the unbiased variance (torch.var divides by d − 1); LayerNorm divides by d: var(unbiased=False)",
        "zh": "你的 LayerNorm 用了无偏方差（torch.var 默认除以 d − 1）；LayerNorm 应除以 d：var(unbiased=False)",
        "EncoderLayer": UnbiasedVariance,
    },
    "scale-by-d-model": {
        "en": "you scaled the attention scores by √d_model; each head scales by √d_head = √(d_model / num_heads)",
        "zh": "你把注意力分数除以了 √d_model；每个头应除以 √d_head = √(d_model / num_heads)",
        "EncoderLayer": ScaleByDModel,
    },
    "no-scale": {
        "en": "your attention has no 1/√d_head scale on the scores",
        "zh": "你的注意力分数没有除以 √d_head",
        "EncoderLayer": NoScale,
    },
    "heads-split-no-transpose": {
        "en": "you split the heads with view(B, H, L, d_head) directly; view as (B, L, H, d_head), then transpose(1, 2)",
        "zh": "你直接用 view(B, H, L, d_head) 拆分头；应先 view 成 (B, L, H, d_head)，再 transpose(1, 2)",
        "EncoderLayer": SplitNoTranspose,
    },
    "heads-merge-no-transpose": {
        "en": "you merged the heads by reshaping (B, H, L, d_head) to (B, L, d_model) without transposing back; transpose(1, 2) first",
        "zh": "合并多头时你把 (B, H, L, d_head) 直接 reshape 成 (B, L, d_model)，没有先转置回来；应先 transpose(1, 2)",
        "EncoderLayer": MergeNoTranspose,
    },
    "softmax-wrong-axis": {
        "en": "your attention softmax runs over the queries (dim=-2); it must run over the keys (dim=-1)",
        "zh": "你的注意力 softmax 沿 query 维（dim=-2）计算；应沿 key 维（dim=-1）",
        "EncoderLayer": SoftmaxOverQueries,
    },
    "inverted-mask": {
        "en": "your mask is inverted: True means may attend, so fill the scores with -inf where the mask is False",
        "zh": "mask 用反了：True 表示可以关注，应在 mask 为 False 的位置把分数填成 -inf",
        "EncoderLayer": InvertedMask,
    },
    "mask-ignored": {
        "en": "your layer ignores the mask: pass it to the self-attention and fill masked scores with -inf",
        "zh": "你的层忽略了 mask：要把它传给自注意力，并把被 mask 的分数填成 -inf",
        "EncoderLayer": MaskIgnored,
    },
    "no-output-projection": {
        "en": "your attention skips the output projection w_o after merging the heads",
        "zh": "你的注意力在合并多头之后漏了输出投影 w_o",
        "EncoderLayer": NoOutputProjection,
    },
}
