"""Known mistakes for moe-router: each variant routes the tokens or computes the auxiliary loss the way a
candidate gets it wrong. The grader runs a failing input through them to name what went wrong."""

import numpy as np


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _route(x, w_gate, top_k, alpha, *, probs_fn=None, order=None, renorm=True, aux=None):
    logits = x @ w_gate
    probs = _softmax(logits) if probs_fn is None else probs_fn(logits)
    n, e = probs.shape
    idx = np.argsort(-probs, axis=-1, kind="stable")[:, :top_k] if order is None else order(probs, top_k)
    chosen = np.take_along_axis(probs, idx, axis=-1)
    weights = chosen / chosen.sum(axis=-1, keepdims=True) if renorm else chosen
    f = np.bincount(idx.ravel(), minlength=e) / (n * top_k)
    p_mean = probs.mean(axis=0)
    if aux is None:
        loss = alpha * e * float(np.sum(f * p_mean))
    else:
        loss = float(aux(alpha, e, n, f, p_mean, idx, probs, weights))
    return idx.astype(np.int64), weights, loss


def no_renormalisation(x, w_gate, top_k, alpha=0.01):
    return _route(x, w_gate, top_k, alpha, renorm=False)


def aux_f_times_f(x, w_gate, top_k, alpha=0.01):
    return _route(x, w_gate, top_k, alpha, aux=lambda a, e, n, f, p, *_: a * e * np.sum(f * f))


def aux_p_times_p(x, w_gate, top_k, alpha=0.01):
    return _route(x, w_gate, top_k, alpha, aux=lambda a, e, n, f, p, *_: a * e * np.sum(p * p))


def aux_no_e(x, w_gate, top_k, alpha=0.01):
    return _route(x, w_gate, top_k, alpha, aux=lambda a, e, n, f, p, *_: a * np.sum(f * p))


def aux_no_alpha(x, w_gate, top_k, alpha=0.01):
    return _route(x, w_gate, top_k, alpha, aux=lambda a, e, n, f, p, *_: e * np.sum(f * p))


def f_over_tokens(x, w_gate, top_k, alpha=0.01):
    return _route(x, w_gate, top_k, alpha, aux=lambda a, e, n, f, p, *_: a * e * np.sum(f * top_k * p))


def f_top1_only(x, w_gate, top_k, alpha=0.01):
    def aux(a, e, n, f, p, idx, *_):
        f1 = np.bincount(idx[:, 0], minlength=e) / n
        return a * e * np.sum(f1 * p)

    return _route(x, w_gate, top_k, alpha, aux=aux)


def p_from_topk_weights(x, w_gate, top_k, alpha=0.01):
    def aux(a, e, n, f, p, idx, probs, weights):
        scattered = np.zeros_like(probs)
        np.put_along_axis(scattered, idx, weights, axis=-1)
        return a * e * np.sum(f * scattered.mean(axis=0))

    return _route(x, w_gate, top_k, alpha, aux=aux)


def p_summed(x, w_gate, top_k, alpha=0.01):
    return _route(x, w_gate, top_k, alpha, aux=lambda a, e, n, f, p, *_: a * e * np.sum(f * p * n))


def softmax_over_tokens(x, w_gate, top_k, alpha=0.01):
    return _route(x, w_gate, top_k, alpha, probs_fn=lambda z: _softmax(z, axis=0))


def ties_highest_index(x, w_gate, top_k, alpha=0.01):
    return _route(
        x, w_gate, top_k, alpha, order=lambda p, k: np.argsort(p, axis=-1, kind="stable")[:, ::-1][:, :k]
    )


def indices_by_expert_id(x, w_gate, top_k, alpha=0.01):
    def order(p, k):
        return np.sort(np.argsort(-p, axis=-1, kind="stable")[:, :k], axis=-1)

    return _route(x, w_gate, top_k, alpha, order=order)


def unstable_softmax(x, w_gate, top_k, alpha=0.01):
    def probs_fn(z):
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(z)
            return e / e.sum(axis=-1, keepdims=True)

    return _route(x, w_gate, top_k, alpha, probs_fn=probs_fn)


def topk_unordered(x, w_gate, top_k, alpha=0.01):
    """np.argpartition finds the top k but leaves them in no particular order"""
    return _route(
        x, w_gate, top_k, alpha, order=lambda probs, k: np.argpartition(-probs, k - 1, axis=-1)[:, :k]
    )


