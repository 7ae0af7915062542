# A correct softmax whose first answer takes 6 s to arrive, trickled in pieces every 0.4 s, so that no
# single read waits as long as the 2-second limit.
import socket
import time

import numpy as np

plain_sendall = socket.socket.sendall
sends = [0]


def trickle(sock, data, *flags):
    sends[0] += 1
    if sends[0] != 2:  # the first is the worker's hello; slow down the answer to the first call
        return plain_sendall(sock, data, *flags)
    step = max(1, len(data) // 15)
    for i in range(0, len(data), step):
        plain_sendall(sock, data[i : i + step], *flags)
        time.sleep(0.4)
    return None


socket.socket.sendall = trickle


def softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)
