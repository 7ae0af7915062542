"""Sinusoidal positional encoding — run `tfprep grade positional-encoding` when you are done."""

import numpy as np


def sinusoidal_encoding(max_len, d_model):
    """The (max_len, d_model) float64 table: PE[p, 2i] = sin(p / 10000^(2i/d_model)), PE[p, 2i+1] = cos(…)."""
    raise NotImplementedError("fill the even columns with sin and the odd columns with cos")
