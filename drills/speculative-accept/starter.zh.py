"""投机解码：接受 / 拒绝 —— 写完后运行 `tfprep grade speculative-accept`。"""

import numpy as np


def speculative_accept(draft_tokens, p, q, u, v):
    """draft_tokens (B, γ) 整数，p (B, γ+1, V)，q (B, γ, V)，u (B, γ)，v (B,)。

    返回 (B, γ+1) 的 int64 数组：每个序列输出的 token，其后用 -1 填充。
    """
    raise NotImplementedError(
        "u_i <= p_i(x_i) / q_i(x_i) 时接受 x_i；之后从残差分布中重新采样，或者采 bonus token"
    )
