"""Hidden suite: beam search over table-driven log-probabilities (tiny vocabularies, every prefix in the
table). Crafted tables where finished hypotheses, the eos slot, the length used by the penalty, the tie
rule and max_len each change the answer; width 1 against greedy decoding; wide beams against exhaustive
search; random tables against a second implementation of the same definition."""

import heapq
import itertools

import numpy as np
from hypothesis import Phase, given, seed, settings
from hypothesis import strategies as st

from tfprep.grading.protocol import Table

ENTRY = "beam_search"
BOS, EOS = 0, 1
DEFAULT = [-9.0, -2.5, -2.5, -2.5]


def table(rows, vocab=4, max_len=5, default=DEFAULT):
    """Every prefix with up to max_len generated tokens; the rows given, the default row elsewhere."""
    full = {}
    for n in range(max_len + 1):
        for gen in itertools.product(range(vocab), repeat=n):
            prefix = (BOS, *gen)
            full[prefix] = list(rows.get(prefix, default))
    return Table(full)


def random_table(rng, vocab, max_len, bos, scale=1.5):
    full = {}
    for n in range(max_len + 1):
        for gen in itertools.product(range(vocab), repeat=n):
            z = rng.standard_normal(vocab) * scale
            full[(bos, *gen)] = [float(v) for v in z - np.log(np.exp(z).sum())]
    return Table(full)


STATEMENT = {
    (0,): [-9.0, -1.0, -0.4, -1.2],
    (0, 2): [-9.0, -0.9, -1.5, -1.2],
    (0, 2, 3): [-9.0, -0.1, -0.7, -1.1],
}


# ---------------------------------------------------------------- two independent definitions


def greedy(step, bos, eos, max_len):
    tokens = [bos]
    for _ in range(max_len):
        row = step(tokens)
        tokens.append(max(range(len(row)), key=lambda v: (row[v], -v)))  # ties: the smaller token
        if tokens[-1] == eos:
            break
    return tokens


def exhaustive(step, bos, eos, max_len, alpha):
    """The best of ALL complete sequences: ended by eos, or max_len tokens long."""
    best = None

    def visit(tokens, total):
        nonlocal best
        n = len(tokens) - 1
        if n and (tokens[-1] == eos or n == max_len):
            key = (-(total / n**alpha), tokens)
            best = key if best is None or key < best else best
            return
        for v, lp in enumerate(step(tokens)):
            visit(tokens + [v], total + lp)

    visit([bos], 0.0)
    return best[1]


def second_beam(step, bos, eos, width, max_len, alpha):
    """The statement's definition again, written differently (heaps, tuples)."""
    alive = {(bos,): 0.0}
    done = {}
    for _ in range(max_len):
        pool = (
            (total + lp, seq + (v,)) for seq, total in alive.items() for v, lp in enumerate(step(list(seq)))
        )
        top = heapq.nsmallest(width, pool, key=lambda c: (-c[0], c[1]))
        alive = {seq: total for total, seq in top if seq[-1] != eos}
        done.update({seq: total for total, seq in top if seq[-1] == eos})
        if not alive:
            break
    everything = {**done, **alive}
    return list(min(everything, key=lambda seq: (-(everything[seq] / (len(seq) - 1) ** alpha), seq)))


# ---------------------------------------------------------------- crafted tables


def test_statement_example(judge):
    """the example of the statement (width 2, max_len 3; length_penalty 1 and 0)"""
    t = table(STATEMENT, max_len=3)
    judge.check(ENTRY, t, BOS, EOS, 2, 3, length_penalty=1.0)
    judge.check(ENTRY, t, BOS, EOS, 2, 3, length_penalty=0.0)
    judge.check(ENTRY, t, BOS, EOS, 1, 3, length_penalty=1.0)


EARLY_WINNER = {
    (0,): [-9.0, -0.8, -0.4, -2.5],
    (0, 2): [-9.0, -2.0, -0.9, -1.0],
    (0, 2, 2): [-9.0, -1.4, -1.5, -1.6],
    (0, 2, 3): [-9.0, -1.2, -2.0, -2.0],
}


