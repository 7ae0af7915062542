"""Hidden suite: GRPO group-relative advantages. B ≠ G and B, G ≥ 2 wherever the layout matters (an
interleaved grouping then differs), groups with equal rewards (std 0), groups with a tiny spread (where eps
inside or outside the square root differs), 0/1 integer rewards, Dr. GRPO, float32, errors, and a seeded
sweep against a plain-Python brute force."""

import math

import numpy as np

from tfprep.grading.protocol import Call

ENTRY = "grpo_advantages"


def shape(judge):
    """B prompts, G responses each (B ≠ G, both ≥ 2), T tokens."""
    g = int(judge.rng.integers(2, 9))
    b = int(judge.rng.choice([v for v in range(2, 7) if v != g]))
    return b, g, int(judge.rng.integers(1, 8))


def random_mask(judge, n, t):
    lengths = judge.rng.integers(1, t + 1, size=n)  # every response keeps at least one token
    return np.arange(t)[None, :] < lengths[:, None]


def test_worked_example(judge):
    """the example of the statement: one ordinary group and one with equal rewards"""
    rewards = np.array([1.0, 0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 2.0])
    mask = np.array([[1, 1, 0]] * 4 + [[1, 1, 1]] * 4, dtype=bool)
    judge.check(ENTRY, rewards, mask, 4)
    judge.check(ENTRY, rewards, mask, 4, scale_by_std=False)


def test_random_groups(judge):
    """Gaussian rewards, random B ≠ G, random response lengths"""
    for _ in range(4):
        b, g, t = shape(judge)
        judge.check(ENTRY, judge.rng.standard_normal(b * g) * 2.0 + 1.0, random_mask(judge, b * g, t), g)


def test_groups_are_contiguous(judge):
    """rows g·G … g·G + G − 1 form group g: two groups with very different reward levels"""
    rewards = np.array([10.0, 11.0, 12.0, 0.0, 1.0, 5.0])
    judge.check(ENTRY, rewards, np.ones((6, 2), dtype=bool), 3)
    rewards = np.array([0.1, 0.9, 0.5, 3.0, 3.5, 2.0, -1.0, -2.0])
    judge.check(ENTRY, rewards, np.ones((8, 1), dtype=bool), 2)


def test_binary_integer_rewards(judge):
    """0/1 correctness rewards as integers (float64 out), with all-right and all-wrong groups"""
    rewards = np.array([1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1])
    mask = random_mask(judge, 16, 5)
    got = judge.check(ENTRY, rewards, mask, 4)
    assert got.dtype == np.float64, judge.tr(
        "integer rewards gave a {dtype} result; expected float64", dtype=got.dtype
    )
    b, g, t = shape(judge)
    judge.check(ENTRY, judge.rng.integers(0, 2, size=b * g), random_mask(judge, b * g, t), g)
    got = judge.check(ENTRY, rewards.astype(bool), mask, 4)
    assert got.dtype == np.float64, judge.tr(
        "bool rewards gave a {dtype} result; expected float64", dtype=got.dtype
    )


def test_equal_rewards_give_zero(judge):
    """every group has equal rewards: the advantages are exactly 0 (to 1e-9), not NaN"""
    b, g, t = shape(judge)
    rewards = np.repeat(judge.rng.standard_normal(b), g)
    mask = random_mask(judge, b * g, t)
    got = judge.check(ENTRY, rewards, mask, g)
    assert not np.isnan(got).any(), "a group of equal rewards gave NaN; its advantages must be 0"


def test_tiny_spread(judge):
    """rewards that differ by ~1e-3 within a group: eps = 1e-4 is not negligible next to the std"""
    for spread in (1e-3, 2e-2):
        b, g, t = shape(judge)
        rewards = np.repeat(judge.rng.standard_normal(b), g) + spread * judge.rng.standard_normal(b * g)
        judge.check(ENTRY, rewards, random_mask(judge, b * g, t), g)
    rewards = np.array([0.5, 0.5005, 0.4995, 1.0, 3.0, 2.0])
    judge.check(ENTRY, rewards, np.ones((6, 2), dtype=bool), 3, eps=1e-3)