MISTAKES = {
    "no-renormalisation": {
        "en": "your weights are the raw top-k probabilities; renormalise them to sum to 1 per token (p / p.sum over the chosen k)",
        "zh": "你的权重是未处理的 top-k 概率；应在每个 token 内重新归一化使其和为 1（除以选中 k 个概率之和）",
        "moe_router": no_renormalisation,
    },
    "aux-f-times-f": {
        "en": "your auxiliary loss uses f_i·f_i; it is Σ f_i·P_i — the dispatch fraction times the mean router probability (f has no gradient, P does)",
        "zh": "你的辅助损失用了 f_i·f_i；应为 Σ f_i·P_i —— 分配比例乘以平均路由概率（f 没有梯度，P 有）",
        "moe_router": aux_f_times_f,
    },
    "aux-p-times-p": {
        "en": "your auxiliary loss uses P_i·P_i; it is Σ f_i·P_i, with f_i the fraction of assignments that went to expert i",
        "zh": "你的辅助损失用了 P_i·P_i；应为 Σ f_i·P_i，f_i 是分给专家 i 的分配比例",
        "moe_router": aux_p_times_p,
    },
    "aux-missing-e": {
        "en": "your auxiliary loss lacks the factor E (number of experts): α·E·Σ f_i·P_i, so that a uniform router gives α",
        "zh": "你的辅助损失缺少因子 E（专家数）：α·E·Σ f_i·P_i，这样均匀路由时损失为 α",
        "moe_router": aux_no_e,
    },
    "aux-missing-alpha": {
        "en": "your auxiliary loss is not multiplied by alpha",
        "zh": "你的辅助损失没有乘以 alpha",
        "moe_router": aux_no_alpha,
    },
    "f-over-tokens": {
        "en": "your f_i divides the assignment count by N, not N·top_k (HF Mixtral's convention, top_k times larger); the drill pins Σ f = 1",
        "zh": "你的 f_i 把分配次数除以 N 而不是 N·top_k（HF Mixtral 的约定，大 top_k 倍）；本题规定 Σ f = 1",
        "moe_router": f_over_tokens,
    },
    "f-top1-only": {
        "en": "your f counts only each token's first choice; count all top_k assignments and divide by N·top_k",
        "zh": "你的 f 只统计了每个 token 的第一选择；应统计全部 top_k 次分配并除以 N·top_k",
        "moe_router": f_top1_only,
    },
    "p-from-topk-weights": {
        "en": "your P_i averages the renormalised top-k weights; P_i is the mean of the full softmax probability of expert i over all tokens",
        "zh": "你的 P_i 是重新归一化后 top-k 权重的均值；P_i 应是专家 i 的完整 softmax 概率在所有 token 上的均值",
        "moe_router": p_from_topk_weights,
    },
    "p-summed": {
        "en": "your P_i sums the router probabilities over the tokens; it is their mean",
        "zh": "你的 P_i 是路由概率在 token 上的和；应为均值",
        "moe_router": p_summed,
    },
    "softmax-over-tokens": {
        "en": "your softmax runs over the tokens (axis 0); each token's probabilities are a softmax over the experts (axis -1)",
        "zh": "你的 softmax 沿 token 维（axis 0）计算；每个 token 的概率应是在专家维（axis -1）上的 softmax",
        "moe_router": softmax_over_tokens,
    },
    "ties-highest-index": {
        "en": "among experts of equal probability you put the higher index first (np.argsort(p)[:, ::-1] does; np.argsort(-p) without kind='stable' and np.argpartition may); the drill pins the lower index first: np.argsort(-p, axis=-1, kind='stable')",
        "zh": "概率相同的专家中你把下标大的排在前面（np.argsort(p)[:, ::-1] 会这样；不加 kind='stable' 的 np.argsort(-p) 和 np.argpartition 也可能）；本题规定下标小的在前：np.argsort(-p, axis=-1, kind='stable')",
        "moe_router": ties_highest_index,
    },
    "indices-by-expert-id": {
        "en": "your chosen experts are sorted by expert index; list them in descending order of probability",
        "zh": "你选出的专家按专家下标排序了；应按概率降序排列",
        "moe_router": indices_by_expert_id,
    },
    "unstable-softmax": {
        "en": "your softmax overflows for logits around 1000: subtract the row max before exp",
        "zh": "logits 约为 1000 时你的 softmax 溢出：exp 之前先减去每行最大值",
        "moe_router": unstable_softmax,
    },
    "topk-unordered": {
        "en": "your top-k experts are the right set in the wrong order (np.argpartition does not sort them); list them in descending order of probability, ties to the lower index",
        "zh": "你选出的 top-k 专家集合对了但顺序不对（np.argpartition 不排序）；应按概率从大到小排列，概率相同时下标小的在前",
        "moe_router": topk_unordered,
    },
}
