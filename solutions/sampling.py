"""Reference: temperature, top-k and top-p (nucleus) filtering of next-token logits, in NumPy.

The result is what a sampler draws from: softmax(filter_logits(...)) puts probability 0 on removed tokens.
Every step is a threshold on the last axis, so any number of leading (batch) dims works:
  1. temperature: z = logits / T (T < 1 sharpens, T > 1 flattens);
  2. top-k: keep the entries >= the k-th largest value (ties at the threshold are kept);
  3. top-p: on softmax(z) of the survivors, walk the probabilities in descending order until their running
     sum reaches p; keep every token at least as probable as the one that got there (the crossing token
     and any token tied with it).
"""

import numpy as np


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # removed tokens are -inf: exp gives 0
    return e / e.sum(axis=-1, keepdims=True)


def filter_logits(logits, top_k=0, top_p=1.0, temperature=1.0):
    z = logits / temperature
    if 0 < top_k < z.shape[-1]:
        kth_largest = np.sort(z, axis=-1)[..., -top_k, None]
        z = np.where(z >= kth_largest, z, -np.inf)
    if top_p < 1.0:
        probs = _softmax(z)
        descending = -np.sort(-probs, axis=-1)
        reached = np.cumsum(descending, axis=-1) >= top_p
        reached[..., -1] = True  # the whole mass always counts as reaching p (guards against rounding)
        crossing = np.argmax(reached, axis=-1)[..., None]  # first position where the running sum reaches p
        threshold = np.take_along_axis(descending, crossing, axis=-1)
        z = np.where(probs >= threshold, z, -np.inf)
    return z
