import numpy as np


def softmax(x, axis=-1):
    x -= x.max(axis=axis, keepdims=True)  # modifies the caller's array
    np.exp(x, out=x)
    x /= x.sum(axis=axis, keepdims=True)
    return x
