"""Known mistakes for the causal-attention drill. Each mask mistake binds both entries: the mask itself and
an attention that uses it, so a wrong `causal_attention` is named even when `causal_mask` is right."""

import math

import torch


def _attend(q, k, v, allowed, scale=True):
    scores = q @ k.transpose(-2, -1)
    if scale:
        scores = scores / math.sqrt(q.size(-1))
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def strict_mask(lq, lk):
    return torch.ones(lq, lk, dtype=torch.bool).tril(diagonal=lk - lq - 1)


def strict_attention(q, k, v):
    return _attend(q, k, v, strict_mask(q.size(-2), k.size(-2)))


def future_mask(lq, lk):
    return torch.ones(lq, lk, dtype=torch.bool).triu(diagonal=lk - lq)


def future_attention(q, k, v):
    return _attend(q, k, v, future_mask(q.size(-2), k.size(-2)))


def blocked_mask(lq, lk):
    # the "True = masked out" convention of torch.nn.MultiheadAttention: the complement of the answer
    return torch.ones(lq, lk, dtype=torch.bool).triu(diagonal=lk - lq + 1)


def blocked_attention(q, k, v):
    return _attend(q, k, v, blocked_mask(q.size(-2), k.size(-2)))


def top_left_mask(lq, lk):
    return torch.ones(lq, lk, dtype=torch.bool).tril()


def top_left_attention(q, k, v):
    return _attend(q, k, v, top_left_mask(q.size(-2), k.size(-2)))


def no_scale(q, k, v):
    lq, lk = q.size(-2), k.size(-2)
    return _attend(q, k, v, torch.ones(lq, lk, dtype=torch.bool).tril(diagonal=lk - lq), scale=False)


def scale_by_dk(q, k, v):
    lq, lk = q.size(-2), k.size(-2)
    scores = q @ k.transpose(-2, -1) / q.size(-1)
    scores = scores.masked_fill(~torch.ones(lq, lk, dtype=torch.bool).tril(diagonal=lk - lq), float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def no_mask(q, k, v):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    return torch.softmax(scores, dim=-1) @ v


def masked_scores_zero(q, k, v):
    lq, lk = q.size(-2), k.size(-2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores * torch.ones(lq, lk, dtype=torch.bool).tril(diagonal=lk - lq)
    return torch.softmax(scores, dim=-1) @ v


def mask_after_softmax(q, k, v):
    lq, lk = q.size(-2), k.size(-2)
    w = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)), dim=-1)
    return (w * torch.ones(lq, lk, dtype=torch.bool).tril(diagonal=lk - lq)) @ v


MISTAKES = {
    "diagonal-masked": {
        "en": "your mask hides the diagonal too: a token must be allowed to attend to itself (keys j ≤ i + Lk − Lq, not <)",
        "zh": "你的 mask 把对角线也遮住了：每个 token 必须能关注它自己（key j ≤ i + Lk − Lq，而不是 <）",
        "causal_mask": strict_mask,
        "causal_attention": strict_attention,
    },
    "future-visible": {
        "en": "your mask lets queries see the future: you kept the upper triangle (triu) where the lower one (tril) is allowed",
        "zh": "你的 mask 让 query 看到了未来：保留了上三角（triu），允许关注的应是下三角（tril）",
        "causal_mask": future_mask,
        "causal_attention": future_attention,
    },
    "mask-convention-inverted": {
        "en": "you returned the positions to BLOCK (the nn.MultiheadAttention convention); here True means may attend",
        "zh": "你返回的是要屏蔽的位置（nn.MultiheadAttention 的约定）；这里 True 表示可以关注",
        "causal_mask": blocked_mask,
        "causal_attention": blocked_attention,
    },
    "top-left-aligned": {
        "en": "your mask is aligned top-left: with Lq < Lk the queries are the LAST Lq positions, so shift the triangle by Lk − Lq (tril(diagonal=Lk − Lq))",
        "zh": "你的 mask 是左上角对齐的：Lq < Lk 时 query 是序列的最后 Lq 个位置，三角要平移 Lk − Lq（tril(diagonal=Lk − Lq)）",
        "causal_mask": top_left_mask,
        "causal_attention": top_left_attention,
    },
    "no-scale": {
        "en": "your output equals causal softmax(QKᵀ)V without the 1/√d_k scale",
        "zh": "你的输出等于没有 1/√d_k 缩放的因果 softmax(QKᵀ)V",
        "causal_attention": no_scale,
    },
    "scale-by-dk": {
        "en": "you divided the scores by d_k instead of √d_k (the softmax comes out too flat)",
        "zh": "你把分数除以了 d_k 而不是 √d_k（softmax 过于平坦）",
        "causal_attention": scale_by_dk,
    },
    "mask-not-applied": {
        "en": "your attention ignores the causal mask: every query sees every key",
        "zh": "你的注意力没有用上因果 mask：每个 query 都看到了所有 key",
        "causal_attention": no_mask,
    },
    "masked-scores-zero": {
        "en": "you multiplied the scores by the mask, so masked scores are 0 and still get weight; fill them with -inf",
        "zh": "你把分数乘以了 mask，被遮住的分数变成 0，仍然有权重；应填成 -inf",
        "causal_attention": masked_scores_zero,
    },
    "mask-after-softmax": {
        "en": "you applied the mask after the softmax, so the weights no longer sum to 1; fill the scores with -inf before it",
        "zh": "你在 softmax 之后才乘 mask，权重之和不再是 1；应在 softmax 之前把分数填成 -inf",
        "causal_attention": mask_after_softmax,
    },
}
