"""PPO clipped surrogate loss — run `tfprep grade ppo-clip-loss` when you are done."""

import torch


def ppo_clip_loss(logp, logp_old, advantages, mask, clip_eps=0.2):
    """logp, logp_old, advantages (B, T) float; mask (B, T) bool.

    Returns (loss (), clip_frac (), approx_kl ()), each averaged over the valid tokens of the batch.
    """
    raise NotImplementedError(
        "ratio = exp(logp - logp_old); loss = -mean over valid tokens of min(ratio·A, clip(ratio)·A)"
    )