def test_finished_hypotheses_are_kept(judge):
    """a hypothesis that ends early with eos stays finished and can win at the end"""
    rows = {
        (0,): [-9.0, -0.3, -1.0, -1.1],
        (0, 2): [-9.0, -2.0, -0.6, -0.7],
        (0, 3): [-9.0, -2.2, -0.5, -0.9],
        (0, 1): [-9.0, -0.1, -0.1, -0.1],
    }
    t = table(rows, max_len=4, default=[-9.0, -1.5, -1.2, -1.4])
    judge.check(ENTRY, t, BOS, EOS, 2, 4, length_penalty=1.0)
    judge.check(ENTRY, t, BOS, EOS, 3, 4, length_penalty=0.5)
    judge.check(
        ENTRY,
        table(EARLY_WINNER, max_len=4, default=[-9.0, -3.0, -3.0, -3.0]),
        BOS,
        EOS,
        2,
        4,
        length_penalty=1.0,
    )


def test_search_goes_on_until_the_beam_empties(judge):
    """a step whose best candidate ends in eos does not end the search; an early finished hypothesis can still win"""
    judge.check(
        ENTRY,
        table(EARLY_WINNER, max_len=4, default=[-9.0, -3.0, -3.0, -3.0]),
        BOS,
        EOS,
        2,
        4,
        length_penalty=1.0,
    )
    rows = {
        (0,): [-9.0, -0.6, -0.2, -3.0],
        (0, 2): [-9.0, -0.5, -3.0, -0.7],
        (0, 2, 3): [-9.0, -0.1, -2.0, -2.0],
    }
    t = table(rows, max_len=3, default=[-9.0, -3.0, -3.0, -3.0])
    judge.check(ENTRY, t, BOS, EOS, 2, 3, length_penalty=1.0)


def test_only_kept_candidates_finish(judge):
    """an eos in one beam's own top-2 but not in the step's top-2 overall is pruned, not finished"""
    rows = {
        (0,): [-9.0, -5.0, -0.1, -0.2],
        (0, 2): [-9.0, -1.0, -0.9, -6.0],  # [0,2,1] = -1.1: second in its beam, fourth overall
        (0, 3): [-9.0, -6.0, -0.1, -0.2],
        (0, 2, 2): [-9.0, -0.05, -8.0, -8.0],  # what a search keeping [0,2,2] alive would find
    }
    t = table(rows, max_len=3, default=[-9.0, -8.0, -8.0, -8.0])
    judge.check(ENTRY, t, BOS, EOS, 2, 3, 1.0)


def test_unfinished_hypotheses_compete(judge):
    """a hypothesis still alive at max_len beats a finished one with a worse score"""
    rows = {
        (0,): [-9.0, -0.15, -0.1, -0.2],  # [0,1] finishes with score -0.15
        (0, 2): [-9.0, -6.0, -0.1, -5.0],  # [0,2,2] is alive at max_len with score -0.2 / 2 = -0.1
    }
    t = table(rows, max_len=2, default=[-9.0, -9.0, -9.0, -9.0])
    judge.check(ENTRY, t, BOS, EOS, 2, 2, 1.0)


def test_eos_uses_a_beam_slot(judge):
    """a candidate ending in eos takes one of the beam_width slots of its step"""
    rows = {
        (0,): [-9.0, -0.5, -1.0, -3.0],
        (0, 2): [-9.0, -4.0, -4.2, -4.4],
        (0, 3): [-9.0, -4.0, -4.0, -0.1],
        (0, 3, 3): [-9.0, -0.1, -3.0, -3.0],
    }
    t = table(rows, max_len=3, default=[-9.0, -4.0, -4.0, -4.0])
    judge.check(ENTRY, t, BOS, EOS, 2, 3, length_penalty=2.0)
    # [0, 1] takes a slot at step 1, so [0, 3] is dropped
    judge.check(
        ENTRY,
        table(EARLY_WINNER, max_len=4, default=[-9.0, -3.0, -3.0, -3.0]),
        BOS,
        EOS,
        2,
        4,
        length_penalty=1.0,
    )


def test_length_penalty_counts_generated_tokens(judge):
    """finished hypotheses of 2, 3 and 4 generated tokens: the penalty's length counts eos, not bos"""
    rows = {
        (0,): [-9.0, -9.0, -0.1, -6.0],
        (0, 2): [-9.0, -0.9, -0.3, -9.0],
        (0, 2, 2): [-9.0, -1.0, -0.6, -9.0],
        (0, 2, 2, 2): [-9.0, -1.0, -9.0, -9.5],
    }
    # sums: [0,2,1] -1.0, [0,2,2,1] -1.4, [0,2,2,2,1] -2.0; every other hypothesis is far worse
    t = table(rows, max_len=4, default=[-9.0, -9.0, -9.0, -9.0])
    for alpha in (0.5, 1.5, 1.0, 2.0):
        judge.check(ENTRY, t, BOS, EOS, 2, 4, length_penalty=alpha)


SECOND_PATH = {
    (0,): [-9.0, -5.0, -0.1, -0.2],
    (0, 2): [-9.0, -2.0, -1.0, -1.1],
    (0, 3): [-9.0, -2.0, -0.5, -0.6],
    (0, 2, 2): [-9.0, -0.2, -3.0, -3.0],
    (0, 3, 2): [-9.0, -0.3, -3.0, -3.0],
    (0, 3, 3): [-9.0, -0.1, -3.0, -3.0],
}


def test_beam_beats_greedy(judge):
    """the best sequence starts with the second-best token: width 2 finds it, greedy decoding does not"""
    t = table(SECOND_PATH, max_len=3, default=[-9.0, -3.0, -3.0, -3.0])
    judge.check(ENTRY, t, BOS, EOS, 2, 3, length_penalty=0.0)
    judge.check(ENTRY, t, BOS, EOS, 3, 3, length_penalty=0.0)


def test_one_beam_can_take_every_slot(judge):
    """both slots of the next step may go to the expansions of one hypothesis (here the second one)"""
    rows = {
        (0,): [-9.0, -5.0, -0.2, -0.1],
        (0, 3): [-9.0, -2.0, -1.1, -1.0],
        (0, 2): [-9.0, -2.0, -0.6, -0.5],
        (0, 2, 3): [-9.0, -0.3, -3.0, -3.0],
        (0, 2, 2): [-9.0, -0.1, -3.0, -3.0],
        (0, 3, 3): [-9.0, -0.2, -3.0, -3.0],
    }
    t = table(rows, max_len=3, default=[-9.0, -3.0, -3.0, -3.0])
    judge.check(ENTRY, t, BOS, EOS, 2, 3, length_penalty=0.0)


def test_ranks_all_expansions_together(judge):
    """the beam keeps the best beam_width expansions over all live hypotheses, not per hypothesis"""
    t = table(SECOND_PATH, max_len=3, default=[-9.0, -3.0, -3.0, -3.0])
    judge.check(ENTRY, t, BOS, EOS, 2, 3, length_penalty=1.0)
    rows = {
        (0,): [-9.0, -5.0, -0.1, -0.2],
        (0, 2): [-9.0, -5.0, -0.1, -0.2],
        (0, 3): [-9.0, -5.0, -1.0, -1.1],
        (0, 3, 3): [-9.0, -0.01, -3.0, -3.0],
    }
    t = table(rows, max_len=3, default=[-9.0, -3.0, -3.0, -3.0])
    judge.check(ENTRY, t, BOS, EOS, 2, 3, length_penalty=0.0)


def test_ties_go_to_smaller_sequence(judge):
    """exactly equal scores: the lexicographically smaller token list wins, in the beam and at the end"""
    rows = {
        (0,): [-9.0, -3.0, -1.0, -1.0],
        (0, 2): [-9.0, -1.0, -2.0, -2.0],
        (0, 3): [-9.0, -0.5, -2.0, -2.0],
    }
    t = table(rows, max_len=2, default=[-9.0, -3.0, -3.0, -3.0])
    judge.check(ENTRY, t, BOS, EOS, 1, 2, length_penalty=0.0)
    rows = {
        (0,): [-9.0, -1.5, -1.0, -1.0],
        (0, 3): [-9.0, -0.5, -2.0, -2.0],
        (0, 2): [-9.0, -3.0, -3.0, -3.0],
    }
    t = table(rows, max_len=2, default=[-9.0, -3.0, -3.0, -3.0])
    judge.check(ENTRY, t, BOS, EOS, 3, 2, length_penalty=0.0)
    # [0,3,2] and [0,2,2] tie for the second slot; [0,3] ranked first at step 1, but [0,2,2] is the smaller list
    rows = {
        (0,): [-9.0, -5.0, -1.0, -0.5],
        (0, 3): [-9.0, -3.0, -1.5, -0.25],
        (0, 2): [-9.0, -3.0, -1.0, -3.0],
        (0, 2, 2): [-9.0, -0.5, -3.0, -3.0],
        (0, 3, 3): [-9.0, -5.0, -5.0, -5.0],
    }
    t = table(rows, max_len=3, default=[-9.0, -3.0, -3.0, -3.0])
    judge.check(ENTRY, t, BOS, EOS, 2, 3, length_penalty=0.0)


def test_max_len(judge):
    """max_len counts generated tokens: max_len = 1 and 2 on the statement's table; unfinished hypotheses count"""
    t = table(STATEMENT, max_len=3)
    judge.check(ENTRY, t, BOS, EOS, 2, 1, length_penalty=1.0)
    judge.check(ENTRY, t, BOS, EOS, 2, 2, length_penalty=1.0)
    judge.check(ENTRY, t, BOS, EOS, 3, 2, length_penalty=0.0)


# ---------------------------------------------------------------- random tables


def test_width_one_is_greedy(judge):
    """beam_width 1 is greedy decoding"""
    for _ in range(4):
        vocab, max_len = int(judge.rng.integers(3, 6)), int(judge.rng.integers(2, 6))
        bos, eos = (int(x) for x in judge.rng.choice(vocab, size=2, replace=False))
        t = random_table(judge.rng, vocab, max_len, bos)
        got = judge.check(ENTRY, t, bos, eos, 1, max_len, length_penalty=1.0)
        judge.expect(got, greedy(t, bos, eos, max_len), message="beam_width 1 must give the greedy decoding")


def test_random_tables(judge):
    """random log-softmax tables, vocabularies of 3–5 tokens, max_len up to 5, widths 2–4"""
    for _ in range(6):
        vocab, max_len = int(judge.rng.integers(3, 6)), int(judge.rng.integers(2, 6))
        bos, eos = (int(x) for x in judge.rng.choice(vocab, size=2, replace=False))
        width = int(judge.rng.integers(2, 5))
        alpha = float(judge.rng.choice([0.0, 0.6, 1.0, 1.5]))
        t = random_table(judge.rng, vocab, max_len, bos)
        judge.check(ENTRY, t, bos, eos, width, max_len, length_penalty=alpha)


def test_wide_beam_is_exhaustive(judge):
    """beam_width >= V**max_len prunes nothing: the answer is the best of all sequences"""
    for vocab, max_len in ((3, 4), (4, 3), (5, 2)):
        bos, eos = (int(x) for x in judge.rng.choice(vocab, size=2, replace=False))
        t = random_table(judge.rng, vocab, max_len, bos, scale=1.0)
        alpha = float(judge.rng.choice([0.5, 1.0, 2.0]))
        got = judge.check(ENTRY, t, bos, eos, vocab**max_len, max_len, length_penalty=alpha)
        judge.expect(
            got,
            exhaustive(t, bos, eos, max_len, alpha),
            message="a beam wide enough to keep everything must find the best of all sequences",
        )


def test_matches_second_implementation(judge):
    """random tiny tables against a second, independently written beam search"""

    @seed(judge.seed)
    @settings(
        max_examples=50,
        deadline=None,
        database=None,
        report_multiple_bugs=False,
        phases=(Phase.explicit, Phase.generate),
    )
    @given(
        st.integers(0, 2**32 - 1),
        st.integers(3, 4),
        st.integers(1, 4),
        st.integers(1, 4),
        st.sampled_from([0.0, 0.5, 1.0, 2.0]),
    )
    def inner(table_seed, vocab, max_len, width, alpha):
        rng = np.random.default_rng(table_seed)
        bos, eos = (int(x) for x in rng.choice(vocab, size=2, replace=False))
        t = random_table(rng, vocab, max_len, bos)
        expected = second_beam(t, bos, eos, width, max_len, alpha)
        got = judge.call(ENTRY, t, bos, eos, width, max_len, length_penalty=alpha)
        judge.expect(
            got,
            expected,
            message=judge.tr(
                "V={vocab}, bos={bos}, eos={eos}, beam_width={width}, max_len={max_len}, "
                "length_penalty={alpha}: got {got!r}, expected {expected!r}",
                vocab=vocab,
                bos=bos,
                eos=eos,
                width=width,
                max_len=max_len,
                alpha=alpha,
                got=got,
                expected=expected,
            ),
        )

    inner()
