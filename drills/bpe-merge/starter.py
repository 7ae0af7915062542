"""BPE merge step and training — run `tfprep grade bpe-merge` when you are done."""


def bpe_merge_step(word_freqs: dict[tuple[str, ...], int]):
    """Returns (best_pair, new_word_freqs), or (None, word_freqs) when no word has two symbols."""
    raise NotImplementedError("count the weighted pairs, pick the best, merge it in every word")


def bpe_train(word_freqs: dict[tuple[str, ...], int], num_merges: int) -> list[tuple[str, str]]:
    """The list of merges learned by up to num_merges steps."""
    raise NotImplementedError("call bpe_merge_step repeatedly")
