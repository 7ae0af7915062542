def beam_search(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    beams = [([bos], 0.0)]
    finished = []
    for _ in range(max_len):
        if not beams:
            break
        cands = [(toks + [v], tot + lp) for toks, tot in beams for v, lp in enumerate(step_logprobs(toks))]
        cands.sort(key=lambda h: (-h[1], h[0]))
        beams = []
        for h in cands[:beam_width]:
            (finished if h[0][-1] == eos else beams).append(h)
    pool = finished if finished else beams  # only fall back to unfinished ones
    return min(pool, key=lambda h: (-h[1] / (len(h[0]) - 1) ** length_penalty, h[0]))[0]
