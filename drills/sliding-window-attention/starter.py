"""Sliding-window attention — run `tfprep grade sliding-window-attention` when you are done."""

import math

import torch


def sliding_window_attention(q, k, v, window):
    """q (..., Lq, d_k), k (..., Lk, d_k), v (..., Lk, d_v), Lq <= Lk, window >= 1.

    Query i sits at position p = i + Lk - Lq and attends to keys j with p - window < j <= p.
    Returns (output (..., Lq, d_v), weights (..., Lq, Lk)).
    """
    raise NotImplementedError("compute causal sliding-window attention")
