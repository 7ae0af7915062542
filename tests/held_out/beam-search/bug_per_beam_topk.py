def beam_search(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    beams = [([bos], 0.0)]
    done = []
    for _ in range(max_len):
        if not beams:
            break
        new = []
        for toks, tot in beams:
            lps = step_logprobs(toks)
            order = sorted(range(len(lps)), key=lambda v: -lps[v])[:beam_width]  # top-k per beam
            for v in order:
                h = (toks + [v], tot + lps[v])
                (done if v == eos else new).append(h)
        new.sort(key=lambda h: (-h[1], h[0]))
        beams = new[:beam_width]
    return min(done + beams, key=lambda h: (-h[1] / (len(h[0]) - 1) ** length_penalty, h[0]))[0]
