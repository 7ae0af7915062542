"""Known mistakes for dpo-loss: each variant computes the DPO loss the way a candidate gets it wrong. The
grader runs a failing input through them to name what went wrong."""

import torch
import torch.nn.functional as F


def _sum(logps, mask):
    return (logps * mask).sum(-1)


def _mean(logps, mask):
    return (logps * mask).sum(-1) / mask.sum(-1)


def _dpo(pc, pr, rc, rr, cm, rm, beta, seq=_sum, margin=None, loss_fn=None, reduce="mean", reward_beta=True):
    c = seq(pc, cm) - seq(rc, cm)
    r = seq(pr, rm) - seq(rr, rm)
    z = beta * (c - r) if margin is None else margin(seq, pc, pr, rc, rr, cm, rm, beta)
    per = -F.logsigmoid(z) if loss_fn is None else loss_fn(z)
    loss = per.mean() if reduce == "mean" else per.sum()
    scale = beta if reward_beta else 1.0
    return loss, scale * c, scale * r


def mean_over_tokens(pc, pr, rc, rr, cm, rm, beta=0.1):
    return _dpo(pc, pr, rc, rr, cm, rm, beta, seq=_mean)


def mask_ignored(pc, pr, rc, rr, cm, rm, beta=0.1):
    return _dpo(pc, pr, rc, rr, cm, rm, beta, seq=lambda lp, m: lp.sum(-1))


def boolean_index_sum(pc, pr, rc, rr, cm, rm, beta=0.1):
    return _dpo(pc, pr, rc, rr, cm, rm, beta, seq=lambda lp, m: lp[m].sum())


def masked_fill_in_place(pc, pr, rc, rr, cm, rm, beta=0.1):
    for lp, m in ((pc, cm), (rc, cm), (pr, rm), (rr, rm)):
        lp.masked_fill_(~m, 0.0)
    return _dpo(pc, pr, rc, rr, cm, rm, beta, seq=lambda lp, m: lp.sum(-1))


def beta_outside(pc, pr, rc, rr, cm, rm, beta=0.1):
    return _dpo(pc, pr, rc, rr, cm, rm, beta, loss_fn=lambda z: -beta * F.logsigmoid(z / beta))


def no_beta_in_loss(pc, pr, rc, rr, cm, rm, beta=0.1):
    return _dpo(pc, pr, rc, rr, cm, rm, beta, loss_fn=lambda z: -F.logsigmoid(z / beta))


def swapped(pc, pr, rc, rr, cm, rm, beta=0.1):
    return _dpo(pc, pr, rc, rr, cm, rm, beta, loss_fn=lambda z: -F.logsigmoid(-z))


def log_of_sigmoid(pc, pr, rc, rr, cm, rm, beta=0.1):
    return _dpo(pc, pr, rc, rr, cm, rm, beta, loss_fn=lambda z: -torch.log(torch.sigmoid(z)))


def reference_added(pc, pr, rc, rr, cm, rm, beta=0.1):
    def margin(seq, pc, pr, rc, rr, cm, rm, beta):
        return beta * ((seq(pc, cm) - seq(pr, rm)) + (seq(rc, cm) - seq(rr, rm)))

    return _dpo(pc, pr, rc, rr, cm, rm, beta, margin=margin)


def no_reference(pc, pr, rc, rr, cm, rm, beta=0.1):
    def margin(seq, pc, pr, rc, rr, cm, rm, beta):
        return beta * (seq(pc, cm) - seq(pr, rm))

    return _dpo(pc, pr, rc, rr, cm, rm, beta, margin=margin)


def sum_over_batch(pc, pr, rc, rr, cm, rm, beta=0.1):
    return _dpo(pc, pr, rc, rr, cm, rm, beta, reduce="sum")


def rewards_without_beta(pc, pr, rc, rr, cm, rm, beta=0.1):
    return _dpo(pc, pr, rc, rr, cm, rm, beta, reward_beta=False)


def rewards_swapped(pc, pr, rc, rr, cm, rm, beta=0.1):
    loss, c, r = _dpo(pc, pr, rc, rr, cm, rm, beta)
    return loss, r, c


