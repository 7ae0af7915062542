"""Known mistakes for layernorm-backward: each function is the backward pass the way a candidate gets it
wrong. The grader runs a failing input through them to name what went wrong."""

import numpy as np


def _parts(x, eps, ddof=0, eps_outside=False, moments=False):
    d = x.shape[-1]
    mean = x.mean(axis=-1, keepdims=True)
    if moments:
        var = (x * x).mean(axis=-1, keepdims=True) - mean * mean
    else:
        var = ((x - mean) ** 2).sum(axis=-1, keepdims=True) / (d - ddof)
    std = np.sqrt(var) + eps if eps_outside else np.sqrt(var + eps)
    return (x - mean) / std, 1.0 / std


def _lead(x):
    return tuple(range(x.ndim - 1))


def _grads(x, gamma, grad_y, xhat, rstd, mean_term=True, var_term=True, use_gamma=True):
    ghat = grad_y * gamma if use_gamma else grad_y
    gx = ghat.copy()
    if mean_term:
        gx = gx - ghat.mean(axis=-1, keepdims=True)
    if var_term:
        gx = gx - xhat * (ghat * xhat).mean(axis=-1, keepdims=True)
    lead = _lead(x)
    return rstd * gx, (grad_y * xhat).sum(axis=lead), grad_y.sum(axis=lead)


def no_mean_term(x, gamma, beta, grad_y, eps=1e-5):
    return _grads(x, gamma, grad_y, *_parts(x, eps), mean_term=False)


def no_var_term(x, gamma, beta, grad_y, eps=1e-5):
    return _grads(x, gamma, grad_y, *_parts(x, eps), var_term=False)


def stats_constant(x, gamma, beta, grad_y, eps=1e-5):
    return _grads(x, gamma, grad_y, *_parts(x, eps), mean_term=False, var_term=False)


def no_gamma_in_dx(x, gamma, beta, grad_y, eps=1e-5):
    return _grads(x, gamma, grad_y, *_parts(x, eps), use_gamma=False)


def eps_outside(x, gamma, beta, grad_y, eps=1e-5):
    return _grads(x, gamma, grad_y, *_parts(x, eps, eps_outside=True))


def unbiased_variance(x, gamma, beta, grad_y, eps=1e-5):
    return _grads(x, gamma, grad_y, *_parts(x, eps, ddof=1))


def variance_by_moments(x, gamma, beta, grad_y, eps=1e-5):
    return _grads(x, gamma, grad_y, *_parts(x, eps, moments=True))


def dgamma_first_axis_only(x, gamma, beta, grad_y, eps=1e-5):
    gx, _, _ = _grads(x, gamma, grad_y, *_parts(x, eps))
    xhat, _ = _parts(x, eps)
    return gx, (grad_y * xhat).sum(axis=0), grad_y.sum(axis=0)


def dbeta_times_xhat(x, gamma, beta, grad_y, eps=1e-5):
    gx, gg, _ = _grads(x, gamma, grad_y, *_parts(x, eps))
    return gx, gg, gg


def dgamma_uses_x(x, gamma, beta, grad_y, eps=1e-5):
    gx, _, gb = _grads(x, gamma, grad_y, *_parts(x, eps))
    return gx, (grad_y * x).sum(axis=_lead(x)), gb


def mean_over_batch(x, gamma, beta, grad_y, eps=1e-5):
    gx, _, _ = _grads(x, gamma, grad_y, *_parts(x, eps))
    xhat, _ = _parts(x, eps)
    lead = _lead(x)
    return gx, (grad_y * xhat).mean(axis=lead), grad_y.mean(axis=lead)


def grad_y_in_place(x, gamma, beta, grad_y, eps=1e-5):
    xhat, rstd = _parts(x, eps)
    lead = _lead(x)
    grad_beta = grad_y.sum(axis=lead)
    grad_gamma = (grad_y * xhat).sum(axis=lead)
    grad_y *= gamma  # ĝ written over the caller's grad_y
    gx = rstd * (
        grad_y - grad_y.mean(axis=-1, keepdims=True) - xhat * (grad_y * xhat).mean(axis=-1, keepdims=True)
    )
    return gx, grad_gamma, grad_beta


def gamma_beta_swapped(x, gamma, beta, grad_y, eps=1e-5):
    gx, gg, gb = _grads(x, gamma, grad_y, *_parts(x, eps))
    return gx, gb, gg


