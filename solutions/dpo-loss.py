"""Reference: the DPO loss from per-token log-probabilities, in PyTorch.

A response's log-probability is the SUM of its response tokens' log-probs (the mask picks them; prompt and
padding tokens are excluded). The implicit reward of a response is β·(log π(y) − log π_ref(y)); the loss is
−log σ(reward_chosen − reward_rejected), averaged over the batch. F.logsigmoid stays finite for any margin,
where log(sigmoid(x)) gives log(0) = −inf once sigmoid underflows (x < −745 in float64, < −88 in float32).
"""

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
    def seq_logp(token_logps, mask):
        return (token_logps * mask).sum(dim=-1)

    chosen_logratio = seq_logp(policy_chosen_logps, chosen_mask) - seq_logp(ref_chosen_logps, chosen_mask)
    rejected_logratio = seq_logp(policy_rejected_logps, rejected_mask) - seq_logp(
        ref_rejected_logps, rejected_mask
    )
    loss = -F.logsigmoid(beta * (chosen_logratio - rejected_logratio)).mean()
    return loss, (beta * chosen_logratio).detach(), (beta * rejected_logratio).detach()
