"""Reference: max dot product of two subsequences (LeetCode 1458), O(n·m) time, O(m) memory.

best[j] after processing nums1[:i] is the best dot product of a NON-EMPTY pair of equal-length
subsequences taken from nums1[:i] and nums2[:j]; -inf means "no pair possible yet".
For the pair (a, b) = (nums1[i-1], nums2[j-1]) there are three choices:
  * end both subsequences with a and b: a*b, plus the best earlier pair if that one helps (max(…, 0));
  * skip a:  the value from the previous row at j;
  * skip b:  the value to the left in this row.
Starting from -inf (not 0) is what forbids the empty subsequence: the answer can be negative.
"""

NEG = float("-inf")


def max_dot_product(nums1: list[int], nums2: list[int]) -> int:
    prev = [NEG] * (len(nums2) + 1)  # row i-1
    for a in nums1:
        cur = [NEG] * (len(nums2) + 1)  # row i
        for j, b in enumerate(nums2, start=1):
            take = a * b + max(prev[j - 1], 0)
            cur[j] = max(take, prev[j], cur[j - 1])
        prev = cur
    return prev[-1]