MISTAKES = {
    "no-mean-term": {
        "en": "your grad_x misses the path through the mean: subtract mean(ĝ) over the row, dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂)) with ĝ = g⊙γ",
        "zh": "你的 grad_x 漏掉了经过均值的那条路径：要减去这一行 ĝ 的均值，dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ⊙x̂))，其中 ĝ = g⊙γ",
        "layer_norm_backward": no_mean_term,
    },
    "no-var-term": {
        "en": "your grad_x misses the path through the variance: subtract x̂·mean(ĝ⊙x̂) over the row as well",
        "zh": "你的 grad_x 漏掉了经过方差的那条路径：还要减去 x̂·mean(ĝ⊙x̂)（按行求均值）",
        "layer_norm_backward": no_var_term,
    },
    "stats-treated-constant": {
        "en": "you treated the mean and the variance as constants (dx = ĝ·rstd); both depend on every x of the row and add two terms",
        "zh": "你把均值和方差当成了常数（dx = ĝ·rstd）；它们都依赖这一行的每个 x，会再贡献两项",
        "layer_norm_backward": stats_constant,
    },
    "no-gamma-in-dx": {
        "en": "your grad_x uses g instead of ĝ = g⊙γ: the gradient reaching x̂ has been scaled by gamma",
        "zh": "你的 grad_x 用的是 g 而不是 ĝ = g⊙γ：传到 x̂ 的梯度要先乘上 gamma",
        "layer_norm_backward": no_gamma_in_dx,
    },
    "eps-outside-root": {
        "en": "your forward used (x − mean) / (std + eps); eps goes inside the square root: rstd = 1 / sqrt(var + eps)",
        "zh": "你的前向用的是 (x − mean) / (std + eps)；eps 应在根号里面：rstd = 1 / sqrt(var + eps)",
        "layer_norm_backward": eps_outside,
    },
    "unbiased-variance": {
        "en": "your variance divides by D − 1 (unbiased); LayerNorm uses the biased variance, the mean of the squared deviations",
        "zh": "你的方差除以 D − 1（无偏估计）；LayerNorm 用的是有偏方差，即偏差平方的均值",
        "layer_norm_backward": unbiased_variance,
    },
    "variance-by-moments": {
        "en": "you computed the variance as mean(x²) − mean(x)², which cancels catastrophically when the mean is large; use mean((x − mean)²)",
        "zh": "你用 mean(x²) − mean(x)² 计算方差，均值很大时会发生灾难性抵消；应使用 mean((x − mean)²)",
        "layer_norm_backward": variance_by_moments,
    },
    "dgamma-first-axis-only": {
        "en": "grad_gamma / grad_beta are summed over axis 0 only; gamma and beta are shared by every row, so sum over ALL leading axes (the result has shape (D,))",
        "zh": "grad_gamma / grad_beta 只沿 axis 0 求了和；gamma 和 beta 被所有行共享，所以要对前面所有的维度求和（结果形状为 (D,)）",
        "layer_norm_backward": dgamma_first_axis_only,
    },
    "dbeta-times-xhat": {
        "en": "your grad_beta is Σ g⊙x̂ (that is grad_gamma); beta is added as it is, so grad_beta = Σ g",
        "zh": "你的 grad_beta 是 Σ g⊙x̂（那是 grad_gamma）；beta 是直接加上去的，所以 grad_beta = Σ g",
        "layer_norm_backward": dbeta_times_xhat,
    },
    "dgamma-uses-x": {
        "en": "your grad_gamma is Σ g⊙x; gamma multiplies the NORMALISED x̂, so grad_gamma = Σ g⊙x̂",
        "zh": "你的 grad_gamma 是 Σ g⊙x；gamma 乘的是归一化之后的 x̂，所以 grad_gamma = Σ g⊙x̂",
        "layer_norm_backward": dgamma_uses_x,
    },
    "gamma-beta-swapped": {
        "en": "you returned (grad_x, grad_beta, grad_gamma); the order is (grad_x, grad_gamma, grad_beta)",
        "zh": "你返回的是 (grad_x, grad_beta, grad_gamma)；顺序应为 (grad_x, grad_gamma, grad_beta)",
        "layer_norm_backward": gamma_beta_swapped,
    },
    "modifies-grad-y": {
        "en": "you multiplied grad_y by gamma in place (grad_y *= gamma); the caller's grad_y must stay as it was: ghat = grad_y * gamma",
        "zh": "你原地把 grad_y 乘上了 gamma（grad_y *= gamma）；调用者的 grad_y 必须保持不变：ghat = grad_y * gamma",
        "layer_norm_backward": grad_y_in_place,
    },
    "mean-over-batch": {
        "en": "you averaged grad_gamma / grad_beta over the rows; the loss depends on gamma through every row, so the gradients are SUMS",
        "zh": "你对 grad_gamma / grad_beta 按行取了平均；损失通过每一行都依赖 gamma，所以梯度是求和",
        "layer_norm_backward": mean_over_batch,
    },
}
