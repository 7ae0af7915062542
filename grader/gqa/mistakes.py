"""Known mistakes for the gqa drill: each re-implements grouped-query attention the way a candidate gets it wrong."""

import math

import torch


def _attend(q, k, v, mask, scale, masked=None):
    scores = q @ k.transpose(-2, -1) / scale
    if mask is not None:
        scores = scores.masked_fill(~mask if masked is None else masked, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def _expand(q, k, v):
    group = q.size(1) // k.size(1)
    return k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)


def tiled_heads(q, k, v, mask=None):
    group = q.size(1) // k.size(1)
    k, v = k.repeat(1, group, 1, 1), v.repeat(1, group, 1, 1)
    return _attend(q, k, v, mask, math.sqrt(q.size(-1)))


def scale_full_width(q, k, v, mask=None):
    k, v = _expand(q, k, v)
    return _attend(q, k, v, mask, math.sqrt(q.size(1) * q.size(-1)))


def scale_kv_width(q, k, v, mask=None):
    k2, v2 = _expand(q, k, v)
    return _attend(q, k2, v2, mask, math.sqrt(k.size(1) * k.size(-1)))


def scale_by_d(q, k, v, mask=None):
    k, v = _expand(q, k, v)
    return _attend(q, k, v, mask, q.size(-1))


def no_scale(q, k, v, mask=None):
    k, v = _expand(q, k, v)
    return _attend(q, k, v, mask, 1.0)


def inverted_mask(q, k, v, mask=None):
    k, v = _expand(q, k, v)
    return _attend(q, k, v, mask, math.sqrt(q.size(-1)), masked=mask)


def softmax_over_queries(q, k, v, mask=None):
    k, v = _expand(q, k, v)
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-2) @ v


MISTAKES = {
    "repeat-not-interleave": {
        "en": "your query head h uses kv head h % Hkv: .repeat tiles the kv heads (0,1,0,1,…); each kv head serves a block of consecutive query heads, so use repeat_interleave (0,0,1,1,…), i.e. kv head h // (Hq / Hkv)",
        "zh": "你的第 h 个 query 头用的是第 h % Hkv 个 kv 头：.repeat 会把 kv 头平铺成 (0,1,0,1,…)；每个 kv 头负责一段连续的 query 头，应使用 repeat_interleave（0,0,1,1,…），即 kv 头 h // (Hq / Hkv)",
        "grouped_query_attention": tiled_heads,
    },
    "scale-full-width": {
        "en": "you scaled the scores by √(Hq·d), the width of all heads together; each head's dot product has d terms, so divide by √d",
        "zh": "你用所有头的总宽度 √(Hq·d) 缩放分数；每个头的点积只有 d 项，应除以 √d",
        "grouped_query_attention": scale_full_width,
    },
    "scale-kv-width": {
        "en": "you scaled the scores by √(Hkv·d), the width of all key/value heads together; each head's dot product has d terms, so divide by √d",
        "zh": "你用所有 key/value 头的总宽度 √(Hkv·d) 缩放分数；每个头的点积只有 d 项，应除以 √d",
        "grouped_query_attention": scale_kv_width,
    },
    "scale-by-d": {
        "en": "you divided the scores by d instead of √d (the softmax comes out too flat)",
        "zh": "你把分数除以了 d 而不是 √d（softmax 过于平坦）",
        "grouped_query_attention": scale_by_d,
    },
    "no-scale": {
        "en": "your output equals softmax(QKᵀ)V without the 1/√d scale",
        "zh": "你的输出等于没有 1/√d 缩放的 softmax(QKᵀ)V",
        "grouped_query_attention": no_scale,
    },
    "inverted-mask": {
        "en": "your mask is inverted: True means may attend, so fill the scores where the mask is False",
        "zh": "mask 用反了：True 表示可以关注，应该填充 mask 为 False 的位置",
        "grouped_query_attention": inverted_mask,
    },
    "softmax-wrong-axis": {
        "en": "your softmax runs over the queries (dim=-2); it must run over the keys (dim=-1)",
        "zh": "你的 softmax 沿 query 维（dim=-2）计算；应该沿 key 维（dim=-1）",
        "grouped_query_attention": softmax_over_queries,
    },
}
