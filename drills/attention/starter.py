"""Scaled dot-product attention — run `tfprep grade attention` when you are done."""

import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    """q (..., Lq, d_k), k (..., Lk, d_k), v (..., Lk, d_v), mask bool (True = may attend).

    Returns (output (..., Lq, d_v), weights (..., Lq, Lk)).
    """
    raise NotImplementedError("compute softmax(q kᵀ / √d_k) v")
