"""Known mistakes for beam-search: each variant searches the way a candidate gets it wrong. The grader runs a
failing input through them to name what went wrong."""


def _search(
    step,
    bos,
    eos,
    width,
    max_len,
    alpha,
    *,
    gen_len=lambda tokens: len(tokens) - 1,
    stop_at_eos=True,
    eos_takes_slot=True,
    reverse_ties=False,
    steps=None,
    final="all",
    expand="global",
    stop_at_first=False,
):
    def score(hyp):
        n = gen_len(hyp[0])
        return hyp[1] / n**alpha if n > 0 else hyp[1]

    def rank(hyps):
        if reverse_ties:  # higher score first, ties: the lexicographically GREATER list first
            return sorted(hyps, key=lambda h: (h[1], h[0]), reverse=True)
        return sorted(hyps, key=lambda h: (-h[1], h[0]))

    live, finished = [([bos], 0.0)], []
    for t in range(max_len if steps is None else steps(max_len)):
        per_beam = [
            [(tokens + [v], total + lp) for v, lp in enumerate(step(tokens))] for tokens, total in live
        ]
        if expand == "global":
            chosen = rank([c for cands in per_beam for c in cands])
            if eos_takes_slot or not stop_at_eos:
                chosen = chosen[:width]
            else:  # finished ones among the top `width` are kept, but live slots are refilled from the rest
                finished += [h for h in chosen[:width] if h[0][-1] == eos]
                chosen = [h for h in chosen if h[0][-1] != eos][:width]
        elif expand == "no-pruning":  # every beam keeps its own top `width`, nothing is pruned globally
            chosen = [h for cands in per_beam for h in rank(cands)[:width]]
        elif (
            expand == "per-beam-eos"
        ):  # each beam's own top `width`: its eos ones finish, the rest pruned globally
            own = [h for cands in per_beam for h in rank(cands)[:width]]
            finished += [h for h in own if h[0][-1] == eos]
            chosen = rank([h for h in own if h[0][-1] != eos])[:width]
        else:  # "independent": the first step picks `width` tokens, then every beam follows its own best token
            chosen = rank(per_beam[0])[:width] if t == 0 else [rank(cands)[0] for cands in per_beam]
        if stop_at_first and chosen and chosen[0][0][-1] == eos:
            return chosen[0][0]  # the best candidate of the step finished: stop right there
        live = []
        for h in chosen:
            if stop_at_eos and h[0][-1] == eos:
                if eos_takes_slot or expand != "global":
                    finished.append(h)
            else:
                live.append(h)
        if not live:
            break
    pool = {"all": finished + live, "live-only": live or finished, "finished-first": finished or live}[final]
    best = rank([(h[0], score(h)) for h in pool])[0]
    return best[0]


def per_beam_eos_finished(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, expand="per-beam-eos")


def finished_preferred(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, final="finished-first")


def continues_after_eos(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, stop_at_eos=False)


def finished_not_returned(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, final="live-only")


