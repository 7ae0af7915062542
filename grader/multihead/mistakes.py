"""Known mistakes for the multihead drill. Each variant subclasses the reference (same parameter names, same
ValueError) and overrides `forward` the way a candidate gets it wrong."""

import math
import sys

import torch
import torch.nn.functional as F

# The reference class: a global when this file is appended to the reference (a variant graded as a
# submission), the loaded reference module when the judge imports this file on its own to name a mistake.
_Base = globals().get("MultiHeadAttention") or sys.modules["tfprep_reference"].MultiHeadAttention


def _attend(q, k, v, mask, scale):
    scores = q @ k.transpose(-2, -1) / scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def _split(x, h):
    b, length, d = x.shape
    return x.view(b, length, h, d // h).transpose(1, 2)


def _merge(x):
    b, h, length, dh = x.shape
    return x.transpose(1, 2).reshape(b, length, h * dh)


def split_no_transpose(self, query, key, value, mask=None):
    b, h = query.size(0), self.num_heads
    q = self.w_q(query).reshape(b, h, query.size(1), -1)
    k = self.w_k(key).reshape(b, h, key.size(1), -1)
    v = self.w_v(value).reshape(b, h, value.size(1), -1)
    return self.w_o(_merge(_attend(q, k, v, mask, math.sqrt(self.d_head))))


def merge_no_transpose(self, query, key, value, mask=None):
    h = self.num_heads
    q, k, v = _split(self.w_q(query), h), _split(self.w_k(key), h), _split(self.w_v(value), h)
    out = _attend(q, k, v, mask, math.sqrt(self.d_head))
    return self.w_o(out.reshape(query.size(0), query.size(1), -1))


def no_output_projection(self, query, key, value, mask=None):
    h = self.num_heads
    q, k, v = _split(self.w_q(query), h), _split(self.w_k(key), h), _split(self.w_v(value), h)
    return _merge(_attend(q, k, v, mask, math.sqrt(self.d_head)))


def scale_by_d_model(self, query, key, value, mask=None):
    h = self.num_heads
    q, k, v = _split(self.w_q(query), h), _split(self.w_k(key), h), _split(self.w_v(value), h)
    return self.w_o(_merge(_attend(q, k, v, mask, math.sqrt(self.d_head * h))))


def scale_by_d_head(self, query, key, value, mask=None):
    h = self.num_heads
    q, k, v = _split(self.w_q(query), h), _split(self.w_k(key), h), _split(self.w_v(value), h)
    return self.w_o(_merge(_attend(q, k, v, mask, self.d_head)))


def mask_ignored(self, query, key, value, mask=None):
    h = self.num_heads
    q, k, v = _split(self.w_q(query), h), _split(self.w_k(key), h), _split(self.w_v(value), h)
    return self.w_o(_merge(_attend(q, k, v, None, math.sqrt(self.d_head))))


def masked_scores_zero(self, query, key, value, mask=None):
    h = self.num_heads
    q, k, v = _split(self.w_q(query), h), _split(self.w_k(key), h), _split(self.w_v(value), h)
    scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
    if mask is not None:
        scores = scores * mask
    return self.w_o(_merge(torch.softmax(scores, dim=-1) @ v))


def keys_from_query(self, query, key, value, mask=None):
    h = self.num_heads
    q, k, v = _split(self.w_q(query), h), _split(self.w_k(query), h), _split(self.w_v(query), h)
    return self.w_o(_merge(_attend(q, k, v, mask, math.sqrt(self.d_head))))


def bias_ignored(self, query, key, value, mask=None):
    h = self.num_heads
    q = _split(F.linear(query, self.w_q.weight), h)
    k = _split(F.linear(key, self.w_k.weight), h)
    v = _split(F.linear(value, self.w_v.weight), h)
    return F.linear(_merge(_attend(q, k, v, mask, math.sqrt(self.d_head))), self.w_o.weight)


def inverted_mask(self, query, key, value, mask=None):
    h = self.num_heads
    q, k, v = _split(self.w_q(query), h), _split(self.w_k(key), h), _split(self.w_v(value), h)
    return self.w_o(_merge(_attend(q, k, v, None if mask is None else ~mask, math.sqrt(self.d_head))))


def _variant(name, forward):
    return type(name, (_Base,), {"forward": forward})


MISTAKES = {
    "split-no-transpose": {
        "en": "you split the heads with view(B, H, L, d_head) directly: that mixes positions and features; view(B, L, H, d_head) then transpose(1, 2)",
        "zh": "你直接用 view(B, H, L, d_head) 拆分多头：这会把位置和特征混在一起；应先 view(B, L, H, d_head) 再 transpose(1, 2)",
        "MultiHeadAttention": _variant("SplitNoTranspose", split_no_transpose),
    },
    "merge-no-transpose": {
        "en": "you merged the heads by reshaping (B, H, Lq, d_head) straight to (B, Lq, d_model): transpose(1, 2) back to (B, Lq, H, d_head) first",
        "zh": "你把 (B, H, Lq, d_head) 直接 reshape 成 (B, Lq, d_model) 来合并多头：要先 transpose(1, 2) 回到 (B, Lq, H, d_head)",
        "MultiHeadAttention": _variant("MergeNoTranspose", merge_no_transpose),
    },
    "no-output-projection": {
        "en": "your output is the concatenated heads without the output projection w_o",
        "zh": "你的输出是拼接后的多头结果，缺少输出投影 w_o",
        "MultiHeadAttention": _variant("NoOutputProjection", no_output_projection),
    },
    "scale-by-d-model": {
        "en": "you scaled the scores by √d_model; each head has width d_head = d_model / num_heads, so divide by √d_head",
        "zh": "你用 √d_model 缩放分数；每个头的宽度是 d_head = d_model / num_heads，应除以 √d_head",
        "MultiHeadAttention": _variant("ScaleByDModel", scale_by_d_model),
    },
    "scale-by-d-head": {
        "en": "you divided the scores by d_head instead of √d_head (the softmax comes out too flat)",
        "zh": "你把分数除以了 d_head 而不是 √d_head（softmax 过于平坦）",
        "MultiHeadAttention": _variant("ScaleByDHead", scale_by_d_head),
    },
    "keys-from-query": {
        "en": "your keys and values come from `query`: this only works for self-attention; project `key` with w_k and `value` with w_v",
        "zh": "你的 key 和 value 是从 `query` 算出来的：这只对自注意力成立；应该用 w_k 投影 `key`，用 w_v 投影 `value`",
        "MultiHeadAttention": _variant("KeysFromQuery", keys_from_query),
    },
    "bias-ignored": {
        "en": "your projections ignore the biases: with bias=True each nn.Linear adds its bias (call the layer, not just its weight)",
        "zh": "你的投影忽略了 bias：bias=True 时每个 nn.Linear 都要加上 bias（直接调用该层，而不是只用它的 weight）",
        "MultiHeadAttention": _variant("BiasIgnored", bias_ignored),
    },
    "inverted-mask": {
        "en": "your mask is inverted: True means may attend, so fill the scores where the mask is False",
        "zh": "mask 用反了：True 表示可以关注，应该填充 mask 为 False 的位置",
        "MultiHeadAttention": _variant("InvertedMask", inverted_mask),
    },
    "mask-ignored": {
        "en": "your forward ignores the mask: masked keys still get weight",
        "zh": "你的 forward 没有使用 mask：被遮住的 key 仍然有权重",
        "MultiHeadAttention": _variant("MaskIgnored", mask_ignored),
    },
    "masked-scores-zero": {
        "en": "you multiplied the scores by the mask, so masked scores are 0 and still get weight; fill them with -inf",
        "zh": "你把分数乘以了 mask，被遮住的分数变成 0，仍然有权重；应填成 -inf",
        "MultiHeadAttention": _variant("MaskedScoresZero", masked_scores_zero),
    },
}
