"""Reference: InfoNCE / CLIP contrastive loss over a batch of N paired embeddings."""

import torch


def info_nce(a, b, temperature=0.07, symmetric=False):
    # Cosine similarity: unit-normalise every embedding (each ROW, along the feature dim) first, so the
    # logits are bounded by 1/τ and the temperature alone sets how peaked the softmax is.
    a = a / a.norm(dim=-1, keepdim=True)
    b = b / b.norm(dim=-1, keepdim=True)
    logits = a @ b.T / temperature  # (N, N): row i = a_i against every b_j; the positive is on the diagonal
    positives = logits.diagonal()
    # Cross-entropy with label i for row i, written as logsumexp − positive: stable for any τ (torch.logsumexp
    # shifts by the max), so a small temperature cannot overflow exp. F.cross_entropy(logits, arange(N))
    # computes the same.
    loss_ab = (torch.logsumexp(logits, dim=1) - positives).mean()  # each a_i picks its b among all b's
    if not symmetric:
        return loss_ab
    loss_ba = (torch.logsumexp(logits, dim=0) - positives).mean()  # each b_j picks its a: columns of logits
    return (loss_ab + loss_ba) / 2
