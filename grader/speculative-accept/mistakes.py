"""Known mistakes for speculative-accept: each variant applies the accept/reject rule the way a candidate
gets it wrong. The grader runs a failing input through them to name what went wrong."""

import numpy as np


def _sample(probs, v):
    return int(np.searchsorted(np.cumsum(probs), v, side="right"))


def _residual(p_row, q_row):
    r = np.maximum(p_row - q_row, 0.0)
    return r / r.sum()


def _run(
    draft_tokens,
    p,
    q,
    u,
    v,
    *,
    accept=None,
    resample=None,
    bonus=True,
    bonus_row=None,
    stop=True,
    p_row=None,
    emit_on_reject=True,
):
    batch, gamma = draft_tokens.shape
    out = np.full((batch, gamma + 1), -1, dtype=np.int64)
    accept = accept or (lambda pp, qq, uu: uu <= pp / qq)
    resample = resample or (lambda pr, qr: _residual(pr, qr))
    p_row = p_row or (lambda i: i)
    for b in range(batch):
        pos, all_accepted = 0, True
        for i in range(gamma):
            x = int(draft_tokens[b, i])
            pr = p[b, p_row(i)]
            if accept(pr[x], q[b, i, x], u[b, i]):
                out[b, pos] = x
                pos += 1
                continue
            all_accepted = False
            if emit_on_reject:
                with np.errstate(divide="ignore", invalid="ignore"):
                    out[b, pos] = _sample(resample(pr, q[b, i]), v[b])
                pos += 1
            if stop:
                break
        if bonus and (all_accepted or not stop):
            row = gamma if bonus_row is None else bonus_row
            out[b, pos] = _sample(p[b, row], v[b])
    return out


def ratio_inverted(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, accept=lambda pp, qq, uu: uu <= qq / pp)


def accept_if_u_below_p(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, accept=lambda pp, qq, uu: uu <= pp)


def accept_inverted(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, accept=lambda pp, qq, uu: uu > pp / qq)


def residual_not_normalised(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, resample=lambda pr, qr: np.maximum(pr - qr, 0.0))


def residual_without_max(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, resample=lambda pr, qr: (pr - qr) / (pr - qr).sum())


def residual_reversed(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, resample=lambda pr, qr: _residual(qr, pr))


def resample_from_p(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, resample=lambda pr, qr: pr)


def no_bonus_token(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, bonus=False)


def bonus_from_last_draft_row(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, bonus_row=draft_tokens.shape[1] - 1)


def continue_after_rejection(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, stop=False)


def rejection_emits_nothing(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, emit_on_reject=False)


def p_row_shifted(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, p_row=lambda i: i + 1)


def _argmax_one_hot(pr, qr):
    r = np.maximum(pr - qr, 0.0)
    return np.eye(len(r))[int(np.argmax(r))]


def residual_argmax(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, resample=_argmax_one_hot)


def residual_abs(draft_tokens, p, q, u, v):
    return _run(draft_tokens, p, q, u, v, resample=lambda pr, qr: np.abs(pr - qr) / np.abs(pr - qr).sum())


