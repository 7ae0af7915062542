"""Known mistakes for flash-attention: each variant is the tiled forward pass the way a candidate gets it
wrong. The grader runs a failing input through them to name what went wrong."""

import math

import numpy as np


def _flash(
    q,
    k,
    v,
    causal,
    block_q,
    block_k,
    *,
    scale=True,
    rescale_acc=True,
    rescale_l=True,
    sign=1.0,
    normalised_acc=False,
    visible="diag",
    mask_value=-np.inf,
    drop_key_tail=False,
    lse_with_max=True,
):
    lq, d = q.shape[-2], q.shape[-1]
    lk = k.shape[-2]
    factor = 1.0 / math.sqrt(d) if scale else 1.0
    offset = 0 if visible == "top-left" else lk - lq
    out = np.empty(q.shape[:-1] + (v.shape[-1],), dtype=q.dtype)
    lse = np.empty(q.shape[:-1], dtype=q.dtype)
    key_starts = range(0, lk - block_k + 1, block_k) if drop_key_tail else range(0, lk, block_k)
    for i0 in range(0, lq, block_q):
        i1 = min(i0 + block_q, lq)
        qi = q[..., i0:i1, :]
        m = np.full(qi.shape[:-1], -np.inf, dtype=q.dtype)
        l = np.zeros(qi.shape[:-1], dtype=q.dtype)  # noqa: E741
        acc = np.zeros(qi.shape[:-1] + (v.shape[-1],), dtype=q.dtype)
        for j0 in key_starts:
            j1 = min(j0 + block_k, lk)
            s = (qi @ np.swapaxes(k[..., j0:j1, :], -1, -2)) * factor
            if causal:
                rows = np.arange(i0, i1)[:, None] + offset
                cols = np.arange(j0, j1)[None, :]
                allowed = cols < rows if visible == "strict" else cols <= rows
                s = np.where(allowed, s, mask_value)
            with np.errstate(over="ignore", invalid="ignore"):
                m_new = np.maximum(m, s.max(axis=-1))
                p = np.exp(s - m_new[..., None])
                alpha = np.exp(sign * (m - m_new))
                alpha = np.where(np.isnan(alpha), 0.0, alpha)  # the first block: m = -inf
                l_new = (alpha * l if rescale_l else l) + p.sum(axis=-1)
                if normalised_acc:
                    acc = (alpha[..., None] * acc + p @ v[..., j0:j1, :]) / l_new[..., None]
                else:
                    acc = (alpha[..., None] * acc if rescale_acc else acc) + p @ v[..., j0:j1, :]
            l, m = l_new, m_new  # noqa: E741
        with np.errstate(divide="ignore", invalid="ignore"):
            out[..., i0:i1, :] = acc if normalised_acc else acc / l[..., None]
            lse[..., i0:i1] = m + np.log(l) if lse_with_max else np.log(l)
    return out, lse


def _variant(**options):
    def flash_attention(q, k, v, causal=False, block_q=64, block_k=64):
        return _flash(q, k, v, causal, block_q, block_k, **options)

    return flash_attention


def _scale_q_in_place(q, k, v, causal=False, block_q=64, block_k=64):
    q *= 1.0 / math.sqrt(q.shape[-1])  # the caller's q, scaled
    return _flash(q, k, v, causal, block_q, block_k, scale=False)


def _lse_log2(q, k, v, causal=False, block_q=64, block_k=64):
    out, lse = _flash(q, k, v, causal, block_q, block_k)
    return out, lse / math.log(2.0)


