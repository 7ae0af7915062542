# A list nested 600 levels deep.
def softmax(x, axis=-1):
    value = [0.5]
    for _ in range(600):
        value = [value]
    return value
