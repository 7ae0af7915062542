"""Known mistakes for max-dot-product: each function re-implements the task the way a candidate gets it
wrong. The grader runs a failing input through them to name what went wrong."""


def empty_allowed(nums1, nums2):
    # the DP table starts at 0, so "take nothing" is always an option: the answer is never below 0
    m = len(nums2)
    prev = [0] * (m + 1)
    for a in nums1:
        cur = [0] * (m + 1)
        for j, b in enumerate(nums2, start=1):
            cur[j] = max(prev[j - 1] + a * b, prev[j], cur[j - 1])
        prev = cur
    return prev[-1]


def notes_dp(nums1, nums2):
    # the study notes' DP, copied faithfully: (n+1)x(n+1) with n = len(nums1) for both lists, 0-initialised
    n = len(nums1)
    dp = [[0] * (n + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, n + 1):
            dp[i][j] = max(dp[i - 1][j - 1] + nums1[i - 1] * nums2[j - 1], dp[i - 1][j], dp[i][j - 1])
    return dp[n][n]


def same_index_only(nums1, nums2):
    # pairs nums1[i] only with nums2[i]: the best non-empty subset of the aligned products
    products = [a * b for a, b in zip(nums1, nums2)]
    positive = [p for p in products if p > 0]
    return sum(positive) if positive else max(products)


def contiguous_only(nums1, nums2):
    # only the diagonal move (no skipping): contiguous, aligned runs of both lists
    best = float("-inf")
    prev = [0] * (len(nums2) + 1)
    for a in nums1:
        cur = [0] * (len(nums2) + 1)
        for j, b in enumerate(nums2, start=1):
            cur[j] = a * b + max(prev[j - 1], 0)
            best = max(best, cur[j])
        prev = cur
    return best


def single_pair(nums1, nums2):
    # only one pair is ever taken
    return max(a * b for a in nums1 for b in nums2)


def greedy(nums1, nums2):
    # for each element of nums1 in order, take the best partner to the right of the last one taken, if it helps
    total, taken, start = 0, False, 0
    for a in nums1:
        if start >= len(nums2):
            break
        j = max(range(start, len(nums2)), key=lambda k: a * nums2[k])
        if a * nums2[j] > 0:
            total += a * nums2[j]
            taken = True
            start = j + 1
    return total if taken else max(a * b for a in nums1 for b in nums2)


def order_ignored(nums1, nums2):
    # sorts both lists first, as if any element could pair with any other: the largest with the largest,
    # the most negative with the most negative
    a, b = sorted(nums1), sorted(nums2)
    best = float("-inf")
    for length in range(1, min(len(a), len(b)) + 1):
        top = sum(x * y for x, y in zip(a[-length:], b[-length:]))
        bottom = sum(x * y for x, y in zip(a[:length], b[:length]))
        best = max(best, top, bottom)
    return best


def no_skip_nums2(nums1, nums2):
    # the DP forgets "skip nums2[j-1]" (the value to the left, dp[i][j-1])
    prev = [float("-inf")] * (len(nums2) + 1)
    for a in nums1:
        cur = [float("-inf")] * (len(nums2) + 1)
        for j, b in enumerate(nums2, start=1):
            cur[j] = max(a * b + max(prev[j - 1], 0), prev[j])
        prev = cur
    return prev[-1]


def no_skip_nums1(nums1, nums2):
    # the DP forgets "skip nums1[i-1]" (the value from the row above, dp[i-1][j])
    prev = [float("-inf")] * (len(nums2) + 1)
    for a in nums1:
        cur = [float("-inf")] * (len(nums2) + 1)
        for j, b in enumerate(nums2, start=1):
            cur[j] = max(a * b + max(prev[j - 1], 0), cur[j - 1])
        prev = cur
    return prev[-1]


MISTAKES = {
    "empty-subsequence": {
        "en": "your answer is never below 0: the DP starts from 0, which allows the empty subsequence; start from -inf (the answer can be negative)",
        "zh": "你的答案从不小于 0：DP 用 0 初始化，相当于允许空子序列；应初始化为 -inf（答案可以是负数）",
        "max_dot_product": empty_allowed,
    },
    "notes-dp": {
        "en": "your DP uses len(nums1) for both dimensions and starts from 0: it ignores the end of a longer nums2 (and crashes on a shorter one); size it (len(nums1)+1) × (len(nums2)+1) and start from -inf",
        "zh": "你的 DP 两个维度都用了 len(nums1)，并且用 0 初始化：nums2 更长时会忽略它后面的元素（更短时直接越界）；表的大小应是 (len(nums1)+1) × (len(nums2)+1)，并用 -inf 初始化",
        "max_dot_product": notes_dp,
    },
    "same-index-only": {
        "en": "you only pair nums1[i] with nums2[i]; a subsequence may pair any i with any j as long as the order is kept",
        "zh": "你只把 nums1[i] 与 nums2[i] 配对；子序列可以把任意 i 与任意 j 配对，只要保持顺序",
        "max_dot_product": same_index_only,
    },
    "contiguous-only": {
        "en": "your DP only extends diagonally (contiguous subarrays); subsequences may skip elements: also take dp[i-1][j] and dp[i][j-1]",
        "zh": "你的 DP 只沿对角线延伸（连续子数组）；子序列可以跳过元素：还要考虑 dp[i-1][j] 和 dp[i][j-1]",
        "max_dot_product": contiguous_only,
    },
    "single-pair": {
        "en": "your answer is the best single product; longer subsequences can add several positive products",
        "zh": "你的答案只是单个乘积的最大值；更长的子序列可以累加多个正的乘积",
        "max_dot_product": single_pair,
    },
    "order-ignored": {
        "en": "you sorted the lists (pairing large with large); a subsequence keeps the original order of each list",
        "zh": "你先把列表排序了（大的配大的）；子序列必须保持各自列表中的原始顺序",
        "max_dot_product": order_ignored,
    },
    "greedy": {
        "en": "a greedy choice (best partner for each element in turn) is not optimal: use dynamic programming over prefixes",
        "zh": "贪心选择（依次为每个元素挑最好的搭档）不是最优的：应对前缀做动态规划",
        "max_dot_product": greedy,
    },
    "no-skip-nums2": {
        "en": "your DP never skips an element of nums2: it lacks the transition dp[i][j] = dp[i][j-1] (leave nums2[j-1] out)",
        "zh": "你的 DP 从不跳过 nums2 的元素：缺少转移 dp[i][j] = dp[i][j-1]（不用 nums2[j-1]）",
        "max_dot_product": no_skip_nums2,
    },
    "no-skip-nums1": {
        "en": "your DP never skips an element of nums1: it lacks the transition dp[i][j] = dp[i-1][j] (leave nums1[i-1] out)",
        "zh": "你的 DP 从不跳过 nums1 的元素：缺少转移 dp[i][j] = dp[i-1][j]（不用 nums1[i-1]）",
        "max_dot_product": no_skip_nums1,
    },
}
