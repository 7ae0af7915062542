"""Known mistakes for positional-encoding: each function builds the table the way a candidate gets it
wrong. The grader runs a failing input through them to name what went wrong."""

import numpy as np


def _angles(max_len, d_model, first=0):
    p = np.arange(first, first + max_len, dtype=np.float64)[:, None]
    return p / np.power(10000.0, np.arange(0, d_model, 2) / d_model)


def concatenated(max_len, d_model):
    a = _angles(max_len, d_model)
    return np.concatenate([np.sin(a), np.cos(a)], axis=1)


def column_index_exponent(max_len, d_model):
    p = np.arange(max_len, dtype=np.float64)[:, None]
    j = np.arange(d_model)
    a = p / np.power(10000.0, j / d_model)
    return np.where(j % 2 == 0, np.sin(a), np.cos(a))


def positions_from_one(max_len, d_model):
    a = _angles(max_len, d_model, first=1)
    pe = np.empty((max_len, d_model))
    pe[:, 0::2], pe[:, 1::2] = np.sin(a), np.cos(a)
    return pe


def exponent_without_two(max_len, d_model):
    p = np.arange(max_len, dtype=np.float64)[:, None]
    a = p / np.power(10000.0, np.arange(d_model // 2) / d_model)
    pe = np.empty((max_len, d_model))
    pe[:, 0::2], pe[:, 1::2] = np.sin(a), np.cos(a)
    return pe


def sin_cos_swapped(max_len, d_model):
    a = _angles(max_len, d_model)
    pe = np.empty((max_len, d_model))
    pe[:, 0::2], pe[:, 1::2] = np.cos(a), np.sin(a)
    return pe


def times_not_divided(max_len, d_model):
    p = np.arange(max_len, dtype=np.float64)[:, None]
    a = p * np.power(10000.0, np.arange(0, d_model, 2) / d_model)
    pe = np.empty((max_len, d_model))
    pe[:, 0::2], pe[:, 1::2] = np.sin(a), np.cos(a)
    return pe


MISTAKES = {
    "concatenated": {
        "en": "you put all the sines in the first half and all the cosines in the second; they interleave: sin in even columns 2i, cos in odd columns 2i+1",
        "zh": "你把所有 sin 放在前半、所有 cos 放在后半；它们应交错排列：偶数列 2i 放 sin，奇数列 2i+1 放 cos",
        "sinusoidal_encoding": concatenated,
    },
    "column-index-exponent": {
        "en": "your exponent uses the column index j, so odd columns get 10000^((2i+1)/d_model); both columns of a pair share the frequency 1/10000^(2i/d_model)",
        "zh": "你的指数用了列下标 j，于是奇数列用的是 10000^((2i+1)/d_model)；一对 (2i, 2i+1) 两列应共用同一个频率 1/10000^(2i/d_model)",
        "sinusoidal_encoding": column_index_exponent,
    },
    "positions-from-one": {
        "en": "your positions start at 1; they start at 0, so the first row is [0, 1, 0, 1, …]",
        "zh": "你的位置从 1 开始；位置应从 0 开始，所以第一行是 [0, 1, 0, 1, …]",
        "sinusoidal_encoding": positions_from_one,
    },
    "exponent-without-two": {
        "en": "your exponent is i/d_model; it is 2i/d_model (i indexes the column pairs), so the frequencies fall too slowly",
        "zh": "你的指数是 i/d_model；应为 2i/d_model（i 是列对的下标），否则频率衰减得太慢",
        "sinusoidal_encoding": exponent_without_two,
    },
    "sin-cos-swapped": {
        "en": "sin and cos are swapped: sin goes in the even columns (2i), cos in the odd columns (2i+1)",
        "zh": "sin 和 cos 放反了：偶数列（2i）放 sin，奇数列（2i+1）放 cos",
        "sinusoidal_encoding": sin_cos_swapped,
    },
    "multiplied-not-divided": {
        "en": "you multiplied the position by 10000^(2i/d_model); divide by it (the frequencies decrease with i)",
        "zh": "你把位置乘以了 10000^(2i/d_model)；应该除以它（频率随 i 递减）",
        "sinusoidal_encoding": times_not_divided,
    },
}
