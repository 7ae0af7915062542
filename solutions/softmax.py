"""Reference: a numerically stable softmax along any axis."""

import numpy as np


def softmax(x, axis=-1):
    # Softmax does not change when the same constant is subtracted from every entry of a slice, so subtract
    # each slice's own maximum: the largest exponent becomes exp(0) = 1 (no overflow) and the sum is >= 1
    # (no 0 / 0). keepdims=True keeps the reduced axis as size 1, so it broadcasts back along `axis`.
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)
