"""Softmax — run `tfprep grade softmax` when you are done."""

import numpy as np


def softmax(x, axis=-1):
    """x: float array of any shape; softmax along `axis` (each slice along it sums to 1).

    Returns an array of the same shape and dtype as x.
    """
    raise NotImplementedError("exp, then normalise along `axis` — and keep it finite for |x| up to 1e4")
