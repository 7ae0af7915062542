"""Temperature, top-k and top-p filtering — run `tfprep grade sampling` when you are done."""

import numpy as np


def filter_logits(logits, top_k=0, top_p=1.0, temperature=1.0):
    """logits (..., V). Returns logits / temperature with the filtered-out entries set to -inf (same shape)."""
    raise NotImplementedError("scale by the temperature, then apply top-k, then top-p")
