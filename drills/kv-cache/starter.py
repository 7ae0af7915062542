"""One decoding step with a KV cache — run `tfprep grade kv-cache` when you are done."""

import math

import torch


def decode_step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    """x_t (B, 1, D): the new token. cache_k, cache_v (B, H, T, D/H), T >= 0 (T = 0: empty caches).
    w_q, w_k, w_v, w_o (D, D), applied as x @ w.T (no biases).

    Returns (y_t (B, 1, D), cache_k (B, H, T + 1, D/H), cache_v (B, H, T + 1, D/H)): the attention output
    of the new token over all T + 1 tokens, and the caches with its key and value appended at the end.
    """
    raise NotImplementedError("project the new token, grow the caches, attend, project")
