"""Known mistakes for the softmax drill: each variant is softmax written the way candidates get it wrong.
The grader runs a failing input through them to name what went wrong."""

import numpy as np


def no_max_shift(x, axis=-1):
    e = np.exp(x)
    return e / np.sum(e, axis=axis, keepdims=True)


def global_max(x, axis=-1):
    e = np.exp(x - np.max(x))
    return e / np.sum(e, axis=axis, keepdims=True)


def no_keepdims(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis))
    return e / np.sum(e, axis=axis)


def sum_no_keepdims(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis)


def ignores_axis(x, axis=-1):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def default_axis_first(x, axis=0):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def global_sum(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e)


MISTAKES = {
    "no-max-shift": {
        "en": "your softmax computes exp(x) directly: it overflows to inf (inf / inf = NaN) for large x and gives 0 / 0 for very negative slices; subtract each slice's max first",
        "zh": "你直接计算了 exp(x)：x 很大时溢出成 inf（inf / inf = NaN），整片很负时得到 0 / 0；应先减去每个切片的最大值",
        "softmax": no_max_shift,
    },
    "global-max": {
        "en": "you subtracted the maximum of the whole array instead of each slice's maximum: a slice far below the global max underflows to 0 / 0 = NaN",
        "zh": "你减去的是整个数组的最大值，而不是每个切片自己的最大值：远小于全局最大值的切片会下溢成 0 / 0 = NaN",
        "softmax": global_max,
    },
    "no-keepdims": {
        "en": "your max and sum along the axis drop that axis (no keepdims=True), so they broadcast against the wrong axis: on square inputs each entry is shifted and divided by another slice's values",
        "zh": "你沿该轴求 max 和 sum 时没有 keepdims=True，结果沿错误的轴广播：方阵输入时每个元素减去、除以的是另一个切片的值",
        "softmax": no_keepdims,
    },
    "sum-no-keepdims": {
        "en": "your sum along the axis drops that axis (no keepdims=True), so it broadcasts against the wrong axis: on square inputs each entry is divided by another slice's sum",
        "zh": "你沿该轴求和时没有 keepdims=True，结果沿错误的轴广播：方阵输入时每个元素除以的是另一个切片的和",
        "softmax": sum_no_keepdims,
    },
    "ignores-axis": {
        "en": "your softmax always runs over the last axis: it ignores the `axis` argument",
        "zh": "你的 softmax 总是沿最后一维计算，忽略了 `axis` 参数",
        "softmax": ignores_axis,
    },
    "default-axis-first": {
        "en": "your default is axis=0; the signature says axis=-1 (the last axis) when no axis is given",
        "zh": "你的默认值是 axis=0；签名规定不传 axis 时用 axis=-1（最后一维）",
        "softmax": default_axis_first,
    },
    "global-sum": {
        "en": "you divided by the sum of the whole array, not by the sum of each slice along `axis`: the slices do not sum to 1",
        "zh": "你除以的是整个数组的和，而不是沿 `axis` 每个切片的和：各切片的和不为 1",
        "softmax": global_sum,
    },
}
