"""Reference: the PPO clipped surrogate loss over the valid tokens of a batch, in PyTorch.

ratio = π_new/π_old per token, computed as exp(logp − logp_old) (never exp(logp)/exp(logp_old), which
underflows to 0/0 for tiny probabilities). The objective min(ratio·A, clip(ratio, 1−ε, 1+ε)·A) is
pessimistic: clipping can only lower it. Aggregation: a token-level mean over every valid token of the batch
(verl's "token-mean", the DAPO choice). Diagnostics: the fraction of valid tokens where the clipped term is
strictly the smaller one, and the k3 estimate of KL(π_old ‖ π_new), (ratio − 1) − log ratio, always ≥ 0.
"""

import torch


def ppo_clip_loss(logp, logp_old, advantages, mask, clip_eps=0.2):
    mask = mask.to(logp.dtype)
    n_valid = mask.sum()

    def masked_mean(x):
        return (x * mask).sum() / n_valid

    log_ratio = logp - logp_old
    ratio = torch.exp(log_ratio)
    unclipped = ratio * advantages
    clipped = torch.clamp(ratio, 1.0 - clip_eps, 1.0 + clip_eps) * advantages
    loss = -masked_mean(torch.minimum(unclipped, clipped))
    clip_frac = masked_mean((clipped < unclipped).to(logp.dtype))
    approx_kl = masked_mean((ratio - 1.0) - log_ratio)
    return loss, clip_frac, approx_kl
