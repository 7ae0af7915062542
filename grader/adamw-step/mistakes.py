"""Known mistakes for the adamw-step drill: one AdamW step written the way candidates get it wrong.
(Helpers are prefixed with _m_ so they never shadow the reference's own names.)"""

import numpy as np


def _m_step(params, grads, m, v, t, lr, betas, eps, weight_decay, **how):
    """One step with switches for each mistake; how=… names the deviation."""
    beta1, beta2 = betas
    if how.get("betas_swapped"):
        beta1, beta2 = beta2, beta1
    t_bias = t - 1 if how.get("t_from_zero") else t + 1 if how.get("t_plus_one") else t
    new_p, new_m, new_v = {}, {}, {}
    for name, p in params.items():
        g = grads[name]
        if how.get("l2"):
            g = g + weight_decay * p
        m_t = beta1 * m[name] + (1.0 - beta1) * g
        v_t = beta2 * v[name] + (1.0 - beta2) * (g if how.get("v_uses_g") else g * g)
        if how.get("no_bias_correction"):
            m_hat, v_hat = m_t, v_t
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                m_hat = m_t / (1.0 - beta1**t_bias)
                v_hat = v_t / (1.0 - beta2**t_bias)
        with np.errstate(invalid="ignore", divide="ignore"):
            if how.get("eps_inside_sqrt"):
                adam = m_hat / np.sqrt(v_hat + eps)
            elif how.get("bias2_outside_sqrt"):
                adam = m_hat / (np.sqrt(v_t) / (1.0 - beta2**t_bias) + eps)
            else:
                adam = m_hat / (np.sqrt(v_hat) + eps)
        if how.get("l2"):
            new = p - lr * adam
        elif how.get("decay_not_times_lr"):
            new = p - lr * adam - weight_decay * p
        elif how.get("decay_after_update"):
            new = (p - lr * adam) * (1.0 - lr * weight_decay)
        else:
            new = p - lr * (adam + weight_decay * p)
        new_p[name] = new
        new_m[name] = m_hat if how.get("store_corrected") else m_t
        new_v[name] = v_hat if how.get("store_corrected") else v_t
    return new_p, new_m, new_v


