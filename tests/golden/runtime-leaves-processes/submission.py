import os
import time

import torch

# The test's own temp folder: the worker runs in <temp>/tfprep-run-*/w-*/ (its cwd), removed afterwards.
PID_FILE = os.path.join(os.path.dirname(os.path.dirname(os.getcwd())), "tfprep-golden-daemon.pid")

# A double-forked setsid daemon; the import waits until it has written its pid, so the check below
# always has a pid to look for.
r, w = os.pipe()
child = os.fork()
if child == 0:
    os.setsid()
    if os.fork() == 0:
        with open(PID_FILE, "w") as f:
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