MISTAKES = {
    "no-acc-rescale": {
        "en": "your accumulator O is not rescaled when the row max grows: before adding exp(S − m_new)·V, multiply O by exp(m_old − m_new), as you do for l",
        "zh": "行最大值变大时你没有缩放累加器 O：在加上 exp(S − m_new)·V 之前，要像对 l 那样把 O 乘以 exp(m_old − m_new)",
        "flash_attention": _variant(rescale_acc=False),
    },
    "no-l-rescale": {
        "en": "your running sum l is not rescaled when the row max grows: l_new = exp(m_old − m_new)·l + rowsum(exp(S − m_new))",
        "zh": "行最大值变大时你没有缩放累计和 l：l_new = exp(m_old − m_new)·l + rowsum(exp(S − m_new))",
        "flash_attention": _variant(rescale_l=False),
    },
    "rescale-sign": {
        "en": "you rescaled by exp(m_new − m_old); the old terms shrink when the max grows: multiply by exp(m_old − m_new) ≤ 1",
        "zh": "你用 exp(m_new − m_old) 做了缩放；最大值变大时旧的项应当变小：乘以 exp(m_old − m_new) ≤ 1",
        "flash_attention": _variant(sign=-1.0),
    },
    "normalised-acc-without-l": {
        "en": "you keep O normalised (divided by l at every step) but rescale the old O by exp(m_old − m_new) only; a normalised O must first be multiplied back by l_old — or keep O unnormalised and divide once at the end",
        "zh": "你让 O 在每一步都保持归一化（每步除以 l），但旧的 O 只乘了 exp(m_old − m_new)；归一化的 O 必须先乘回 l_old —— 或者让 O 保持未归一化，最后只除一次",
        "flash_attention": _variant(normalised_acc=True),
    },
    "no-scale": {
        "en": "your scores are q kᵀ without the 1/√d scale",
        "zh": "你的分数是 q kᵀ，少了 1/√d 的缩放",
        "flash_attention": _variant(scale=False),
    },
    "causal-excludes-diagonal": {
        "en": "your causal mask hides the diagonal: query i may attend to key j exactly when j ≤ i + Lk − Lq (itself included)",
        "zh": "你的因果 mask 把对角线也遮住了：查询 i 能关注键 j 当且仅当 j ≤ i + Lk − Lq（包括它自己）",
        "flash_attention": _variant(visible="strict"),
    },
    "causal-top-left": {
        "en": "your causal mask is aligned top-left (j ≤ i); with Lq < Lk the queries are the LAST Lq positions: j ≤ i + Lk − Lq",
        "zh": "你的因果 mask 是左上对齐的（j ≤ i）；当 Lq < Lk 时查询是最后 Lq 个位置：j ≤ i + Lk − Lq",
        "flash_attention": _variant(visible="top-left"),
    },
    "mask-with-zero": {
        "en": "you set masked scores to 0; a score of 0 still gets weight exp(0 − m): masked scores must be −inf (weight exactly 0)",
        "zh": "你把被 mask 的分数设成了 0；分数为 0 仍然有权重 exp(0 − m)：被 mask 的分数必须是 −inf（权重恰好为 0）",
        "flash_attention": _variant(mask_value=0.0),
    },
    "drops-last-key-block": {
        "en": "you skipped the last, shorter block of keys when Lk is not a multiple of block_k; it has to be processed too",
        "zh": "当 Lk 不是 block_k 的整数倍时，你漏掉了最后那个较短的键块；它也必须参与计算",
        "flash_attention": _variant(drop_key_tail=True),
    },
    "lse-base-2": {
        "en": "your lse is in base 2 (log2, as Triton kernels keep it internally); return the natural logsumexp m + ln(l)",
        "zh": "你的 lse 是以 2 为底的（log2，Triton kernel 内部这样存）；应返回自然对数的 logsumexp：m + ln(l)",
        "flash_attention": _lse_log2,
    },
    "scales-q-in-place": {
        "en": "you scaled q in place (q *= 1/√d), changing the caller's queries; scale the scores or a copy: q * (1/√d)",
        "zh": "你原地缩放了 q（q *= 1/√d），改动了调用者的查询；应缩放分数或副本：q * (1/√d)",
        "flash_attention": _scale_q_in_place,
    },
    "lse-missing-max": {
        "en": "your lse is log(l); l is relative to the running max, so lse = m + log(l)",
        "zh": "你的 lse 是 log(l)；l 是相对于累计最大值的，所以 lse = m + log(l)",
        "flash_attention": _variant(lse_with_max=False),
    },
}