def _m_variant(**how):
    def step(params, grads, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        return _m_step(params, grads, m, v, t, lr, betas, eps, weight_decay, **how)

    return step


def in_place(params, grads, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    beta1, beta2 = betas
    for name, p in params.items():
        g = grads[name]
        m[name] *= beta1
        m[name] += (1.0 - beta1) * g
        v[name] *= beta2
        v[name] += (1.0 - beta2) * g * g
        m_hat = m[name] / (1.0 - beta1**t)
        v_hat = v[name] / (1.0 - beta2**t)
        p *= 1.0 - lr * weight_decay
        p -= lr * m_hat / (np.sqrt(v_hat) + eps)
    return params, m, v


def moments_in_place(params, grads, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    # new parameters, but the caller's m and v arrays updated in place (m[k] *= β1; m[k] += …)
    beta1, beta2 = betas
    new_params = {}
    for name, p in params.items():
        g = grads[name]
        m[name] *= beta1
        m[name] += (1.0 - beta1) * g
        v[name] *= beta2
        v[name] += (1.0 - beta2) * g * g
        m_hat = m[name] / (1.0 - beta1**t)
        v_hat = v[name] / (1.0 - beta2**t)
        new_params[name] = p - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * p)
    return new_params, m, v


MISTAKES = {
    "adam-l2": {
        "en": "you added weight_decay·p to the gradient (Adam with L2 regularisation): then the decay goes through m and 1/√v̂ and is scaled per coordinate; AdamW decays p directly: p − lr·(m̂/(√v̂ + ε) + λ·p)",
        "zh": "你把 weight_decay·p 加到了梯度上（Adam + L2 正则）：这样衰减会经过 m 和 1/√v̂、按坐标缩放；AdamW 直接衰减参数：p − lr·(m̂/(√v̂ + ε) + λ·p)",
        "adamw_step": _m_variant(l2=True),
    },
    "no-bias-correction": {
        "en": "you used m and v without bias correction: early steps are far too small; divide by 1 − β1^t and 1 − β2^t",
        "zh": "你直接用了 m 和 v，没有做偏差修正：前几步的更新会小得多；要除以 1 − β1^t 和 1 − β2^t",
        "adamw_step": _m_variant(no_bias_correction=True),
    },
    "bias-correction-t-from-zero": {
        "en": "your bias correction uses t − 1 (as if the first step were t = 0): at t = 1 it divides by 1 − β^0 = 0; the first update is t = 1",
        "zh": "你的偏差修正用了 t − 1（好像第一步是 t = 0）：t = 1 时会除以 1 − β^0 = 0；第一次更新就是 t = 1",
        "adamw_step": _m_variant(t_from_zero=True),
    },
    "bias-correction-t-plus-one": {
        "en": "your bias correction uses t + 1 (the step counter was incremented twice): t is already this update's number, 1 on the first call",
        "zh": "你的偏差修正用了 t + 1（步数被加了两次）：t 已经是本次更新的序号，第一次调用时为 1",
        "adamw_step": _m_variant(t_plus_one=True),
    },
    "eps-inside-sqrt": {
        "en": "you put ε inside the square root (√(v̂ + ε)); AdamW (and torch) adds it after: √v̂ + ε — it matters when gradients are tiny",
        "zh": "你把 ε 放进了平方根里（√(v̂ + ε)）；AdamW（以及 torch）是在开方之后加：√v̂ + ε——梯度很小时差别明显",
        "adamw_step": _m_variant(eps_inside_sqrt=True),
    },
    "bias2-outside-sqrt": {
        "en": "you divided √v by (1 − β2^t) instead of by √(1 − β2^t): the second-moment correction goes under the square root",
        "zh": "你用 √v 除以了 (1 − β2^t)，而不是 √(1 − β2^t)：二阶矩的修正要放在平方根里面",
        "adamw_step": _m_variant(bias2_outside_sqrt=True),
    },
    "decay-not-times-lr": {
        "en": "your decay subtracts λ·p without the learning rate; as in torch.optim.AdamW it is lr·λ·p",
        "zh": "你的权重衰减减去的是 λ·p，没有乘学习率；和 torch.optim.AdamW 一样应为 lr·λ·p",
        "adamw_step": _m_variant(decay_not_times_lr=True),
    },
    "decay-after-update": {
        "en": "you applied the decay to the already-updated parameter ((p − lr·Adam)·(1 − lr·λ)); it uses the old p: p·(1 − lr·λ) − lr·Adam",
        "zh": "你对已经更新过的参数做了衰减（(p − lr·Adam)·(1 − lr·λ)）；衰减用的是旧的 p：p·(1 − lr·λ) − lr·Adam",
        "adamw_step": _m_variant(decay_after_update=True),
    },
    "betas-swapped": {
        "en": "you swapped β1 and β2: β1 (0.9) is the first moment's decay, β2 (0.999) the second's",
        "zh": "你把 β1 和 β2 弄反了：β1（0.9）用于一阶矩，β2（0.999）用于二阶矩",
        "adamw_step": _m_variant(betas_swapped=True),
    },
    "v-uses-g": {
        "en": "your second moment averages g instead of g² (so √v̂ can be the root of a negative number)",
        "zh": "你的二阶矩累积的是 g 而不是 g²（于是 √v̂ 可能是负数开方）",
        "adamw_step": _m_variant(v_uses_g=True),
    },
    "stored-corrected-moments": {
        "en": "you returned the bias-corrected m̂ and v̂ as the new state: return the raw m and v (the correction is recomputed each step from t)",
        "zh": "你把偏差修正后的 m̂、v̂ 当作新状态返回了：应返回未修正的 m 和 v（修正每一步根据 t 重新计算）",
        "adamw_step": _m_variant(store_corrected=True),
    },
    "in-place": {
        "en": "you updated params, m or v in place (p -= …, m *= …): the caller's arrays changed; build new arrays and return them",
        "zh": "你原地修改了 params、m 或 v（p -= …、m *= …）：调用者的数组被改了；应创建新数组并返回",
        "adamw_step": in_place,
    },
    "moments-in-place": {
        "en": "you updated the caller's m and v in place (m[k] *= β1, m[k] += …) and returned them: the optimiser state the caller holds changed; build new arrays",
        "zh": "你原地修改了调用者的 m 和 v（m[k] *= β1、m[k] += …）并把它们返回：调用者持有的优化器状态被改了；应创建新数组",
        "adamw_step": moments_in_place,
    },
}
