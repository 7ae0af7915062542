"""Max dot product of two subsequences — run `tfprep grade max-dot-product` when you are done."""


def max_dot_product(nums1: list[int], nums2: list[int]) -> int:
    """The maximum dot product of two non-empty subsequences of equal length, one from each list."""
    raise NotImplementedError("fill a DP table over prefixes of nums1 and nums2")
