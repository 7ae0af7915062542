"""Known mistakes for the info-nce drill: the contrastive loss written the way candidates get it wrong.
(Helpers are prefixed with _m_ so they never shadow the reference's own names.)"""

import torch
import torch.nn.functional as F


def _m_unit(x, dim=-1):
    return x / x.norm(dim=dim, keepdim=True)


def _m_ce_rows(logits, labels=None, reduction="mean"):
    n = logits.shape[0]
    labels = torch.arange(n) if labels is None else labels
    per_row = torch.logsumexp(logits, dim=1) - logits[torch.arange(n), labels]
    return per_row.mean() if reduction == "mean" else per_row.sum()


def _m_loss(logits, symmetric, **how):
    ab = _m_ce_rows(logits, **how)
    if not symmetric:
        return ab
    return (ab + _m_ce_rows(logits.T, **how)) / 2


def no_normalize(a, b, temperature=0.07, symmetric=False):
    return _m_loss(a @ b.T / temperature, symmetric)


def temperature_multiplied(a, b, temperature=0.07, symmetric=False):
    return _m_loss(_m_unit(a) @ _m_unit(b).T * temperature, symmetric)


def normalize_wrong_axis(a, b, temperature=0.07, symmetric=False):
    return _m_loss(_m_unit(a, 0) @ _m_unit(b, 0).T / temperature, symmetric)


def labels_zero(a, b, temperature=0.07, symmetric=False):
    logits = _m_unit(a) @ _m_unit(b).T / temperature
    zeros = torch.zeros(logits.shape[0], dtype=torch.long)
    return _m_loss(logits, symmetric, labels=zeros)


def softmax_over_dim0(a, b, temperature=0.07, symmetric=False):
    logits = _m_unit(a) @ _m_unit(b).T / temperature
    # log-softmax over the batch axis (columns) in the a→b direction: that is the b→a loss
    ab = -torch.log_softmax(logits, dim=0).diagonal().mean()
    if not symmetric:
        return ab
    return (ab - torch.log_softmax(logits.T, dim=0).diagonal().mean()) / 2


def one_direction(a, b, temperature=0.07, symmetric=False):
    return _m_loss(_m_unit(a) @ _m_unit(b).T / temperature, False)


def symmetric_sum(a, b, temperature=0.07, symmetric=False):
    logits = _m_unit(a) @ _m_unit(b).T / temperature
    ab = _m_ce_rows(logits)
    return ab + _m_ce_rows(logits.T) if symmetric else ab


def positive_not_in_denominator(a, b, temperature=0.07, symmetric=False):
    # the log-sum-exp runs over the negatives only (the "decoupled" contrastive loss), not over the whole row
    logits = _m_unit(a) @ _m_unit(b).T / temperature
    n = logits.shape[0]
    if n < 2:
        raise ValueError("no negatives")
    negatives = logits.masked_fill(torch.eye(n, dtype=torch.bool), float("-inf"))
    diag = logits.diagonal()
    ab = (torch.logsumexp(negatives, dim=1) - diag).mean()
    if not symmetric:
        return ab
    return (ab + (torch.logsumexp(negatives, dim=0) - diag).mean()) / 2


def sum_not_mean(a, b, temperature=0.07, symmetric=False):
    return _m_loss(_m_unit(a) @ _m_unit(b).T / temperature, symmetric, reduction="sum")


def positives_only(a, b, temperature=0.07, symmetric=False):
    return -((_m_unit(a) * _m_unit(b)).sum(dim=-1) / temperature).mean()


def log_of_softmax(a, b, temperature=0.07, symmetric=False):
    logits = _m_unit(a) @ _m_unit(b).T / temperature
    e = torch.exp(logits)
    ab = -torch.log(e.diagonal() / e.sum(dim=1)).mean()
    if not symmetric:
        return ab
    return (ab - torch.log(e.diagonal() / e.sum(dim=0)).mean()) / 2


def cross_entropy_on_cosine(a, b, temperature=0.07, symmetric=False):
    # the temperature forgotten altogether
    return _m_loss(F.normalize(a, dim=-1) @ F.normalize(b, dim=-1).T, symmetric)


def normalizes_in_place(a, b, temperature=0.07, symmetric=False):
    a.div_(a.norm(dim=-1, keepdim=True))
    b.div_(b.norm(dim=-1, keepdim=True))
    return _m_loss(a @ b.T / temperature, symmetric)


