"""Known mistakes for the swiglu-ffn drill. Each variant subclasses the reference (same parameter names) and
overrides `forward` the way a candidate gets it wrong."""

import sys

import torch
import torch.nn.functional as F

# The reference class: a global when this file is appended to the reference (a variant graded as a
# submission), the loaded reference module when the judge imports this file on its own to name a mistake.
_Base = globals().get("SwiGLUFFN") or sys.modules["tfprep_reference"].SwiGLUFFN


def _variant(name, forward):
    return type(name, (_Base,), {"forward": forward})


def silu_on_up(self, x):
    return self.w2(self.w1(x) * F.silu(self.w3(x)))


def silu_on_both(self, x):
    return self.w2(F.silu(self.w1(x)) * F.silu(self.w3(x)))


def gelu_gate(self, x):
    return self.w2(F.gelu(self.w1(x)) * self.w3(x))


def relu_gate(self, x):
    return self.w2(F.relu(self.w1(x)) * self.w3(x))


def sigmoid_gate(self, x):
    return self.w2(torch.sigmoid(self.w1(x)) * self.w3(x))


def no_gate(self, x):
    return self.w2(F.silu(self.w1(x)))


def down_before_product(self, x):
    return self.w2(F.silu(self.w1(x))) * self.w2(self.w3(x))


def silu_of_product(self, x):
    return self.w2(F.silu(self.w1(x) * self.w3(x)))


def add_not_multiply(self, x):
    return self.w2(F.silu(self.w1(x)) + self.w3(x))


def residual_added(self, x):
    return x + self.w2(F.silu(self.w1(x)) * self.w3(x))


def silu_after_down(self, x):
    return F.silu(self.w2(self.w1(x) * self.w3(x)))


MISTAKES = {
    "silu-on-up": {
        "en": "you applied SiLU to the up-projection w3 instead of the gate w1: the output is w2(silu(w1 x) ⊙ w3 x)",
        "zh": "你把 SiLU 用在了上投影 w3 上，而不是门控 w1 上：输出应为 w2(silu(w1 x) ⊙ w3 x)",
        "SwiGLUFFN": _variant("SiluOnUp", silu_on_up),
    },
    "silu-on-both": {
        "en": "you applied SiLU to both projections; only the gate w1 x goes through it, the up-projection w3 x stays linear",
        "zh": "你对两个投影都用了 SiLU；只有门控 w1 x 经过激活，上投影 w3 x 保持线性",
        "SwiGLUFFN": _variant("SiluOnBoth", silu_on_both),
    },
    "gelu-gate": {
        "en": "your gate uses GELU (that is GeGLU); SwiGLU uses SiLU = x·σ(x)",
        "zh": "你的门控用的是 GELU（那是 GeGLU）；SwiGLU 用的是 SiLU = x·σ(x)",
        "SwiGLUFFN": _variant("GeluGate", gelu_gate),
    },
    "relu-gate": {
        "en": "your gate uses ReLU (that is ReGLU); SwiGLU uses SiLU = x·σ(x)",
        "zh": "你的门控用的是 ReLU（那是 ReGLU）；SwiGLU 用的是 SiLU = x·σ(x)",
        "SwiGLUFFN": _variant("ReluGate", relu_gate),
    },
    "sigmoid-gate": {
        "en": "your gate is σ(w1 x) (the original GLU); SiLU is w1x·σ(w1 x) — you dropped the factor w1 x",
        "zh": "你的门控是 σ(w1 x)（原始的 GLU）；SiLU 是 w1x·σ(w1 x)——你漏掉了因子 w1 x",
        "SwiGLUFFN": _variant("SigmoidGate", sigmoid_gate),
    },
    "no-gate": {
        "en": "your FFN is w2(silu(w1 x)), a plain two-matrix FFN: multiply elementwise by the up-projection w3 x before w2",
        "zh": "你的 FFN 是 w2(silu(w1 x))，即普通的两层 FFN：在 w2 之前要逐元素乘以上投影 w3 x",
        "SwiGLUFFN": _variant("NoGate", no_gate),
    },
    "down-before-product": {
        "en": "you applied w2 to each branch and multiplied the results; the product is taken in the d_ff-dim hidden space, then w2 projects it down once",
        "zh": "你对两个分支分别做了 w2 再相乘；乘积应在 d_ff 维的隐藏空间里计算，再用 w2 投影一次",
        "SwiGLUFFN": _variant("DownBeforeProduct", down_before_product),
    },
    "silu-of-product": {
        "en": "you applied SiLU to the product (silu(w1 x ⊙ w3 x)); only the gate goes through it: silu(w1 x) ⊙ w3 x",
        "zh": "你对乘积做了 SiLU（silu(w1 x ⊙ w3 x)）；只有门控经过 SiLU：silu(w1 x) ⊙ w3 x",
        "SwiGLUFFN": _variant("SiluOfProduct", silu_of_product),
    },
    "add-not-multiply": {
        "en": "you added the gate and the up-projection; the gate multiplies it elementwise: silu(w1 x) ⊙ w3 x",
        "zh": "你把门控和上投影相加了；门控应与它逐元素相乘：silu(w1 x) ⊙ w3 x",
        "SwiGLUFFN": _variant("AddNotMultiply", add_not_multiply),
    },
    "residual-added": {
        "en": "your module adds the input back (x + FFN(x)); the residual connection belongs to the block around it: return only the FFN",
        "zh": "你的模块把输入加了回去（x + FFN(x)）；残差连接属于外面的 block：只返回 FFN 的输出",
        "SwiGLUFFN": _variant("ResidualAdded", residual_added),
    },
    "silu-after-down": {
        "en": "you applied SiLU after the down-projection; it acts on the gate w1 x inside the hidden layer",
        "zh": "你在下投影之后才做 SiLU；它应作用在隐藏层里的门控 w1 x 上",
        "SwiGLUFFN": _variant("SiluAfterDown", silu_after_down),
    },
}
