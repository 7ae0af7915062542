import torch
import torch.nn.functional as F


def info_nce(a, b, temperature=0.07, symmetric=False):
    logits = F.normalize(a) @ F.normalize(b).T / temperature
    labels = torch.arange(len(a))
    loss = F.cross_entropy(logits, labels)
    if symmetric:
        loss = (loss + F.cross_entropy(logits, labels.T)) / 2
    return loss
