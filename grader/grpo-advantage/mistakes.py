"""Known mistakes for grpo-advantage: each variant computes the advantages the way a candidate gets it
wrong. The grader runs a failing input through them to name what went wrong."""

import numpy as np


def _float(rewards):
    return rewards.astype(rewards.dtype if rewards.dtype.kind == "f" else np.float64)


def _out(adv, mask, dtype):
    return np.where(mask, adv.reshape(-1, 1), 0).astype(dtype)


def _grouped(rewards, mask, group_size, center, scale):
    """Per-group advantages with a custom centring (groups -> centred) and scale (groups -> divisor)."""
    r = _float(rewards)
    g = r.reshape(-1, group_size)
    adv = center(g)
    if scale is not None:
        adv = adv / scale(g)
    return _out(adv, mask, r.dtype)


def _centred(g):
    return g - g.mean(axis=1, keepdims=True)


def batch_normalised(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    r = _float(rewards)
    adv = r - r.mean()
    if scale_by_std:
        adv = adv / (r.std(ddof=1) + eps)
    return _out(adv, mask, r.dtype)


def batch_std(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    r = _float(rewards)
    std = r.std(ddof=1)
    return _grouped(rewards, mask, group_size, _centred, (lambda g: std + eps) if scale_by_std else None)


def population_std(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    scale = (lambda g: g.std(axis=1, keepdims=True) + eps) if scale_by_std else None
    return _grouped(rewards, mask, group_size, _centred, scale)


def eps_inside_sqrt(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    scale = (lambda g: np.sqrt(g.var(axis=1, ddof=1, keepdims=True) + eps)) if scale_by_std else None
    return _grouped(rewards, mask, group_size, _centred, scale)


def no_eps(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    scale = (lambda g: g.std(axis=1, ddof=1, keepdims=True)) if scale_by_std else None
    with np.errstate(divide="ignore", invalid="ignore"):
        return _grouped(rewards, mask, group_size, _centred, scale)


def interleaved_groups(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    r = _float(rewards)
    g = r.reshape(group_size, -1).T  # group j = rows j, j + B, j + 2B, ...
    adv = g - g.mean(axis=1, keepdims=True)
    if scale_by_std:
        adv = adv / (g.std(axis=1, ddof=1, keepdims=True) + eps)
    return _out(adv.T.reshape(-1), mask, r.dtype)


def tiled_group_stats(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    r = _float(rewards)
    g = r.reshape(-1, group_size)
    adv = r - np.tile(g.mean(axis=1), group_size)  # [m0, m1, m0, m1, ...]: np.tile / torch .repeat
    if scale_by_std:
        adv = adv / (np.tile(g.std(axis=1, ddof=1), group_size) + eps)
    return _out(adv, mask, r.dtype)


def centred_in_place(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    if rewards.dtype.kind != "f":
        rewards = rewards.astype(np.float64)
    groups = rewards.reshape(-1, group_size)  # a view of the caller's (float) array
    groups -= groups.mean(axis=1, keepdims=True)
    if scale_by_std:
        groups /= groups.std(axis=1, ddof=1, keepdims=True) + eps
    return _out(groups, mask, rewards.dtype)


def sign_flipped(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    scale = (lambda g: g.std(axis=1, ddof=1, keepdims=True) + eps) if scale_by_std else None
    return _grouped(rewards, mask, group_size, lambda g: g.mean(axis=1, keepdims=True) - g, scale)


def mask_ignored(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    scale = (lambda g: g.std(axis=1, ddof=1, keepdims=True) + eps) if scale_by_std else None
    return _grouped(rewards, np.ones_like(mask), group_size, _centred, scale)


def std_flag_ignored(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    return _grouped(rewards, mask, group_size, _centred, lambda g: g.std(axis=1, ddof=1, keepdims=True) + eps)


def leave_one_out(rewards, mask, group_size, eps=1e-4, scale_by_std=True):
    def center(g):
        others = (g.sum(axis=1, keepdims=True) - g) / (group_size - 1)
        return g - others

    scale = (lambda g: g.std(axis=1, ddof=1, keepdims=True) + eps) if scale_by_std else None
    return _grouped(rewards, mask, group_size, center, scale)


MISTAKES = {
    "batch-normalised": {
        "en": "you normalised with the mean and std of the whole batch; each group of G responses to one prompt uses its own mean and std",
        "zh": "你用整个 batch 的均值和标准差做了归一化；每个 prompt 的 G 个回答应只用本组的均值和标准差",
        "grpo_advantages": batch_normalised,
    },
    "batch-std": {
        "en": "you centred per group but divided by the std of the whole batch (TRL's scale_rewards='batch'); this drill divides by each group's own std",
        "zh": "你按组减了均值，却除以整个 batch 的标准差（TRL 的 scale_rewards='batch'）；本题除以每组自己的标准差",
        "grpo_advantages": batch_std,
    },
    "population-std": {
        "en": "you used the population std (ddof=0, np.std's default); the drill pins the sample std, ddof=1, as torch.std in TRL and verl",
        "zh": "你用了总体标准差（ddof=0，np.std 的默认值）；本题规定用样本标准差 ddof=1，与 TRL、verl 中的 torch.std 一致",
        "grpo_advantages": population_std,
    },
    "eps-inside-sqrt": {
        "en": "you added eps to the variance inside the square root; add it to the std: (r - mean) / (std + eps)",
        "zh": "你把 eps 加在了平方根里的方差上；应加在标准差上：(r - mean) / (std + eps)",
        "grpo_advantages": eps_inside_sqrt,
    },
    "no-eps": {
        "en": "you divided by the std without adding eps: slightly off everywhere, and NaN for a group whose rewards are all equal",
        "zh": "你除以标准差时没有加 eps：处处略有偏差，并且一组奖励全相同时得到 NaN",
        "grpo_advantages": no_eps,
    },
    "interleaved-groups": {
        "en": "you grouped the responses as interleaved (reshape(G, -1).T); groups are contiguous: rows g·G … g·G + G − 1 belong to prompt g",
        "zh": "你把回答按交错方式分组（reshape(G, -1).T）；组是连续存放的：第 g·G … g·G + G − 1 行属于第 g 个 prompt",
        "grpo_advantages": interleaved_groups,
    },
    "tiled-group-stats": {
        "en": "you broadcast the group means/stds back to the responses with np.tile (torch .repeat), which gives [m0, m1, m0, m1, …]; each mean must be repeated G times in a row: np.repeat (torch .repeat_interleave)",
        "zh": "你用 np.tile（torch 的 .repeat）把每组的均值/标准差广播回各个回答，得到的是 [m0, m1, m0, m1, …]；每组的均值应连续重复 G 次：np.repeat（torch 的 .repeat_interleave）",
        "grpo_advantages": tiled_group_stats,
    },
    "modifies-rewards-in-place": {
        "en": "you wrote into the caller's rewards: reshape returns a view, so `groups -= mean` changes `rewards` too; compute new arrays (groups - mean)",
        "zh": "你改写了调用者的 rewards：reshape 返回的是视图，`groups -= mean` 也会改变 `rewards`；应计算新数组（groups - mean）",
        "grpo_advantages": centred_in_place,
    },
    "sign-flipped": {
        "en": "your advantages have the wrong sign: a reward above the group mean must give a positive advantage (r - mean)",
        "zh": "你的优势符号反了：奖励高于组均值时优势应为正（r - mean）",
        "grpo_advantages": sign_flipped,
    },
    "mask-ignored": {
        "en": "you gave the advantage to every token; tokens where the mask is False (padding, prompt) must get 0",
        "zh": "你给所有 token 都赋了优势；mask 为 False 的 token（padding、prompt）应为 0",
        "grpo_advantages": mask_ignored,
    },
    "std-flag-ignored": {
        "en": "with scale_by_std=False (Dr. GRPO) you still divided by the std; then the advantage is only r - mean",
        "zh": "scale_by_std=False（Dr. GRPO）时你仍然除以了标准差；此时优势只是 r - mean",
        "grpo_advantages": std_flag_ignored,
    },
    "leave-one-out-baseline": {
        "en": "you subtracted the mean of the other G − 1 rewards (the RLOO baseline); GRPO subtracts the mean of the whole group, the response itself included",
        "zh": "你减去的是其余 G − 1 个奖励的均值（RLOO 的 baseline）；GRPO 减去的是包括该回答自身在内的整组均值",
        "grpo_advantages": leave_one_out,
    },
}
