"""Beam search — run `tfprep grade beam-search` when you are done."""


def beam_search(step_logprobs, bos, eos, beam_width, max_len, length_penalty=1.0):
    """step_logprobs(prefix: list[int]) -> list[float] (one log-probability per vocabulary token).

    Returns the best hypothesis as a token list: bos first, and eos last if it finished.
    """
    raise NotImplementedError(
        "expand every live hypothesis, keep the best beam_width, move eos-ended ones out"
    )
