# An honest mistake: the result is computed in complex numbers and returned without taking its real part.
import numpy as np


def softmax(x, axis=-1):
    e = np.exp((x - np.max(x, axis=axis, keepdims=True)).astype(np.complex128))
    return e / np.sum(e, axis=axis, keepdims=True)
