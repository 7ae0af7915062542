# An int far outside the range of a float, where a float is expected.
def cross_entropy(logits, targets):
    return 10**400


def cross_entropy_grad(logits, targets):
    return 10**400
