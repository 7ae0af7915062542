"""Known mistakes for bpe-merge: each variant re-implements a step (and the training loop on top of it) the
way a candidate gets it wrong. The grader runs a failing input through them to name what went wrong."""

from collections import Counter


def _merge_ok(word, pair):
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
            out.append(word[i] + word[i + 1])
            i += 2
        else:
            out.append(word[i])
            i += 1
    return tuple(out)


def _merge_overlapping(word, pair):
    # forgets to skip the second symbol: it can take part in the next merge too
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
            out.append(word[i] + word[i + 1])
        else:
            out.append(word[i])
        i += 1
    return tuple(out)


def _merge_first_only(word, pair):
    for i in range(len(word) - 1):
        if (word[i], word[i + 1]) == pair:
            return word[:i] + (word[i] + word[i + 1],) + word[i + 2 :]
    return tuple(word)


def _merge_string_replace(word, pair):
    # joins the symbols with spaces and replaces "x y" by "xy": matches across symbol boundaries
    return tuple(" ".join(word).replace(" ".join(pair), "".join(pair)).split(" "))


def _counts(word_freqs, weighted=True):
    counts = Counter()
    for word, freq in word_freqs.items():
        for pair in zip(word, word[1:]):
            counts[pair] += freq if weighted else 1
    return counts


def _best_greatest(counts):
    return max(counts, key=lambda p: (counts[p], p))


def _best_first_seen(counts):
    return max(counts, key=lambda p: counts[p])  # Counter keeps insertion order: first seen wins ties


def _best_smallest(counts):
    return min(counts, key=lambda p: (-counts[p], p))


def _make_step(merge=_merge_ok, choose=_best_greatest, weighted=True, add_collisions=True):
    def step(word_freqs):
        counts = _counts(word_freqs, weighted)
        if not counts:
            return None, dict(word_freqs)
        best = choose(counts)
        new = {}
        for word, freq in word_freqs.items():
            merged = merge(word, best)
            new[merged] = (new.get(merged, 0) if add_collisions else 0) + freq
        return best, new

    return step


def _make_train(step):
    def train(word_freqs, num_merges):
        merges = []
        for _ in range(num_merges):
            pair, word_freqs = step(word_freqs)
            if pair is None:
                break
            merges.append(pair)
        return merges

    return train


def _variant(**kw):
    step = _make_step(**kw)
    return step, _make_train(step)


overlapping_step, overlapping_train = _variant(merge=_merge_overlapping)
first_only_step, first_only_train = _variant(merge=_merge_first_only)
replace_step, replace_train = _variant(merge=_merge_string_replace)
unweighted_step, unweighted_train = _variant(weighted=False)
first_seen_step, first_seen_train = _variant(choose=_best_first_seen)
smallest_step, smallest_train = _variant(choose=_best_smallest)
overwrite_step, overwrite_train = _variant(add_collisions=False)
_correct_step = _make_step()


def train_without_update(word_freqs, num_merges):
    # never feeds the merged vocabulary back in: the same pair comes out every time
    merges = []
    for _ in range(num_merges):
        pair, _unused = _correct_step(word_freqs)
        if pair is None:
            break
        merges.append(pair)
    return merges


def train_no_early_stop(word_freqs, num_merges):
    # keeps going after the pairs run out, appending None
    merges = []
    for _ in range(num_merges):
        pair, word_freqs = _correct_step(word_freqs)
        merges.append(pair)
    return merges


MISTAKES = {
    "overlapping-merge": {
        "en": "your merge lets occurrences overlap: after merging (x, y) at i, continue at i + 2 — ('a','a','a') with ('a','a') becomes ('aa','a')",
        "zh": "你的合并让出现位置重叠了：在 i 处合并 (x, y) 后应从 i + 2 继续 —— ('a','a','a') 按 ('a','a') 合并得到 ('aa','a')",
        "bpe_merge_step": overlapping_step,
        "bpe_train": overlapping_train,
    },
    "first-occurrence-only": {
        "en": "you merge only the first occurrence of the pair in each word; merge every (non-overlapping) occurrence",
        "zh": "你只合并了每个词中第一次出现的 pair；应合并所有（不重叠的）出现",
        "bpe_merge_step": first_only_step,
        "bpe_train": first_only_train,
    },
    "string-replace": {
        "en": 'your merge replaces text in the space-joined word, which also matches across symbol boundaries ("ab a" contains "b a"); compare whole symbols',
        "zh": '你在用空格连接的字符串上做替换，这会跨越符号边界匹配（"ab a" 中包含 "b a"）；应按完整的符号比较',
        "bpe_merge_step": replace_step,
        "bpe_train": replace_train,
    },
    "unweighted-counts": {
        "en": "your pair counts ignore the word frequencies; each occurrence counts as many times as its word occurs",
        "zh": "你的 pair 计数忽略了词频；每次出现都要按所在词的频次计数",
        "bpe_merge_step": unweighted_step,
        "bpe_train": unweighted_train,
    },
    "tie-first-seen": {
        "en": "your ties go to the pair seen first; they go to the lexicographically greatest pair: max by (count, pair)",
        "zh": "你在计数相同时选了最先出现的 pair；应选字典序最大的 pair：按 (count, pair) 取最大",
        "bpe_merge_step": first_seen_step,
        "bpe_train": first_seen_train,
    },
    "tie-smallest": {
        "en": "your ties go to the lexicographically smallest pair; they go to the greatest",
        "zh": "你在计数相同时选了字典序最小的 pair；应选字典序最大的",
        "bpe_merge_step": smallest_step,
        "bpe_train": smallest_train,
    },
    "collision-overwrites": {
        "en": "when two words become the same tuple after the merge, you kept one frequency; add them up",
        "zh": "两个词合并后变成同一个 tuple 时，你只保留了一个词频；应把它们相加",
        "bpe_merge_step": overwrite_step,
        "bpe_train": overwrite_train,
    },
    "train-without-update": {
        "en": "your bpe_train does not continue from the merged vocabulary: each step must use the word frequencies the previous step returned",
        "zh": "你的 bpe_train 没有在合并后的词表上继续：每一步都要用上一步返回的词频",
        "bpe_train": train_without_update,
    },
    "train-no-early-stop": {
        "en": "your bpe_train keeps going when no pair is left; stop as soon as a step returns None",
        "zh": "没有 pair 可合并时你的 bpe_train 还在继续；某一步返回 None 时就应停止",
        "bpe_train": train_no_early_stop,
    },
}
