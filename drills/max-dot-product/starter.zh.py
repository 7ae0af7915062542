"""两个子序列的最大点积 —— 写完后运行 `tfprep grade max-dot-product`。"""


def max_dot_product(nums1: list[int], nums2: list[int]) -> int:
    """分别从两个列表中各取一个非空子序列，两者长度相同，返回它们点积的最大值。"""
    raise NotImplementedError("在 nums1 和 nums2 的前缀上填一张 DP 表")