def test_dr_grpo_no_std(judge):
    """scale_by_std=False: the advantage is r - mean of its group"""
    for _ in range(2):
        b, g, t = shape(judge)
        judge.check(
            ENTRY, judge.rng.standard_normal(b * g) * 3.0, random_mask(judge, b * g, t), g, scale_by_std=False
        )


def test_custom_eps(judge):
    """eps is a parameter"""
    b, g, t = shape(judge)
    judge.check(ENTRY, judge.rng.standard_normal(b * g) * 0.1, random_mask(judge, b * g, t), g, eps=0.05)


def test_single_group_and_two_per_group(judge):
    """one group holding the whole batch; and G = 2 (the smallest group)"""
    judge.check(ENTRY, judge.rng.standard_normal(5), random_mask(judge, 5, 4), 5)
    judge.check(ENTRY, judge.rng.standard_normal(10), random_mask(judge, 10, 3), 2)


def test_large_rewards(judge):
    """rewards around 1e6 with unit spread: subtract the mean before anything else"""
    b, g, t = shape(judge)
    judge.check(ENTRY, 1e6 + judge.rng.standard_normal(b * g), random_mask(judge, b * g, t), g, rtol=1e-4)


def test_float32_keeps_dtype(judge):
    """float32 rewards give a float32 result"""
    b, g, t = shape(judge)
    rewards = judge.rng.standard_normal(b * g).astype(np.float32)
    got = judge.check(ENTRY, rewards, random_mask(judge, b * g, t), g, atol=1e-4, rtol=1e-4)
    assert got.dtype == np.float32, judge.tr(
        "float32 rewards gave a {dtype} result; keep float32", dtype=got.dtype
    )


def test_bad_group_size_raises(judge):
    """N not a multiple of group_size, or group_size < 2: ValueError"""
    judge.raises("ValueError", ENTRY, np.arange(7.0), np.ones((7, 2), dtype=bool), 3)
    judge.raises("ValueError", ENTRY, np.arange(4.0), np.ones((4, 2), dtype=bool), 1)


def brute(rewards, mask, group_size, eps, scale_by_std):
    """Straight from the formula, one response at a time."""
    out = np.zeros(mask.shape)
    for i, r in enumerate(rewards):
        start = i // group_size * group_size
        group = [float(v) for v in rewards[start : start + group_size]]
        mean = sum(group) / group_size
        a = r - mean
        if scale_by_std:
            std = math.sqrt(sum((v - mean) ** 2 for v in group) / (group_size - 1))
            a = a / (std + eps)
        out[i] = np.where(mask[i], a, 0.0)
    return out


def test_matches_brute_force(judge):
    """small batches of small integer rewards (many ties and equal groups) against the formula"""
    for _ in range(25):
        g = int(judge.rng.integers(2, 6))
        b = int(judge.rng.integers(1, 5))
        t = int(judge.rng.integers(1, 4))
        rewards = judge.rng.integers(-2, 3, size=b * g).astype(np.float64)
        mask = judge.rng.random((b * g, t)) < 0.7
        scale = bool(judge.rng.random() < 0.8)
        kwargs = {"scale_by_std": scale}
        judge.expect(
            judge.call(ENTRY, rewards, mask, g, **kwargs),
            brute(rewards, mask, g, 1e-4, scale),
            call=Call(ENTRY, (rewards, mask, g), kwargs),
        )


def test_inputs_unmodified(judge):
    """rewards and mask are left exactly as they were"""
    b, g, t = shape(judge)
    judge.check_unmodified(ENTRY, judge.rng.standard_normal(b * g), random_mask(judge, b * g, t), g)
