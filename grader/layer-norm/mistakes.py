"""Known mistakes for layer-norm: each function re-implements an entry the way a candidate gets it wrong.
The grader runs a failing input through them to name what went wrong."""

import numpy as np


def _ln(x, gamma, beta, eps, axis=-1, ddof=0):
    mean = x.mean(axis=axis, keepdims=True)
    var = ((x - mean) ** 2).sum(axis=axis, keepdims=True) / (x.shape[axis] - ddof)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def ln_unbiased(x, gamma, beta, eps=1e-5):
    return _ln(x, gamma, beta, eps, ddof=1)


def ln_eps_outside(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    return (x - mean) / (x.std(axis=-1, keepdims=True) + eps) * gamma + beta


def rms_eps_outside(x, gamma, eps=1e-6):
    return x / (np.sqrt((x * x).mean(axis=-1, keepdims=True)) + eps) * gamma


def ln_no_eps(x, gamma, beta, eps=1e-5):
    return _ln(x, gamma, beta, 0.0)


def rms_no_eps(x, gamma, eps=1e-6):
    return x / np.sqrt((x * x).mean(axis=-1, keepdims=True)) * gamma


def ln_batch_axis(x, gamma, beta, eps=1e-5):
    return _ln(x, gamma, beta, eps, axis=0)


def rms_batch_axis(x, gamma, eps=1e-6):
    return x / np.sqrt((x * x).mean(axis=0, keepdims=True) + eps) * gamma


def rms_centred(x, gamma, eps=1e-6):
    return _ln(x, gamma, 0.0, eps)


def ln_no_affine(x, gamma, beta, eps=1e-5):
    return _ln(x, 1.0, 0.0, eps)


def rms_no_gamma(x, gamma, eps=1e-6):
    return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps)


def ln_no_beta(x, gamma, beta, eps=1e-5):
    return _ln(x, gamma, 0.0, eps)


def rms_l2(x, gamma, eps=1e-6):
    return x / np.sqrt((x * x).sum(axis=-1, keepdims=True) + eps) * gamma


def ln_moments(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = (x * x).mean(axis=-1, keepdims=True) - mean * mean
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def ln_default_1e6(x, gamma, beta, eps=1e-6):
    return _ln(x, gamma, beta, eps)


def rms_default_1e5(x, gamma, eps=1e-5):
    return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps) * gamma


MISTAKES = {
    "unbiased-variance": {
        "en": "your variance divides by D-1 (unbiased, ddof=1); LayerNorm uses the biased variance: the mean of the squared deviations",
        "zh": "你的方差除以 D-1（无偏估计，ddof=1）；LayerNorm 用的是有偏方差：偏差平方的均值（除以 D）",
        "layer_norm": ln_unbiased,
    },
    "eps-outside-root": {
        "en": "you added eps outside the square root, (x - mean) / (std + eps); it goes inside: / sqrt(var + eps)",
        "zh": "你把 eps 加在了平方根外面，(x - mean) / (std + eps)；应加在根号里面：/ sqrt(var + eps)",
        "layer_norm": ln_eps_outside,
        "rms_norm": rms_eps_outside,
    },
    "no-eps": {
        "en": "your result ignores eps: add it to the variance (mean square) inside the square root",
        "zh": "你的结果忽略了 eps：要在平方根里面把它加到方差（均方）上",
        "layer_norm": ln_no_eps,
        "rms_norm": rms_no_eps,
    },
    "batch-axis": {
        "en": "you normalised over axis 0 (the batch, as BatchNorm does); normalise each feature vector over the last axis",
        "zh": "你沿 axis 0（batch 维，这是 BatchNorm 的做法）做了归一化；应对每个特征向量沿最后一维归一化",
        "layer_norm": ln_batch_axis,
        "rms_norm": rms_batch_axis,
    },
    "rms-subtracts-mean": {
        "en": "your rms_norm subtracts the mean (that is LayerNorm without beta); RMSNorm divides x itself by sqrt(mean(x²) + eps)",
        "zh": "你的 rms_norm 减去了均值（那是没有 beta 的 LayerNorm）；RMSNorm 直接用 x 除以 sqrt(mean(x²) + eps)",
        "rms_norm": rms_centred,
    },
    "no-affine": {
        "en": "your output ignores gamma (and beta): multiply the normalised values by gamma, then add beta",
        "zh": "你的输出忽略了 gamma（和 beta）：归一化之后要乘以 gamma，再加上 beta",
        "layer_norm": ln_no_affine,
        "rms_norm": rms_no_gamma,
    },
    "no-beta": {
        "en": "your layer_norm ignores beta: add it after multiplying by gamma",
        "zh": "你的 layer_norm 忽略了 beta：乘以 gamma 之后还要加上 beta",
        "layer_norm": ln_no_beta,
    },
    "sum-not-mean": {
        "en": "your rms_norm divides by sqrt(sum(x²)) (the L2 norm); RMSNorm uses the MEAN of the squares",
        "zh": "你的 rms_norm 除以 sqrt(sum(x²))（L2 范数）；RMSNorm 用的是平方的均值",
        "rms_norm": rms_l2,
    },
    "variance-by-moments": {
        "en": "you computed the variance as mean(x²) - mean(x)², which cancels catastrophically when the mean is large; use mean((x - mean)²)",
        "zh": "你用 mean(x²) - mean(x)² 计算方差，均值很大时会发生灾难性抵消；应使用 mean((x - mean)²)",
        "layer_norm": ln_moments,
    },
    "wrong-default-eps": {
        "en": "a default eps is wrong: layer_norm defaults to eps=1e-5, rms_norm to eps=1e-6",
        "zh": "默认 eps 不对：layer_norm 默认 eps=1e-5，rms_norm 默认 eps=1e-6",
        "layer_norm": ln_default_1e6,
        "rms_norm": rms_default_1e5,
    },
}
