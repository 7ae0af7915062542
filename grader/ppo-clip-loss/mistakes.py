"""Known mistakes for ppo-clip-loss: each variant computes (loss, clip_frac, approx_kl) the way a candidate
gets it wrong. The grader runs a failing input through them to name what went wrong."""

import torch


def _parts(logp, logp_old, advantages, clip_eps, ratio=None):
    log_ratio = logp - logp_old
    r = torch.exp(log_ratio) if ratio is None else ratio
    unclipped = r * advantages
    clipped = torch.clamp(r, 1.0 - clip_eps, 1.0 + clip_eps) * advantages
    return log_ratio, r, unclipped, clipped


def _masked_mean(x, mask):
    m = mask.to(x.dtype)
    return (x * m).sum() / m.sum()


def _ppo(
    logp, logp_old, advantages, mask, clip_eps, *, ratio=None, objective=None, reduce=None, frac=None, kl=None
):
    log_ratio, r, unclipped, clipped = _parts(logp, logp_old, advantages, clip_eps, ratio)
    reduce = reduce or (lambda x: _masked_mean(x, mask))
    obj = torch.minimum(unclipped, clipped) if objective is None else objective(r, unclipped, clipped)
    loss = -reduce(obj)
    clip_frac = (
        _masked_mean((clipped < unclipped).to(logp.dtype), mask)
        if frac is None
        else frac(r, unclipped, clipped)
    )
    approx_kl = _masked_mean((r - 1.0) - log_ratio, mask) if kl is None else kl(r, log_ratio)
    return loss, clip_frac, approx_kl


def max_not_min(logp, logp_old, advantages, mask, clip_eps=0.2):
    return _ppo(logp, logp_old, advantages, mask, clip_eps, objective=lambda r, u, c: torch.maximum(u, c))


def clip_only(logp, logp_old, advantages, mask, clip_eps=0.2):
    return _ppo(logp, logp_old, advantages, mask, clip_eps, objective=lambda r, u, c: c)


def clipped_advantage(logp, logp_old, advantages, mask, clip_eps=0.2):
    def objective(r, u, c):
        return torch.minimum(u, r * torch.clamp(advantages, 1.0 - clip_eps, 1.0 + clip_eps))

    return _ppo(logp, logp_old, advantages, mask, clip_eps, objective=objective)


def ratio_of_logps(logp, logp_old, advantages, mask, clip_eps=0.2):
    return _ppo(logp, logp_old, advantages, mask, clip_eps, ratio=logp / logp_old)


def ratio_inverted(logp, logp_old, advantages, mask, clip_eps=0.2):
    # the candidate writes log_ratio = logp_old - logp and uses it everywhere, the KL included
    return _ppo(logp_old, logp, advantages, mask, clip_eps)


def ratio_of_exps(logp, logp_old, advantages, mask, clip_eps=0.2):
    return _ppo(logp, logp_old, advantages, mask, clip_eps, ratio=torch.exp(logp) / torch.exp(logp_old))


def no_minus_sign(logp, logp_old, advantages, mask, clip_eps=0.2):
    loss, frac, kl = _ppo(logp, logp_old, advantages, mask, clip_eps)
    return -loss, frac, kl


def mask_ignored(logp, logp_old, advantages, mask, clip_eps=0.2):
    return _ppo(logp, logp_old, advantages, torch.ones_like(mask), clip_eps)


def padding_in_denominator(logp, logp_old, advantages, mask, clip_eps=0.2):
    def reduce(x):
        return (x * mask.to(x.dtype)).sum() / x.numel()

    return _ppo(logp, logp_old, advantages, mask, clip_eps, reduce=reduce)


def sequence_mean(logp, logp_old, advantages, mask, clip_eps=0.2):
    def reduce(x):
        m = mask.to(x.dtype)
        return ((x * m).sum(-1) / m.sum(-1)).mean()

    return _ppo(logp, logp_old, advantages, mask, clip_eps, reduce=reduce)


def clip_frac_by_ratio(logp, logp_old, advantages, mask, clip_eps=0.2):
    def frac(r, u, c):
        return _masked_mean(((r - 1.0).abs() > clip_eps).to(r.dtype), mask)

    return _ppo(logp, logp_old, advantages, mask, clip_eps, frac=frac)


def clip_frac_unmasked(logp, logp_old, advantages, mask, clip_eps=0.2):
    return _ppo(logp, logp_old, advantages, mask, clip_eps, frac=lambda r, u, c: (c < u).to(r.dtype).mean())


def kl_k1(logp, logp_old, advantages, mask, clip_eps=0.2):
    return _ppo(logp, logp_old, advantages, mask, clip_eps, kl=lambda r, lr: _masked_mean(-lr, mask))


def kl_k2(logp, logp_old, advantages, mask, clip_eps=0.2):
    return _ppo(logp, logp_old, advantages, mask, clip_eps, kl=lambda r, lr: _masked_mean(0.5 * lr**2, mask))


def kl_unmasked(logp, logp_old, advantages, mask, clip_eps=0.2):
    return _ppo(logp, logp_old, advantages, mask, clip_eps, kl=lambda r, lr: ((r - 1.0) - lr).mean())