MISTAKES = {
    "positive-not-in-denominator": {
        "en": "your log-sum-exp leaves out the positive (it runs over the negatives j ≠ i only); InfoNCE is a cross-entropy over the whole row, positive included",
        "zh": "你的 log-sum-exp 漏掉了正样本（只对 j ≠ i 的负样本求和）；InfoNCE 是对整行（含正样本）的交叉熵",
        "info_nce": positive_not_in_denominator,
    },
    "no-normalize": {
        "en": "you used the raw dot products a·b: L2-normalise each embedding (row) first, so the logits are cosine similarities / τ",
        "zh": "你用的是原始点积 a·b：要先对每个 embedding（每一行）做 L2 归一化，logits 才是余弦相似度 / τ",
        "info_nce": no_normalize,
    },
    "temperature-multiplied": {
        "en": "you multiplied the similarities by the temperature; divide by it (a small τ sharpens the softmax)",
        "zh": "你把相似度乘以了温度；应除以温度（τ 越小 softmax 越尖锐）",
        "info_nce": temperature_multiplied,
    },
    "no-temperature": {
        "en": "your logits are the cosine similarities without the temperature: divide them by τ",
        "zh": "你的 logits 是没有除以温度的余弦相似度：要除以 τ",
        "info_nce": cross_entropy_on_cosine,
    },
    "normalize-wrong-axis": {
        "en": "you normalised along the batch axis (dim 0); each embedding is a row: normalise along the feature dim (dim=-1)",
        "zh": "你沿 batch 维（dim 0）做了归一化；每个 embedding 是一行：应沿特征维（dim=-1）归一化",
        "info_nce": normalize_wrong_axis,
    },
    "labels-zero": {
        "en": "your targets are all 0 (the MoCo layout, where the positive is put in column 0); with in-batch logits a·bᵀ the positive of row i is column i: labels = arange(N)",
        "zh": "你的标签全是 0（MoCo 的写法，正样本放在第 0 列）；用 batch 内 logits a·bᵀ 时第 i 行的正样本在第 i 列：labels = arange(N)",
        "info_nce": labels_zero,
    },
    "softmax-over-dim0": {
        "en": "your a→b loss normalises over the batch axis (dim 0), which is the b→a loss; row i (a_i) chooses among all b: softmax over dim 1",
        "zh": "你的 a→b 损失在 batch 维（dim 0）上做归一化，那其实是 b→a 的损失；第 i 行（a_i）要在所有 b 中做选择：在 dim 1 上做 softmax",
        "info_nce": softmax_over_dim0,
    },
    "one-direction": {
        "en": "with symmetric=True you returned only the a→b loss; average it with the b→a loss (cross-entropy over the columns, i.e. of logitsᵀ)",
        "zh": "symmetric=True 时你只返回了 a→b 的损失；要与 b→a 的损失（对列做交叉熵，即对 logitsᵀ）取平均",
        "info_nce": one_direction,
    },
    "symmetric-sum": {
        "en": "with symmetric=True you added the two directions; the loss is their mean: (L_a→b + L_b→a) / 2",
        "zh": "symmetric=True 时你把两个方向的损失相加了；应取平均：(L_a→b + L_b→a) / 2",
        "info_nce": symmetric_sum,
    },
    "sum-not-mean": {
        "en": "your loss sums over the N pairs; it is the mean",
        "zh": "你的损失对 N 个样本对求和；应取平均",
        "info_nce": sum_not_mean,
    },
    "positives-only": {
        "en": "your loss only pulls the positive pairs together (−mean(a_i·b_i)/τ): without the log-sum-exp over the other b's there are no negatives",
        "zh": "你的损失只拉近正样本对（−mean(a_i·b_i)/τ）：没有对其他 b 做 log-sum-exp，就没有负样本",
        "info_nce": positives_only,
    },
    "log-of-softmax": {
        "en": "you computed log(exp(l_ii) / Σ exp(l_ij)) directly: with a small τ the logits reach 1/τ and exp overflows; use torch.logsumexp (or log_softmax / F.cross_entropy)",
        "zh": "你直接计算了 log(exp(l_ii) / Σ exp(l_ij))：τ 很小时 logits 可达 1/τ，exp 会溢出；应用 torch.logsumexp（或 log_softmax / F.cross_entropy）",
        "info_nce": log_of_softmax,
    },
    "normalizes-in-place": {
        "en": "you normalised a and b in place (a /= a.norm(…) or div_): the caller's embeddings changed; compute new tensors (a / a.norm(…) or F.normalize)",
        "zh": "你原地归一化了 a 和 b（a /= a.norm(…) 或 div_）：调用者的 embedding 被改了；应生成新张量（a / a.norm(…) 或 F.normalize）",
        "info_nce": normalizes_in_place,
    },
}