MISTAKES = {
    "ratio-inverted": {
        "en": "your accept test uses q/p; accept x_i with probability min(1, p_i(x_i) / q_i(x_i)), target over draft",
        "zh": "你的接受检验用的是 q/p；应以概率 min(1, p_i(x_i) / q_i(x_i)) 接受 x_i，目标除以草稿",
        "speculative_accept": ratio_inverted,
    },
    "accept-if-u-below-p": {
        "en": "you accepted when u < p(x) with no ratio; the test is u <= p_i(x_i) / q_i(x_i) — the draft already chose x with probability q(x)",
        "zh": "你在 u < p(x) 时接受，没有用比值；检验应是 u <= p_i(x_i) / q_i(x_i) —— 草稿已经以概率 q(x) 选中了 x",
        "speculative_accept": accept_if_u_below_p,
    },
    "accept-inverted": {
        "en": "your accept test is inverted: accept when u <= p/q (a token the target likes more than the draft is always accepted)",
        "zh": "你的接受检验反了：应在 u <= p/q 时接受（目标模型比草稿更偏好的 token 总会被接受）",
        "speculative_accept": accept_inverted,
    },
    "residual-not-normalised": {
        "en": "you drew from max(0, p − q) without normalising it; divide by its sum so that it is a distribution",
        "zh": "你从 max(0, p − q) 采样但没有归一化；应除以它的和，使它成为一个分布",
        "speculative_accept": residual_not_normalised,
    },
    "residual-without-max": {
        "en": "your residual is p − q without max(0, …): its negative entries are not probabilities; take max(0, p − q), then normalise",
        "zh": "你的残差是 p − q，没有 max(0, …)：负的元素不是概率；应取 max(0, p − q) 再归一化",
        "speculative_accept": residual_without_max,
    },
    "residual-reversed": {
        "en": "your residual is max(0, q − p); after a rejection, draw from max(0, p − q), the mass the target has and the draft lacks",
        "zh": "你的残差是 max(0, q − p)；拒绝之后应从 max(0, p − q) 采样，即目标模型有而草稿缺的那部分概率",
        "speculative_accept": residual_reversed,
    },
    "resample-from-p": {
        "en": "after a rejection you drew from p; draw from the normalised residual max(0, p − q), otherwise tokens the draft favours come out too often",
        "zh": "拒绝之后你从 p 采样了；应从归一化的残差 max(0, p − q) 采样，否则草稿偏好的 token 会出现得过多",
        "speculative_accept": resample_from_p,
    },
    "no-bonus-token": {
        "en": "when every draft token is accepted you emitted no bonus token; draw one more from p[γ], the target's distribution after the last draft token",
        "zh": "所有草稿 token 都被接受时你没有输出 bonus token；应再从 p[γ]（最后一个草稿 token 之后的目标分布）采样一个",
        "speculative_accept": no_bonus_token,
    },
    "bonus-from-last-draft-row": {
        "en": "you drew the bonus token from p[γ − 1]; it comes from p[γ], the distribution after the last draft token",
        "zh": "你从 p[γ − 1] 采样了 bonus token；它应来自 p[γ]，即最后一个草稿 token 之后的分布",
        "speculative_accept": bonus_from_last_draft_row,
    },
    "continue-after-rejection": {
        "en": "you kept checking draft tokens after a rejection; stop at the first rejection — the later draft tokens were conditioned on the rejected one",
        "zh": "拒绝之后你继续检查了后面的草稿 token；应在第一次拒绝时停止 —— 后面的草稿 token 以被拒绝的 token 为条件",
        "speculative_accept": continue_after_rejection,
    },
    "rejection-emits-nothing": {
        "en": "at a rejection you emitted nothing; emit one token drawn from the normalised residual max(0, p − q) (every step emits at least one token)",
        "zh": "拒绝时你什么都没有输出；应输出一个从归一化残差 max(0, p − q) 中采样的 token（每一步至少输出一个 token）",
        "speculative_accept": rejection_emits_nothing,
    },
    "p-row-shifted": {
        "en": "you compared draft token x_i with p[i + 1]; row i of p is the target's distribution for the token at draft position i",
        "zh": "你把草稿 token x_i 与 p[i + 1] 比较；p 的第 i 行才是草稿第 i 个位置上 token 的目标分布",
        "speculative_accept": p_row_shifted,
    },
    "residual-argmax": {
        "en": "after a rejection you took the most likely token of the residual (argmax); draw it from the normalised residual with v (inverse CDF), or the output is no longer distributed as p",
        "zh": "拒绝之后你取了残差分布里概率最大的 token（argmax）；应该用 v 从归一化的残差分布中抽样（逆 CDF），否则输出不再服从 p",
        "speculative_accept": residual_argmax,
    },
    "residual-abs": {
        "en": "your residual is |p − q|; it is max(0, p − q): only the tokens the draft under-proposed (p > q) get extra mass",
        "zh": "你的残差是 |p − q|；应为 max(0, p − q)：只有草稿模型少给了概率的 token（p > q）才补上概率",
        "speculative_accept": residual_abs,
    },
}
