"""One AdamW step — run `tfprep grade adamw-step` when you are done."""

import numpy as np


def adamw_step(params, grads, m, v, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    """params, grads, m, v: dicts name -> array (same keys and shapes); t >= 1 is this update's number.

    Returns (new_params, new_m, new_v) as new dicts of new arrays; the inputs must stay unchanged.
    """
    raise NotImplementedError("compute one AdamW update")
