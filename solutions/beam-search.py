"""Reference: beam search over a next-token log-probability function, in plain Python.

A hypothesis is a token list that starts with bos, with the sum of the log-probabilities of its generated
tokens. Each step expands every live hypothesis by every token, keeps the beam_width best candidates over
ALL expansions, and moves those that end in eos to the finished list (they stop taking beam slots, so the
next step chooses beam_width candidates again from the hypotheses still alive). The search ends after
max_len steps or when no hypothesis is alive. The answer is the best finished or still-alive hypothesis by

    score = sum of log-probs / (number of generated tokens, eos included) ** length_penalty,

ties going to the lexicographically smaller token list. Without the length normalisation (penalty 0),
short hypotheses win simply because every extra token adds a negative log-probability.
"""


def beam_search(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    def score(hyp):
        tokens, total = hyp
        return total / (len(tokens) - 1) ** length_penalty  # generated tokens: bos excluded, eos included

    live = [([bos], 0.0)]
    finished = []
    for _ in range(max_len):
        candidates = [
            (tokens + [token], total + logprob)
            for tokens, total in live
            for token, logprob in enumerate(step_logprobs(tokens))
        ]
        # All candidates of one step have the same length, so ranking by score is ranking by the sum.
        candidates.sort(key=lambda hyp: (-hyp[1], hyp[0]))
        live = []
        for tokens, total in candidates[:beam_width]:
            (finished if tokens[-1] == eos else live).append((tokens, total))
        if not live:
            break
    best = min(finished + live, key=lambda hyp: (-score(hyp), hyp[0]))
    return best[0]