MISTAKES = {
    "mean-over-tokens": {
        "en": "you averaged the token log-probs of each response; a response's log-probability is the SUM over its masked tokens (length-normalising is SimPO's objective, not DPO's)",
        "zh": "你对每个回答的 token 对数概率取了均值；回答的对数概率是 mask 内 token 的对数概率之**和**（按长度归一化是 SimPO 的目标，不是 DPO）",
        "dpo_loss": mean_over_tokens,
    },
    "mask-ignored": {
        "en": "you summed the log-probs of every position, prompt and padding included; multiply by the mask first",
        "zh": "你把所有位置（包括 prompt 和 padding）的对数概率都加了进去；应先乘以 mask",
        "dpo_loss": mask_ignored,
    },
    "boolean-index-sum": {
        "en": "logps[mask].sum() flattens the whole batch into one number; sum each response on its own: (logps * mask).sum(-1)",
        "zh": "logps[mask].sum() 把整个 batch 压成了一个数；应对每个回答分别求和：(logps * mask).sum(-1)",
        "dpo_loss": boolean_index_sum,
    },
    "masked-fill-in-place": {
        "en": "you zeroed the padding with masked_fill_ (in place), which changes the caller's log-prob tensors; use masked_fill or multiply by the mask",
        "zh": "你用 masked_fill_（原地操作）把 padding 置零，改变了调用者的 log-prob 张量；应使用 masked_fill 或乘以 mask",
        "dpo_loss": masked_fill_in_place,
    },
    "beta-outside": {
        "en": "you multiplied the loss by β instead of the margin: β goes inside the sigmoid, −log σ(β·margin)",
        "zh": "你把 β 乘在了损失上而不是 margin 上：β 应在 sigmoid 里面，−log σ(β·margin)",
        "dpo_loss": beta_outside,
    },
    "no-beta-in-loss": {
        "en": "your loss ignores β: the sigmoid takes β times the log-ratio margin",
        "zh": "你的损失没有用 β：sigmoid 的输入是 β 乘以 log-ratio 的差",
        "dpo_loss": no_beta_in_loss,
    },
    "chosen-rejected-swapped": {
        "en": "your margin is rejected minus chosen: the loss must fall as the chosen response gains log-ratio, −log σ(r_chosen − r_rejected)",
        "zh": "你的 margin 是 rejected 减 chosen：chosen 回答的 log-ratio 增大时损失应下降，即 −log σ(r_chosen − r_rejected)",
        "dpo_loss": swapped,
    },
    "log-of-sigmoid": {
        "en": "torch.log(torch.sigmoid(x)) underflows to log(0) = −inf for a very negative margin; use F.logsigmoid(x)",
        "zh": "margin 非常负时 torch.log(torch.sigmoid(x)) 下溢成 log(0) = −inf；应使用 F.logsigmoid(x)",
        "dpo_loss": log_of_sigmoid,
    },
    "reference-added": {
        "en": "the reference term has the wrong sign: the margin is (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l)); you added the reference's log-ratio",
        "zh": "参考模型项的符号错了：margin 是 (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))；你把参考模型的 log-ratio 加上了",
        "dpo_loss": reference_added,
    },
    "no-reference": {
        "en": "your margin ignores the reference model: each response's term is log π(y) − log π_ref(y)",
        "zh": "你的 margin 没有用参考模型：每个回答的项应是 log π(y) − log π_ref(y)",
        "dpo_loss": no_reference,
    },
    "sum-over-batch": {
        "en": "you summed the per-pair losses; the loss is their mean over the batch",
        "zh": "你把每对的损失求和了；损失应是对 batch 取均值",
        "dpo_loss": sum_over_batch,
    },
    "rewards-without-beta": {
        "en": "your implicit rewards lack β: chosen_rewards = β·(log π(y_w) − log π_ref(y_w)), and likewise for rejected",
        "zh": "你的隐式奖励没有乘 β：chosen_rewards = β·(log π(y_w) − log π_ref(y_w))，rejected 同理",
        "dpo_loss": rewards_without_beta,
    },
    "rewards-swapped": {
        "en": "you returned the rewards in the wrong order: (loss, chosen_rewards, rejected_rewards)",
        "zh": "你返回奖励的顺序错了：应为 (loss, chosen_rewards, rejected_rewards)",
        "dpo_loss": rewards_swapped,
    },
}
