"""Known mistakes for the sliding-window-attention drill: each variant builds the band the way candidates get
it wrong, or uses it wrongly. (Helpers are prefixed with _m_ so they never shadow the reference's names.)"""

import math

import torch


def _m_pos(lq, lk, aligned=True):
    pos = torch.arange(lq).unsqueeze(1) + ((lk - lq) if aligned else 0)
    return pos, torch.arange(lk).unsqueeze(0)


def _m_attend(q, k, v, allowed, scale=None, fill=float("-inf")):
    scale = math.sqrt(q.size(-1)) if scale is None else scale
    scores = q @ k.transpose(-2, -1) / scale
    w = torch.softmax(scores.masked_fill(~allowed, fill), dim=-1)
    return w @ v, w


def softmax_over_queries(q, k, v, window):
    allowed = _m_band(q, k, window)
    scores = (q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))).masked_fill(~allowed, float("-inf"))
    w = torch.nan_to_num(torch.softmax(scores, dim=-2))  # a column with no allowed query is all -inf: NaN
    return w @ v, w


def _m_band(q, k, window, lower_inclusive=False, causal=True, two_sided=False, aligned=True, narrow=False):
    pos, key = _m_pos(q.size(-2), k.size(-2), aligned)
    if two_sided:
        return (pos - key).abs() < window
    lo = key >= pos - window if lower_inclusive else key > pos - window + (1 if narrow else 0)
    return lo & (key <= pos) if causal else lo


def window_plus_one(q, k, v, window):
    return _m_attend(q, k, v, _m_band(q, k, window, lower_inclusive=True))


def window_minus_one(q, k, v, window):
    return _m_attend(q, k, v, _m_band(q, k, window, narrow=True))


def two_sided_window(q, k, v, window):
    return _m_attend(q, k, v, _m_band(q, k, window, two_sided=True))


def future_visible(q, k, v, window):
    return _m_attend(q, k, v, _m_band(q, k, window, causal=False))


def top_left_aligned(q, k, v, window):
    return _m_attend(q, k, v, _m_band(q, k, window, aligned=False))


def window_ignored(q, k, v, window):
    pos, key = _m_pos(q.size(-2), k.size(-2))
    return _m_attend(q, k, v, key <= pos)


def no_scale(q, k, v, window):
    return _m_attend(q, k, v, _m_band(q, k, window), scale=1.0)


def scale_by_dk(q, k, v, window):
    return _m_attend(q, k, v, _m_band(q, k, window), scale=float(q.size(-1)))


def masked_scores_zero(q, k, v, window):
    return _m_attend(q, k, v, _m_band(q, k, window), fill=0.0)


def mask_after_softmax(q, k, v, window):
    allowed = _m_band(q, k, window)
    w = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)), dim=-1) * allowed
    return w @ v, w


MISTAKES = {
    "softmax-over-queries": {
        "en": "your softmax runs over the queries (dim −2); each query's weights over the keys must sum to 1: softmax over the last dim",
        "zh": "你的 softmax 是沿查询维（dim −2）做的；每个查询对各个键的权重之和应为 1：应沿最后一维做 softmax",
        "sliding_window_attention": softmax_over_queries,
    },
    "window-plus-one": {
        "en": "your window keeps W + 1 keys (j ≥ p − W, the convention of Mistral's original reference code); here W counts the token itself: p − W < j ≤ p",
        "zh": "你的窗口保留了 W + 1 个 key（j ≥ p − W，Mistral 最初参考代码的约定）；本题的 W 包含 token 自己：p − W < j ≤ p",
        "sliding_window_attention": window_plus_one,
    },
    "window-minus-one": {
        "en": "your window keeps only W − 1 keys; it holds W keys, the token itself included: p − W < j ≤ p",
        "zh": "你的窗口只保留了 W − 1 个 key；窗口应有 W 个 key（包括 token 自己）：p − W < j ≤ p",
        "sliding_window_attention": window_minus_one,
    },
    "two-sided-window": {
        "en": "your window is two-sided (|p − j| < W): it lets queries see up to W − 1 future keys; the window is causal, p − W < j ≤ p",
        "zh": "你的窗口是双向的（|p − j| < W）：query 能看到最多 W − 1 个未来的 key；窗口必须是因果的：p − W < j ≤ p",
        "sliding_window_attention": two_sided_window,
    },
    "future-visible": {
        "en": "your mask only cuts keys older than the window: queries see every future key; also require j ≤ p",
        "zh": "你的 mask 只去掉了窗口之前的旧 key：query 能看到所有未来的 key；还要求 j ≤ p",
        "sliding_window_attention": future_visible,
    },
    "top-left-aligned": {
        "en": "your band is aligned top-left: with Lq < Lk the queries are the LAST Lq positions, so query i is at p = i + Lk − Lq",
        "zh": "你的带状 mask 是左上角对齐的：Lq < Lk 时 query 是最后 Lq 个位置，query i 位于 p = i + Lk − Lq",
        "sliding_window_attention": top_left_aligned,
    },
    "window-ignored": {
        "en": "your attention is plain causal attention: keys further back than the window (j ≤ p − W) must get weight 0",
        "zh": "你的注意力只是普通的因果注意力：比窗口更早的 key（j ≤ p − W）权重必须为 0",
        "sliding_window_attention": window_ignored,
    },
    "no-scale": {
        "en": "your scores are q·k without the 1/√d_k scale",
        "zh": "你的分数是 q·k，少了 1/√d_k 的缩放",
        "sliding_window_attention": no_scale,
    },
    "scale-by-dk": {
        "en": "you divided the scores by d_k instead of √d_k",
        "zh": "你把分数除以了 d_k 而不是 √d_k",
        "sliding_window_attention": scale_by_dk,
    },
    "masked-scores-zero": {
        "en": "you set the masked scores to 0, so masked keys still get weight; fill them with -inf before the softmax",
        "zh": "你把被遮住的分数设成了 0，被遮住的 key 仍然有权重；应在 softmax 之前填成 -inf",
        "sliding_window_attention": masked_scores_zero,
    },
    "mask-after-softmax": {
        "en": "you applied the mask after the softmax, so the weights no longer sum to 1; fill the scores with -inf before it",
        "zh": "你在 softmax 之后才乘 mask，权重之和不再是 1；应在 softmax 之前把分数填成 -inf",
        "sliding_window_attention": mask_after_softmax,
    },
}
