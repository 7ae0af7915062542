"""DPO loss — run `tfprep grade dpo-loss` when you are done."""

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
    """Per-token log-probs (B, Tc) / (B, Tr) and bool masks of the same shapes.

    Returns (loss (), chosen_rewards (B,), rejected_rewards (B,)).
    """
    raise NotImplementedError("sum the masked log-probs per sequence, then -logsigmoid(beta * margin)")
