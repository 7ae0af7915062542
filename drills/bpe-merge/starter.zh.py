"""BPE 合并步骤与训练——写完后运行 `tfprep grade bpe-merge`。"""


def bpe_merge_step(word_freqs: dict[tuple[str, ...], int]):
    """返回 (best_pair, new_word_freqs)；没有任何词包含两个符号时返回 (None, word_freqs)。"""
    raise NotImplementedError("按词频加权统计相邻符号对，选出最好的 pair，在每个词里合并它")


def bpe_train(word_freqs: dict[tuple[str, ...], int], num_merges: int) -> list[tuple[str, str]]:
    """最多执行 num_merges 步学到的合并（pair）列表。"""
    raise NotImplementedError("反复调用 bpe_merge_step")
