"""PPO 裁剪代理损失 —— 写完后运行 `tfprep grade ppo-clip-loss`。"""

import torch


def ppo_clip_loss(logp, logp_old, advantages, mask, clip_eps=0.2):
    """logp、logp_old、advantages 为 (B, T) 浮点；mask 为 (B, T) bool。

    返回 (loss (), clip_frac (), approx_kl ())，每个都是在整个 batch 的有效 token 上取的均值。
    """
    raise NotImplementedError(
        "ratio = exp(logp - logp_old)；loss = -(min(ratio·A, clip(ratio)·A) 在有效 token 上的均值)"
    )
