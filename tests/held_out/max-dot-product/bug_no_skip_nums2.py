def max_dot_product(nums1, nums2):
    n, m = len(nums1), len(nums2)
    NEG = float("-inf")
    dp = [[NEG] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            prod = nums1[i - 1] * nums2[j - 1]
            dp[i][j] = max(prod, prod + dp[i - 1][j - 1], dp[i - 1][j])
    return int(max(dp[n]))
