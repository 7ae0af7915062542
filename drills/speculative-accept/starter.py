"""Speculative decoding: accept / reject — run `tfprep grade speculative-accept` when you are done."""

import numpy as np


def speculative_accept(draft_tokens, p, q, u, v):
    """draft_tokens (B, γ) int, p (B, γ+1, V), q (B, γ, V), u (B, γ), v (B,).

    Returns (B, γ+1) int64: each sequence's emitted tokens, then -1 padding.
    """
    raise NotImplementedError(
        "accept x_i while u_i <= p_i(x_i) / q_i(x_i); then resample or take the bonus token"
    )
