"""Reference: GRPO group-relative advantages, in NumPy.

The rollout batch holds G responses per prompt, stored contiguously: rows g·G … g·G + G − 1 are the
responses to prompt g (the layout `rewards.view(-1, G)` assumes, as in TRL's GRPOTrainer). Each response's
advantage is its reward minus its group's mean, divided by the group's sample std (ddof = 1, as torch.std)
plus eps; Dr. GRPO (scale_by_std=False) keeps only the centring. Every token of a response gets the
response's advantage; tokens outside the mask get 0.
"""

import numpy as np


def grpo_advantages(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    n = rewards.shape[0]
    if group_size < 2 or n % group_size != 0:
        raise ValueError(f"need group_size >= 2 dividing the number of responses, got {group_size} for {n}")
    dtype = rewards.dtype if rewards.dtype.kind == "f" else np.float64
    groups = rewards.astype(dtype).reshape(-1, group_size)  # one row per prompt
    adv = groups - groups.mean(axis=1, keepdims=True)
    if scale_by_std:
        adv = adv / (groups.std(axis=1, ddof=1, keepdims=True) + eps)  # eps outside the sqrt: 0/eps = 0
    return np.where(mask, adv.reshape(n, 1), 0).astype(dtype)
