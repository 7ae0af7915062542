"""Top-k MoE router with a load-balancing loss — run `tfprep grade moe-router` when you are done."""

import numpy as np


def moe_router(x, w_gate, top_k, alpha=0.01):
    """x (N, d), w_gate (d, E). Returns (indices (N, top_k) int, weights (N, top_k), aux_loss float)."""
    raise NotImplementedError("softmax over the experts, top-k, renormalise; then α·E·Σ f_i·P_i")
