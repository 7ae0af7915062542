def max_dot_product(nums1, nums2):
    nums1.insert(0, 0)  # 1-based indexing "trick": pads the caller's lists
    nums2.insert(0, 0)
    n, m = len(nums1), len(nums2)
    NEG = float("-inf")
    dp = [[NEG] * m for _ in range(n)]
    for i in range(1, n):
        for j in range(1, m):
            prod = nums1[i] * nums2[j]
            dp[i][j] = max(prod, prod + max(dp[i - 1][j - 1], 0), dp[i - 1][j], dp[i][j - 1])
    return dp[n - 1][m - 1]
