import torch
import torch.nn.functional as F


def info_nce(a, b, temperature=0.07, symmetric=False):
    sim = torch.einsum("nd,md->nm", F.normalize(a, dim=1), F.normalize(b, dim=1)).div(temperature)
    target = torch.arange(sim.size(0))
    views = (sim, sim.t()) if symmetric else (sim,)
    return torch.stack([F.cross_entropy(v, target) for v in views]).mean()
