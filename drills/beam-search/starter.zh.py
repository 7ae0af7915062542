"""Beam search（束搜索）——写完后运行 `tfprep grade beam-search`。"""


def beam_search(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    """step_logprobs(prefix: list[int]) -> list[float]（词表中每个 token 一个对数概率）。

    返回最好的假设，形式为 token 列表：以 bos 开头；如果已结束，则以 eos 结尾。
    """
    raise NotImplementedError(
        "用每个 token 扩展每个存活的假设，保留最好的 beam_width 个，把以 eos 结尾的移入已结束列表"
    )
