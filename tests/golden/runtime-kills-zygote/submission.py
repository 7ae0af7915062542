# Kill the worker's parent (the zygote that forks workers), then die.
import os
import signal


def softmax(x, axis=-1):
    os.kill(os.getppid(), signal.SIGKILL)
    os._exit(1)
