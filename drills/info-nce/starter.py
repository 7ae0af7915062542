"""InfoNCE / CLIP contrastive loss — run `tfprep grade info-nce` when you are done."""

import torch
import torch.nn.functional as F


def info_nce(a, b, temperature=0.07, symmetric=False):
    """a, b: (N, D) paired embeddings (a_i goes with b_i). Returns the mean loss as a 0-d tensor.

    symmetric=False: the a→b loss only; symmetric=True: the mean of the a→b and b→a losses (CLIP).
    """
    raise NotImplementedError("compute the contrastive loss")
