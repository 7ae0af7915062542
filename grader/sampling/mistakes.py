"""Known mistakes for sampling: each function filters the logits the way a candidate gets it wrong.
The grader runs a failing input through them to name what went wrong."""

import numpy as np


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _top_k(z, k):
    if 0 < k < z.shape[-1]:
        kth = np.sort(z, axis=-1)[..., -k, None]
        z = np.where(z >= kth, z, -np.inf)
    return z


def _top_p_mask(probs, p):
    """Keep-mask of the correct rule: everything at least as probable as the crossing token."""
    desc = -np.sort(-probs, axis=-1)
    reached = np.cumsum(desc, axis=-1) >= p
    reached[..., -1] = True
    thr = np.take_along_axis(desc, np.argmax(reached, axis=-1)[..., None], axis=-1)
    return probs >= thr


def _sorted_prefix_mask(probs, p, keep_crossing=True, ascending=False, reverse_ties=False):
    """Keep-mask by walking the tokens in a sorted order (ties: lower index first, or last if reverse_ties)."""
    if reverse_ties:  # np.argsort(probs)[..., ::-1]: descending, ties from the higher index
        order = np.argsort(probs, axis=-1, kind="stable")[..., ::-1]
    else:
        order = np.argsort(probs if ascending else -probs, axis=-1, kind="stable")
    sorted_probs = np.take_along_axis(probs, order, axis=-1)
    cum = np.cumsum(sorted_probs, axis=-1)
    if keep_crossing:
        keep_sorted = (cum - sorted_probs) < p  # everything up to and including the crossing token
    else:
        keep_sorted = cum < p  # stops before the crossing token
        keep_sorted[..., 0] = True  # … but keeps at least one
    mask = np.zeros_like(keep_sorted)
    np.put_along_axis(mask, order, keep_sorted, axis=-1)
    return mask


def _apply(z, mask):
    return np.where(mask, z, -np.inf)