MISTAKES = {
    "max-not-min": {
        "en": "you took the max of the two terms; PPO takes the min(ratio·A, clip(ratio)·A), a pessimistic bound",
        "zh": "你对两项取了 max；PPO 取的是 min(ratio·A, clip(ratio)·A)，一个悲观的下界",
        "ppo_clip_loss": max_not_min,
    },
    "clip-only": {
        "en": "you used only the clipped term clip(ratio)·A; the objective is min(ratio·A, clip(ratio)·A)",
        "zh": "你只用了裁剪项 clip(ratio)·A；目标是 min(ratio·A, clip(ratio)·A)",
        "ppo_clip_loss": clip_only,
    },
    "clipped-advantage": {
        "en": "you clipped the advantage; clip the probability ratio to [1 − ε, 1 + ε] and multiply it by the unclipped advantage",
        "zh": "你裁剪的是优势；应把概率比裁剪到 [1 − ε, 1 + ε]，再乘以未裁剪的优势",
        "ppo_clip_loss": clipped_advantage,
    },
    "ratio-of-log-probs": {
        "en": "you divided the log-probs (logp / logp_old); the ratio of probabilities is exp(logp − logp_old)",
        "zh": "你把对数概率相除了（logp / logp_old）；概率比是 exp(logp − logp_old)",
        "ppo_clip_loss": ratio_of_logps,
    },
    "ratio-inverted": {
        "en": "your ratio is π_old/π (exp(logp_old − logp)); it is π/π_old = exp(logp − logp_old)",
        "zh": "你的比值是 π_old/π（exp(logp_old − logp)）；应为 π/π_old = exp(logp − logp_old)",
        "ppo_clip_loss": ratio_inverted,
    },
    "ratio-of-exps": {
        "en": "exp(logp) / exp(logp_old) underflows to 0/0 for tokens of tiny probability; compute exp(logp − logp_old)",
        "zh": "对概率极小的 token，exp(logp) / exp(logp_old) 会下溢成 0/0；应计算 exp(logp − logp_old)",
        "ppo_clip_loss": ratio_of_exps,
    },
    "no-minus-sign": {
        "en": "your loss is +mean(objective): minimising it would lower the objective; the loss is −mean(min(…))",
        "zh": "你的损失是 +mean(objective)：最小化它会降低目标；损失应为 −mean(min(…))",
        "ppo_clip_loss": no_minus_sign,
    },
    "mask-ignored": {
        "en": "you averaged over every position, padding included; average only over the tokens where the mask is True",
        "zh": "你对所有位置（包括 padding）取了均值；应只在 mask 为 True 的 token 上取均值",
        "ppo_clip_loss": mask_ignored,
    },
    "padding-in-denominator": {
        "en": "you zeroed the padding but divided by all B·T positions; divide by the number of valid tokens, mask.sum()",
        "zh": "你把 padding 置零了，却除以全部 B·T 个位置；应除以有效 token 数 mask.sum()",
        "ppo_clip_loss": padding_in_denominator,
    },
    "sequence-mean": {
        "en": "you averaged each response's tokens and then the responses (the GRPO paper's formula); this drill pins a token-level mean over all valid tokens of the batch",
        "zh": "你先在每个回答内部取均值，再对回答取均值（GRPO 论文公式的写法）；本题规定对整个 batch 的所有有效 token 取 token 级均值",
        "ppo_clip_loss": sequence_mean,
    },
    "clip-frac-by-ratio": {
        "en": "your clip_frac counts |ratio − 1| > ε; count the tokens where clipping is active, clip(ratio)·A < ratio·A (with A < 0 a large ratio is not clipped)",
        "zh": "你的 clip_frac 统计的是 |ratio − 1| > ε；应统计裁剪起作用的 token，即 clip(ratio)·A < ratio·A（A < 0 时比值大并不会被裁剪）",
        "ppo_clip_loss": clip_frac_by_ratio,
    },
    "clip-frac-unmasked": {
        "en": "your clip_frac counts padding positions; it is a fraction of the valid tokens",
        "zh": "你的 clip_frac 把 padding 位置也算进去了；它应是有效 token 中的比例",
        "ppo_clip_loss": clip_frac_unmasked,
    },
    "kl-k1": {
        "en": "your approx_kl is mean(−log ratio) (k1); the drill pins k3 = mean((ratio − 1) − log ratio), which is never negative",
        "zh": "你的 approx_kl 是 mean(−log ratio)（k1）；本题规定 k3 = mean((ratio − 1) − log ratio)，它永不为负",
        "ppo_clip_loss": kl_k1,
    },
    "kl-k2": {
        "en": "your approx_kl is mean(½·(log ratio)²) (k2); the drill pins k3 = mean((ratio − 1) − log ratio)",
        "zh": "你的 approx_kl 是 mean(½·(log ratio)²)（k2）；本题规定 k3 = mean((ratio − 1) − log ratio)",
        "ppo_clip_loss": kl_k2,
    },
    "kl-unmasked": {
        "en": "your approx_kl averages over padding positions too; average over the valid tokens only",
        "zh": "你的 approx_kl 也在 padding 位置上取了均值；应只在有效 token 上取均值",
        "ppo_clip_loss": kl_unmasked,
    },
}
