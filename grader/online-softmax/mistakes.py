"""Known mistakes for online-softmax: each variant is the online update (and the functions built on it) the
way a candidate gets it wrong. The grader runs a failing input through them to name what went wrong."""

import numpy as np


def _guarded(m, s, chunk, rescale_of, m_new=None, sum_all=False):
    chunk_max = chunk.max(axis=-1)
    if m_new is None:
        m_new = np.maximum(m, chunk_max)
    finite = np.isfinite(m_new)
    safe = np.where(finite, m_new, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        rescale = np.where(finite, rescale_of(m, safe), 0.0)
        terms = np.exp(chunk - safe[..., None])
        fresh = terms.sum() if sum_all else terms.sum(axis=-1)
        s_new = np.where(finite, s * rescale + fresh, 0.0)
    return m_new.astype(m.dtype), s_new.astype(s.dtype)


def update_no_rescale(m, s, chunk):
    return _guarded(m, s, chunk, lambda old, new: np.ones_like(new))


def update_rescale_sign(m, s, chunk):
    return _guarded(m, s, chunk, lambda old, new: np.exp(new - old))


def update_chunk_max_only(m, s, chunk):
    return _guarded(m, s, chunk, lambda old, new: np.exp(old - new), m_new=chunk.max(axis=-1))


def update_sum_all_rows(m, s, chunk):
    return _guarded(m, s, chunk, lambda old, new: np.exp(old - new), sum_all=True)


def update_max_all_rows(m, s, chunk):
    return _guarded(m, s, chunk, lambda old, new: np.exp(old - new), m_new=np.maximum(m, chunk.max()))


def update_no_inf_guard(m, s, chunk):
    m_new = np.maximum(m, chunk.max(axis=-1))
    with np.errstate(invalid="ignore"):
        s_new = s * np.exp(m - m_new) + np.exp(chunk - m_new[..., None]).sum(axis=-1)
    return m_new, s_new


def update_no_max_shift(m, s, chunk):
    with np.errstate(over="ignore"):
        return np.maximum(m, chunk.max(axis=-1)), (s + np.exp(chunk).sum(axis=-1)).astype(s.dtype)


def update_in_place(m, s, chunk):
    m_new, s_new = _guarded(m, s, chunk, lambda old, new: np.exp(old - new))
    m[...] = m_new  # the caller's state overwritten
    s[...] = s_new
    return m, s


def update_reference(m, s, chunk):
    return _guarded(m, s, chunk, lambda old, new: np.exp(old - new))


def _lse(x, block, update, m0=-np.inf, chunks=None, shifted=True):
    lead = x.shape[:-1]
    m = np.full(lead, m0, dtype=x.dtype)
    s = np.zeros(lead, dtype=x.dtype)
    n = x.shape[-1]
    for start in chunks if chunks is not None else range(0, n, block):
        m, s = update(m, s, x[..., start : start + block])
    with np.errstate(divide="ignore", invalid="ignore"):
        return m + np.log(s) if shifted else np.log(s)


def _softmax(x, lse):
    with np.errstate(invalid="ignore", over="ignore"):
        return np.exp(x - lse[..., None])


def _pair(update, **kw):
    def lse(x, block=64):
        return _lse(x, block, update, **kw)

    def softmax(x, block=64):
        return _softmax(x, _lse(x, block, update, **kw))

    return update, lse, softmax


def _entries(update, **kw):
    u, lse, sm = _pair(update, **kw)
    return {"online_update": u, "online_logsumexp": lse, "online_softmax": sm}


def lse_missing_max(x, block=64):
    return _lse(x, block, update_reference, shifted=False)


def softmax_missing_max(x, block=64):
    with np.errstate(invalid="ignore", over="ignore"):
        return np.exp(x - lse_missing_max(x, block)[..., None])


def _dropped_chunks(x, block):
    return range(0, x.shape[-1] - block + 1, block)


def lse_drops_last(x, block=64):
    return _lse(x, block, update_reference, chunks=_dropped_chunks(x, block))


def softmax_drops_last(x, block=64):
    return _softmax(x, lse_drops_last(x, block))


def lse_init_zero(x, block=64):
    return _lse(x, block, update_reference, m0=0.0)


def softmax_init_zero(x, block=64):
    return _softmax(x, lse_init_zero(x, block))


def softmax_stale_max(x, block=64):
    """writes exp(x − m) for each chunk with the max known at that time, then divides by the final s."""
    lead = x.shape[:-1]
    m = np.full(lead, -np.inf, dtype=x.dtype)
    s = np.zeros(lead, dtype=x.dtype)
    out = np.empty_like(x)
    for start in range(0, x.shape[-1], block):
        chunk = x[..., start : start + block]
        m, s = update_reference(m, s, chunk)
        with np.errstate(invalid="ignore"):
            out[..., start : start + block] = np.exp(chunk - m[..., None])
    with np.errstate(invalid="ignore"):
        return out / s[..., None]


def softmax_masked_row_zero(x, block=64):
    """turns the NaN of an all −inf row into 0 (np.nan_to_num), as some masked-softmax kernels do."""
    return np.nan_to_num(_softmax(x, _lse(x, block, update_reference)), nan=0.0)


MISTAKES = {
    "no-rescale": {
        "en": "your running sum is not rescaled when the max grows: s must become s·exp(m_old − m_new) + Σ exp(chunk − m_new)",
        "zh": "最大值变大时你没有缩放累计和：s 应变为 s·exp(m_old − m_new) + Σ exp(chunk − m_new)",
        **_entries(update_no_rescale),
    },
    "rescale-sign": {
        "en": "you rescaled the running sum by exp(m_new − m_old); the old terms shrink: multiply by exp(m_old − m_new) ≤ 1",
        "zh": "你用 exp(m_new − m_old) 缩放了累计和；旧的项应当变小：乘以 exp(m_old − m_new) ≤ 1",
        **_entries(update_rescale_sign),
    },
    "chunk-max-only": {
        "en": "your new max is the chunk's max alone; the running max is max(m_old, max(chunk)) — otherwise exp(m_old − m_new) can overflow",
        "zh": "你的新最大值只取了这一块的最大值；累计最大值应为 max(m_old, max(chunk)) —— 否则 exp(m_old − m_new) 会溢出",
        **_entries(update_chunk_max_only),
    },
    "sum-over-all-rows": {
        "en": "your update sums exp over the whole chunk (every row together); each row keeps its own sum: sum over the last axis only",
        "zh": "你的更新把整个块（所有行一起）的 exp 加在了一起；每一行要有自己的和：只沿最后一维求和",
        **_entries(update_sum_all_rows),
    },
    "no-inf-guard": {
        "en": "a row that has seen only −inf gets NaN: exp(−inf − (−inf)) is NaN; keep m = −inf and s = 0 until a finite value arrives",
        "zh": "只见过 −inf 的行得到了 NaN：exp(−inf − (−inf)) 是 NaN；在出现有限值之前要保持 m = −inf、s = 0",
        **_entries(update_no_inf_guard),
    },
    "modifies-state": {
        "en": "online_update writes the new m and s into the arrays it was given (m[...] = …, s *= …); return new arrays and leave the caller's state as it was",
        "zh": "online_update 把新的 m 和 s 写进了传入的数组（m[...] = …、s *= …）；应返回新数组，调用者的状态保持不变",
        "online_update": update_in_place,
    },
    "max-over-all-rows": {
        "en": "your running max is the max over the whole chunk array (every row together); each row needs its own max: max over the last axis",
        "zh": "你的累计最大值取的是整个块数组（所有行一起）的最大值；每一行要有自己的最大值：只沿最后一维取 max",
        **_entries(update_max_all_rows),
    },
    "init-m-zero": {
        "en": "you started the running max at 0; start it at −inf (with s = 0), or rows far below 0 underflow to log(0)",
        "zh": "你把累计最大值的初值设成了 0；应从 −inf 开始（s = 0），否则远小于 0 的行会下溢成 log(0)",
        "online_logsumexp": lse_init_zero,
        "online_softmax": softmax_init_zero,
    },
    "no-max-shift": {
        "en": "your running sum adds exp(x) without subtracting the running max, which overflows for large x; keep s = Σ exp(x − m)",
        "zh": "你的累计和直接加 exp(x)，没有减去累计最大值，x 很大时会溢出；应保持 s = Σ exp(x − m)",
        **_entries(update_no_max_shift, shifted=False),
    },
    "lse-missing-max": {
        "en": "your logsumexp returns log(s); s is relative to the running max, so logsumexp = m + log(s)",
        "zh": "你的 logsumexp 返回的是 log(s)；s 是相对于累计最大值的，所以 logsumexp = m + log(s)",
        "online_logsumexp": lse_missing_max,
        "online_softmax": softmax_missing_max,
    },
    "drops-last-chunk": {
        "en": "you skipped the last, shorter chunk when n is not a multiple of block; it has to be folded in too",
        "zh": "当 n 不是 block 的整数倍时，你漏掉了最后那个较短的块；它也必须合并进来",
        "online_logsumexp": lse_drops_last,
        "online_softmax": softmax_drops_last,
    },
    "stale-max-output": {
        "en": "you wrote exp(x − m) for each chunk with the max known at that time and divided by the final s at the end; earlier chunks used an older max: compute the output after the pass, as exp(x − logsumexp)",
        "zh": "你在处理每一块时就用当时已知的最大值写出了 exp(x − m)，最后再除以最终的 s；但前面的块用的是更旧的最大值：应在遍历结束后再算输出，即 exp(x − logsumexp)",
        "online_softmax": softmax_stale_max,
    },
    "masked-row-zero": {
        "en": "your softmax of a row that is −inf throughout is 0; this drill pins NaN there (0/0, as torch.softmax gives), so that a fully masked row is not hidden",
        "zh": "你对一整行都是 −inf 的行给出的 softmax 是 0；本题规定这种行的结果为 NaN（0/0，与 torch.softmax 一致），这样全被遮蔽的行不会被悄悄掩盖",
        "online_softmax": softmax_masked_row_zero,
    },
}