def excludes_crossing(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = _top_k(logits / temperature, top_k)
    if top_p < 1.0:
        z = _apply(z, _sorted_prefix_mask(_softmax(z), top_p, keep_crossing=False))
    return z


def top_p_ties_dropped(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = _top_k(logits / temperature, top_k)
    if top_p < 1.0:
        z = _apply(z, _sorted_prefix_mask(_softmax(z), top_p))
    return z


def top_p_ties_dropped_reversed(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = _top_k(logits / temperature, top_k)
    if top_p < 1.0:
        z = _apply(z, _sorted_prefix_mask(_softmax(z), top_p, reverse_ties=True))
    return z


def ascending_sort(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = _top_k(logits / temperature, top_k)
    if top_p < 1.0:
        probs = _softmax(z)
        z = _apply(z, _sorted_prefix_mask(probs, top_p, ascending=True) & (probs > 0))
    return z


def temperature_after_filtering(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = _top_k(logits, top_k)
    if top_p < 1.0:
        z = _apply(z, _top_p_mask(_softmax(z), top_p))
    return z / temperature


def no_temperature(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = _top_k(logits, top_k)
    if top_p < 1.0:
        z = _apply(z, _top_p_mask(_softmax(z), top_p))
    return z


def temperature_multiplied(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = _top_k(logits * temperature, top_k)
    if top_p < 1.0:
        z = _apply(z, _top_p_mask(_softmax(z), top_p))
    return z


def top_k_strict(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = logits / temperature
    if 0 < top_k < z.shape[-1]:
        kth = np.sort(z, axis=-1)[..., -top_k, None]
        z = np.where(z > kth, z, -np.inf)
    if top_p < 1.0:
        z = _apply(z, _top_p_mask(_softmax(z), top_p))
    return z


def top_k_ties_dropped(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = logits / temperature
    if 0 < top_k < z.shape[-1]:
        order = np.argsort(-z, axis=-1, kind="stable")[..., :top_k]
        mask = np.zeros(z.shape, dtype=bool)
        np.put_along_axis(mask, order, True, axis=-1)
        z = _apply(z, mask)
    if top_p < 1.0:
        z = _apply(z, _top_p_mask(_softmax(z), top_p))
    return z


def top_k_ties_dropped_reversed(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = logits / temperature
    if 0 < top_k < z.shape[-1]:
        order = np.argsort(z, axis=-1, kind="stable")[..., -top_k:]  # the usual argsort(z)[-k:]
        mask = np.zeros(z.shape, dtype=bool)
        np.put_along_axis(mask, order, True, axis=-1)
        z = _apply(z, mask)
    if top_p < 1.0:
        z = _apply(z, _top_p_mask(_softmax(z), top_p))
    return z


def top_p_on_full_distribution(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = logits / temperature
    mask = np.ones(z.shape, dtype=bool)
    if top_p < 1.0:
        mask = _top_p_mask(_softmax(z), top_p)
    return _apply(_top_k(z, top_k), mask)


def zero_not_inf(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = _top_k(logits / temperature, top_k)
    if top_p < 1.0:
        z = _apply(z, _top_p_mask(_softmax(z), top_p))
    return np.where(np.isinf(z), 0.0, z)


def unstable_softmax(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = _top_k(logits / temperature, top_k)
    if top_p < 1.0:
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(z)
            probs = e / e.sum(axis=-1, keepdims=True)
        z = _apply(z, _top_p_mask(probs, top_p))
    return z


MISTAKES = {
    "excludes-crossing-token": {
        "en": "your top-p stops before the token whose probability makes the running sum reach p; that token is kept too",
        "zh": "你的 top-p 在使累计概率达到 p 的那个 token 之前就停了；那个 token 也要保留",
        "filter_logits": excludes_crossing,
    },
    "top-p-ties-dropped": {
        "en": "your top-p keeps only a prefix of the sorted order; tokens exactly as probable as the crossing token must be kept as well",
        "zh": "你的 top-p 只保留了排序后的一个前缀；与临界 token 概率完全相同的 token 也必须保留",
        "filter_logits": top_p_ties_dropped,
    },
    "top-p-ties-dropped-reversed": {
        "en": "your top-p keeps only a prefix of the sorted order (ties ordered from the higher index); tokens exactly as probable as the crossing token must be kept as well",
        "zh": "你的 top-p 只保留了排序后的一个前缀（并列时下标大的在前）；与临界 token 概率完全相同的 token 也必须保留",
        "filter_logits": top_p_ties_dropped_reversed,
    },
    "ascending-sort": {
        "en": "your top-p accumulates the probabilities in ascending order; start from the most probable token",
        "zh": "你的 top-p 按概率升序累加；应从概率最大的 token 开始累加",
        "filter_logits": ascending_sort,
    },
    "temperature-after-filtering": {
        "en": "your top-p uses the probabilities of the unscaled logits (temperature applied after filtering); divide by the temperature first",
        "zh": "你的 top-p 用的是未缩放 logits 的概率（温度在过滤之后才用）；应先除以温度",
        "filter_logits": temperature_after_filtering,
    },
    "no-temperature": {
        "en": "your result ignores the temperature: divide the logits by it first (the kept entries are logits / temperature)",
        "zh": "你的结果忽略了温度：应先把 logits 除以温度（保留下来的值等于 logits / temperature）",
        "filter_logits": no_temperature,
    },
    "temperature-multiplied": {
        "en": "you multiplied the logits by the temperature; divide by it (T < 1 sharpens the distribution)",
        "zh": "你把 logits 乘以了温度；应该除以温度（T < 1 使分布更尖锐）",
        "filter_logits": temperature_multiplied,
    },
    "top-k-keeps-k-minus-1": {
        "en": "your top-k keeps only the entries strictly above the k-th largest value (k − 1 tokens); keep every entry >= it",
        "zh": "你的 top-k 只保留严格大于第 k 大值的元素（只有 k − 1 个）；应保留所有 >= 第 k 大值的元素",
        "filter_logits": top_k_strict,
    },
    "top-k-ties-dropped": {
        "en": "your top-k keeps exactly k entries; entries equal to the k-th largest value must all be kept",
        "zh": "你的 top-k 恰好保留 k 个；等于第 k 大值的元素都必须保留",
        "filter_logits": top_k_ties_dropped,
    },
    "top-k-ties-dropped-reversed": {
        "en": "your top-k keeps exactly k entries (argsort(z)[-k:]); entries equal to the k-th largest value must all be kept",
        "zh": "你的 top-k 恰好保留 k 个（argsort(z)[-k:]）；等于第 k 大值的元素都必须保留",
        "filter_logits": top_k_ties_dropped_reversed,
    },
    "top-p-on-full-distribution": {
        "en": "your top-p uses the softmax over all tokens; apply top-k first and take the softmax over the tokens it kept",
        "zh": "你的 top-p 用的是所有 token 上的 softmax；应先做 top-k，再在保留下来的 token 上做 softmax",
        "filter_logits": top_p_on_full_distribution,
    },
    "zero-not-inf": {
        "en": "you set removed entries to 0; set them to -inf so that softmax gives them probability 0",
        "zh": "你把被移除的位置设成了 0；应设为 -inf，这样 softmax 给它们的概率才是 0",
        "filter_logits": zero_not_inf,
    },
    "unstable-softmax": {
        "en": "your softmax overflows on large logits: subtract the row max before exp",
        "zh": "你的 softmax 在 logits 很大时溢出：exp 之前先减去每行的最大值",
        "filter_logits": unstable_softmax,
    },
}
