"""DPO 损失——写完后运行 `tfprep grade dpo-loss`。"""

import torch
import torch.nn.functional as F


def dpo_loss(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    chosen_mask,
    rejected_mask,
    beta=0.1,
):
    """逐 token 的对数概率 (B, Tc) / (B, Tr)，以及形状相同的 bool mask。

    返回 (loss (), chosen_rewards (B,), rejected_rewards (B,))。
    """
    raise NotImplementedError("先对每个序列求 mask 内 log-prob 之和，再算 -logsigmoid(beta * margin)")