def penalty_excludes_eos(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(
        step_logprobs,
        bos,
        eos,
        beam_width,
        max_len,
        length_penalty,
        gen_len=lambda tokens: len(tokens) - 1 - (tokens[-1] == eos),
    )


def penalty_includes_bos(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, gen_len=len)


def no_length_penalty(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, 0.0)


def independent_beams(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, expand="independent")


def no_global_pruning(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, expand="no-pruning")


def greedy(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, 1, max_len, length_penalty)


def eos_takes_no_slot(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, eos_takes_slot=False)


def ties_reversed(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, reverse_ties=True)


def stops_at_first_eos(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, stop_at_first=True)


def one_step_short(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return (
        _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty, steps=lambda n: n - 1)
        if max_len > 1
        else [bos]
    )


def without_bos(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    return _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty)[1:]


def without_eos(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    tokens = _search(step_logprobs, bos, eos, beam_width, max_len, length_penalty)
    return tokens[:-1] if tokens[-1] == eos else tokens


MISTAKES = {
    "penalty-excludes-eos": {
        "en": "your length penalty does not count eos; the length is the number of generated tokens including eos",
        "zh": "你的长度惩罚没有把 eos 算进长度；长度是生成的 token 数，包括 eos",
        "beam_search": penalty_excludes_eos,
    },
    "finished-not-returned": {
        "en": "your answer ignores the finished hypotheses; the best is chosen among the finished ones and those still alive",
        "zh": "你的答案忽略了已结束的假设；最优结果要在已结束的和仍存活的假设中一起选",
        "beam_search": finished_not_returned,
    },
    "penalty-includes-bos": {
        "en": "your length penalty counts bos; the length is the number of generated tokens (bos excluded, eos included)",
        "zh": "你的长度惩罚把 bos 也算进去了；长度是生成的 token 数（不含 bos，含 eos）",
        "beam_search": penalty_includes_bos,
    },
    "no-length-penalty": {
        "en": "your final choice ignores length_penalty; compare hypotheses by sum / length ** length_penalty",
        "zh": "你在最终选择时忽略了 length_penalty；应按 sum / length ** length_penalty 比较假设",
        "beam_search": no_length_penalty,
    },
    "independent-beams": {
        "en": "each of your beams follows its own best token (beam_width separate greedy searches); rank the expansions of ALL beams together and keep the top beam_width",
        "zh": "你的每个 beam 只沿自己最好的 token 走（相当于 beam_width 个独立的贪心搜索）；应把所有 beam 的扩展放在一起排序，保留前 beam_width 个",
        "beam_search": independent_beams,
    },
    "stops-at-first-eos": {
        "en": "your search stops as soon as the best candidate of a step ends in eos; keep searching with the hypotheses still alive until max_len or an empty beam",
        "zh": "某一步最好的候选以 eos 结尾时你的搜索就停止了；应继续用仍存活的假设搜索，直到 max_len 步或 beam 为空",
        "beam_search": stops_at_first_eos,
    },
    "no-global-pruning": {
        "en": "you keep the top beam_width expansions of every beam, so the beam grows; keep only the top beam_width over all expansions",
        "zh": "你为每个 beam 各保留前 beam_width 个扩展，beam 会不断变大；应只在全部扩展中保留前 beam_width 个",
        "beam_search": no_global_pruning,
    },
    "greedy": {
        "en": "your result is the greedy decoding whatever the beam width; keep beam_width hypotheses alive",
        "zh": "无论 beam 宽度是多少，你的结果都是贪心解码；应同时保留 beam_width 个假设",
        "beam_search": greedy,
    },
    "continues-after-eos": {
        "en": "your search keeps extending hypotheses after eos; a hypothesis that emits eos is finished: move it out of the beam",
        "zh": "你的搜索在 eos 之后还在扩展假设；生成 eos 的假设已经结束：应把它移出 beam",
        "beam_search": continues_after_eos,
    },
    "eos-takes-no-slot": {
        "en": "you refill the live beam with beam_width non-eos candidates; a candidate ending in eos uses one of the beam_width slots of its step",
        "zh": "你用 beam_width 个非 eos 候选补满了存活的 beam；以 eos 结尾的候选在那一步要占用 beam_width 个名额中的一个",
        "beam_search": eos_takes_no_slot,
    },
    "ties-reversed": {
        "en": "your ties go to the lexicographically greater token list; they go to the smaller one",
        "zh": "分数相同时你选了字典序更大的 token 列表；应选字典序更小的",
        "beam_search": ties_reversed,
    },
    "one-step-short": {
        "en": "your search stops one step early; max_len counts generated tokens (eos included), bos not counted",
        "zh": "你的搜索提前一步停止了；max_len 计的是生成的 token 数（含 eos），不含 bos",
        "beam_search": one_step_short,
    },
    "missing-bos": {
        "en": "your result leaves out bos; return the whole hypothesis, bos first",
        "zh": "你的结果缺少 bos；应返回完整的假设，以 bos 开头",
        "beam_search": without_bos,
    },
    "missing-eos": {
        "en": "your result leaves out eos; a finished hypothesis is returned with its eos",
        "zh": "你的结果缺少 eos；已结束的假设要连同 eos 一起返回",
        "beam_search": without_eos,
    },
    "per-beam-eos-finished": {
        "en": "an eos among one beam's own top beam_width finishes even when it is not in the step's top beam_width over all expansions; only the candidates that survive the global ranking can finish",
        "zh": "某个束自己的前 beam_width 个候选中的 eos 即使不在这一步所有扩展的前 beam_width 名里也被你算作完成；只有通过全局排序保留下来的候选才能完成",
        "beam_search": per_beam_eos_finished,
    },
    "finished-preferred": {
        "en": "you return a finished hypothesis whenever one exists; the answer is the best by score among the finished ones AND those still alive",
        "zh": "只要有已完成的假设你就返回它；答案应是已完成的和仍存活的假设中分数最高的那个",
        "beam_search": finished_preferred,
    },
}
