"""Reference: the sinusoidal positional encoding of "Attention Is All You Need", in NumPy.

Column pair (2i, 2i+1) is one frequency w_i = 1 / 10000^(2i / d_model): sin in the even column, cos in the
odd one, evaluated at the position p = 0, 1, …, max_len-1. Frequencies fall geometrically from 1 (i = 0,
wavelength 2π) to almost 1/10000 (wavelength ≈ 10000·2π), and since each pair is (sin, cos) of the same
angle, PE[p + k] is a fixed rotation of PE[p] for every p: relative positions are linear functions.
"""

import numpy as np


def sinusoidal_encoding(max_len, d_model):
    positions = np.arange(max_len, dtype=np.float64)[:, None]  # (max_len, 1)
    two_i = np.arange(0, d_model, 2, dtype=np.float64)  # the even column indices 0, 2, 4, …
    angles = positions / np.power(10000.0, two_i / d_model)  # (max_len, d_model // 2)
    pe = np.empty((max_len, d_model))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe
