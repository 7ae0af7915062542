"""Hidden suite: max dot product of two subsequences. Lists of different lengths (both ways), answers that
must be negative, zeros, a brute force over every pair of subsequences, and a 500×500 case that only an
O(n·m) DP finishes in time."""

from itertools import combinations

from hypothesis import Phase, given, seed, settings
from hypothesis import strategies as st

ENTRY = "max_dot_product"


def ints(judge, n, lo=-100, hi=100):
    return [int(x) for x in judge.rng.integers(lo, hi + 1, size=n)]


def brute(nums1, nums2):
    """Every pair of equal-length index subsets, order kept."""
    best = None
    for length in range(1, min(len(nums1), len(nums2)) + 1):
        for i in combinations(range(len(nums1)), length):
            for j in combinations(range(len(nums2)), length):
                value = sum(nums1[a] * nums2[b] for a, b in zip(i, j))
                best = value if best is None else max(best, value)
    return best


def test_statement_examples(judge):
    """the examples of the statement"""
    judge.check(ENTRY, [1, 2, 3], [3, 2, 1])
    judge.check(ENTRY, [1, 2], [1, 2, 3])
    judge.check(ENTRY, [3, 1], [-2, -4, -1])
    judge.check(ENTRY, [5, -3, 2], [-1, 4])


def test_second_list_longer(judge):
    """nums2 longer than nums1: the best pair may use the end of nums2"""
    judge.check(ENTRY, [5, 2, -6], [-3, 2, 1, 3, -6])
    for _ in range(5):
        n = int(judge.rng.integers(2, 7))
        m = n + int(judge.rng.integers(2, 8))
        judge.check(ENTRY, ints(judge, n), ints(judge, m))


def test_first_list_longer(judge):
    """nums1 longer than nums2"""
    judge.check(ENTRY, [4, -5, 5, 2], [2, 3])
    for _ in range(5):
        m = int(judge.rng.integers(1, 7))
        n = m + int(judge.rng.integers(2, 8))
        judge.check(ENTRY, ints(judge, n), ints(judge, m))


def test_skipping_in_both_lists(judge):
    """the best pair skips elements of both lists"""
    judge.check(ENTRY, [2, -1, -4, 1], [-5, 2, -1, 4, 5])
    judge.check(ENTRY, [-5, -3, 1, -3], [6, 4, -1])
    judge.check(ENTRY, [2, -2, -5, 2], [-2, -3, 5, 1, -6])


def test_answer_can_be_negative(judge):
    """every product is negative: the answer is the largest single product, not 0"""
    judge.check(ENTRY, [4, 2, 7], [-3, -5])
    judge.check(ENTRY, [-1, -1], [1, 1])
    for _ in range(4):
        n, m = (int(x) for x in judge.rng.integers(1, 8, size=2))
        judge.check(ENTRY, ints(judge, n, 1, 1000), ints(judge, m, -1000, -1))


def test_zeros(judge):
    """zeros in the input: 0 is the answer only when a zero product is the best available"""
    judge.check(ENTRY, [0, 3], [-2, -1])
    judge.check(ENTRY, [0], [0])
    judge.check(ENTRY, [-3, 0, 2, -1], [4, 0, -5])


def test_single_elements(judge):
    """one-element lists: the answer is the product"""
    judge.check(ENTRY, [7], [-6])
    judge.check(ENTRY, [-1000], [-1000])
    judge.check(ENTRY, [3], [-2, -8, 5, 1])
    judge.check(ENTRY, [9, -2, -4], [-3])


def test_matches_brute_force(judge):
    """small random lists against a brute force over every pair of subsequences"""
    small = st.lists(st.integers(-6, 6), min_size=1, max_size=6)

    @seed(judge.seed)
    @settings(
        max_examples=80,
        deadline=None,
        database=None,
        report_multiple_bugs=False,
        phases=(Phase.explicit, Phase.generate),
    )
    @given(small, small)
    def inner(nums1, nums2):
        # not named: on the tiny inputs hypothesis shrinks to, different mistakes give the same number
        expected = brute(nums1, nums2)
        got = judge.call(ENTRY, list(nums1), list(nums2))
        judge.expect(
            got,
            expected,
            message=judge.tr(
                "for nums1={nums1}, nums2={nums2}: got {got!r}, expected {expected}",
                nums1=nums1,
                nums2=nums2,
                got=got,
                expected=expected,
            ),
        )

    inner()


def test_random_medium(judge):
    """random lists of 20–80 values in [-1000, 1000], lengths differ"""
    for _ in range(4):
        n, m = (int(x) for x in judge.rng.integers(20, 81, size=2))
        judge.check(ENTRY, ints(judge, n, -1000, 1000), ints(judge, m, -1000, 1000))


def test_largest_inputs_in_time(judge):
    """500×500 and 500×1 lists: an O(n·m) DP is fast enough, exponential or O(n²m²) search is not"""
    judge.check(ENTRY, ints(judge, 500, -1000, 1000), ints(judge, 500, -1000, 1000))
    judge.check(ENTRY, ints(judge, 500, 1, 1000), ints(judge, 500, -1000, -1))
    judge.check(ENTRY, ints(judge, 500, -1000, 1000), ints(judge, 1, -1000, 1000))
