"""Known mistakes for the attention drill: each entry re-implements the function the way a candidate gets
it wrong. The grader runs the failing input through these to name what went wrong."""

import math

import torch


def no_scale(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    w = torch.softmax(scores, dim=-1)
    return w @ v, w


def scale_by_dk(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / q.size(-1)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    w = torch.softmax(scores, dim=-1)
    return w @ v, w


def softmax_over_queries(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    w = torch.softmax(scores, dim=-2)
    return w @ v, w


def inverted_mask(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))
    w = torch.softmax(scores, dim=-1)
    return w @ v, w


def mask_after_softmax(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    w = torch.softmax(scores, dim=-1)
    if mask is not None:
        w = w * mask
    return w @ v, w


def masked_scores_zero(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if mask is not None:
        scores = scores.masked_fill(~mask, 0.0)
    w = torch.softmax(scores, dim=-1)
    return w @ v, w


def unstable_softmax(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    e = torch.exp(scores)
    if mask is not None:
        e = e * mask
    w = e / e.sum(-1, keepdim=True)
    return w @ v, w


MISTAKES = {
    "no-scale": {
        "en": "your output equals softmax(QKᵀ)V without the 1/√d_k scale",
        "zh": "你的输出等于没有 1/√d_k 缩放的 softmax(QKᵀ)V",
        "scaled_dot_product_attention": no_scale,
    },
    "scale-by-dk": {
        "en": "you divided the scores by d_k instead of √d_k (the softmax comes out too flat)",
        "zh": "你把分数除以了 d_k 而不是 √d_k（softmax 过于平坦）",
        "scaled_dot_product_attention": scale_by_dk,
    },
    "softmax-wrong-axis": {
        "en": "your softmax runs over the queries (dim=-2); it must run over the keys (dim=-1)",
        "zh": "你的 softmax 沿 query 维（dim=-2）计算；应该沿 key 维（dim=-1）",
        "scaled_dot_product_attention": softmax_over_queries,
    },
    "inverted-mask": {
        "en": "your mask is inverted: True means may attend, so fill where the mask is False",
        "zh": "mask 用反了：True 表示可以关注，应该填充 mask 为 False 的位置",
        "scaled_dot_product_attention": inverted_mask,
    },
    "mask-after-softmax": {
        "en": "you applied the mask after the softmax: the rows no longer sum to 1; fill the scores with -inf before it",
        "zh": "你在 softmax 之后才乘 mask：每行不再和为 1；应在 softmax 之前把分数填成 -inf",
        "scaled_dot_product_attention": mask_after_softmax,
    },
    "masked-scores-zero": {
        "en": "you set masked scores to 0, which still gives them weight; set them to -inf",
        "zh": "你把被 mask 的分数设成了 0，它们仍有权重；应设为 -inf",
        "scaled_dot_product_attention": masked_scores_zero,
    },
    "unstable-softmax": {
        "en": "your softmax overflows on large scores: subtract the row max before exp (or use torch.softmax)",
        "zh": "你的 softmax 在分数很大时溢出：exp 之前先减去每行最大值（或直接用 torch.softmax）",
        "scaled_dot_product_attention": unstable_softmax,
    },
}
