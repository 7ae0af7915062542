"""Reference: one merge step of byte-pair-encoding training, and the training loop (Sennrich et al., 2016).

A word is a tuple of symbols (initially characters) with a corpus frequency. Each step:
  1. count every adjacent symbol pair inside every word, weighted by the word's frequency
     (pairs never span two words);
  2. pick the most frequent pair; ties go to the lexicographically greatest pair;
  3. rewrite every word, replacing each occurrence of the pair by the merged symbol, scanning left to
     right without overlap: ('a', 'a', 'a') with ('a', 'a') becomes ('aa', 'a').
Training repeats the step; the list of merges, in order, is what a BPE tokenizer later replays.
"""

from collections import Counter


def _merge_word(word: tuple[str, ...], pair: tuple[str, str]) -> tuple[str, ...]:
    merged, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
            merged.append(word[i] + word[i + 1])
            i += 2  # both symbols are used up: occurrences never overlap
        else:
            merged.append(word[i])
            i += 1
    return tuple(merged)


def bpe_merge_step(word_freqs: dict[tuple[str, ...], int]):
    counts: Counter = Counter()
    for word, freq in word_freqs.items():
        for pair in zip(word, word[1:]):
            counts[pair] += freq
    if not counts:
        return None, dict(word_freqs)
    best = max(counts, key=lambda pair: (counts[pair], pair))
    new_freqs: dict[tuple[str, ...], int] = {}
    for word, freq in word_freqs.items():
        merged = _merge_word(word, best)
        new_freqs[merged] = new_freqs.get(merged, 0) + freq  # two words may become one
    return best, new_freqs


def bpe_train(word_freqs: dict[tuple[str, ...], int], num_merges: int) -> list[tuple[str, str]]:
    merges = []
    for _ in range(num_merges):
        pair, word_freqs = bpe_merge_step(word_freqs)
        if pair is None:
            break
        merges.append(pair)
    return merges
