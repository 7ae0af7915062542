import os
import time

import torch

# A double-forked setsid daemon; the import waits until it has written its pid, so the check below
# always has a pid to look for.
r, w = os.pipe()
child = os.fork()
if child == 0:
    os.setsid()
    if os.fork() == 0:
        with open("/tmp/tfprep-golden-daemon.pid", "w") as f:
            f.write(str(os.getpid()))
        os.write(w, b"x")
        while True:
            time.sleep(1)
    os._exit(0)
os.read(r, 1)
os.waitpid(child, 0)


def scaled_dot_product_attention(q, k, v, mask=None):
    return torch.zeros(*q.shape[:-1], v.shape[-1], dtype=q.dtype), torch.zeros(
        *q.shape[:-1], k.shape[-2], dtype=q.dtype
    )
