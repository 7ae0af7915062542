"""Known mistakes for the kv-cache drill: each re-implements one decoding step the way a candidate gets it wrong."""

import math

import torch


def _split(t, h):  # (B, 1, D) -> (B, H, 1, D/H)
    b, n, d = t.shape
    return t.view(b, n, h, d // h).transpose(1, 2)


def _merge(t):  # (B, H, 1, D/H) -> (B, 1, D)
    b, h, n, dh = t.shape
    return t.transpose(1, 2).reshape(b, n, h * dh)


def _step(
    x_t,
    cache_k,
    cache_v,
    w_q,
    w_k,
    w_v,
    w_o,
    h,
    *,
    scale=None,
    keep=None,
    project=True,
    axis=-1,
    prepend=False,
    transposed=True,
):
    lin = (lambda x, w: x @ w.T) if transposed else (lambda x, w: x @ w)
    q, k, v = _split(lin(x_t, w_q), h), _split(lin(x_t, w_k), h), _split(lin(x_t, w_v), h)
    if prepend:
        cache_k, cache_v = torch.cat([k, cache_k], dim=2), torch.cat([v, cache_v], dim=2)
    else:
        cache_k, cache_v = torch.cat([cache_k, k], dim=2), torch.cat([cache_v, v], dim=2)
    scores = q @ cache_k.transpose(-2, -1) / math.sqrt(scale or q.size(-1))
    if keep is not None:
        scores = scores.masked_fill(~keep(cache_k.size(2)), float("-inf"))
    out = _merge(torch.softmax(scores, dim=axis) @ cache_v)
    return (lin(out, w_o) if project else out), cache_k, cache_v


def append_after_attend(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    q, k, v = (_split(x_t @ w.T, num_heads) for w in (w_q, w_k, w_v))
    scores = q @ cache_k.transpose(-2, -1) / math.sqrt(q.size(-1))
    out = _merge(torch.softmax(scores, dim=-1) @ cache_v)
    return out @ w_o.T, torch.cat([cache_k, k], dim=2), torch.cat([cache_v, v], dim=2)


def new_token_masked(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    # a strictly causal mask: position T (the new token) may only see positions < T
    return _step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads, keep=lambda n: torch.arange(n) < n - 1)


def top_left_mask(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    # tril(ones(1, T + 1)) without the offset: the new query only sees the first cached token
    return _step(
        x_t,
        cache_k,
        cache_v,
        w_q,
        w_k,
        w_v,
        w_o,
        num_heads,
        keep=lambda n: torch.ones(1, n, dtype=torch.bool).tril(),
    )


def cache_not_split(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    # keeps the cache as (B, T, D) and splits the heads only for the attention
    b, _, d = x_t.shape
    if cache_k.dim() == 4:
        cache_k = cache_k.transpose(1, 2).reshape(b, -1, d)
        cache_v = cache_v.transpose(1, 2).reshape(b, -1, d)
    cache_k = torch.cat([cache_k, x_t @ w_k.T], dim=1)
    cache_v = torch.cat([cache_v, x_t @ w_v.T], dim=1)
    n = cache_k.size(1)
    q = _split(x_t @ w_q.T, num_heads)
    k = cache_k.view(b, n, num_heads, -1).transpose(1, 2)
    v = cache_v.view(b, n, num_heads, -1).transpose(1, 2)
    out = _merge(torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)), dim=-1) @ v)
    return out @ w_o.T, cache_k, cache_v


def scale_by_d_model(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    return _step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads, scale=x_t.size(-1))


def scale_by_d_head(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    return _step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads, scale=(x_t.size(-1) // num_heads) ** 2)


def no_scale(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    return _step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads, scale=1.0)


def weights_not_transposed(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    return _step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads, transposed=False)


def no_output_projection(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    return _step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads, project=False)


def softmax_over_queries(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    return _step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads, axis=-2)


def cache_prepended(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads):
    return _step(x_t, cache_k, cache_v, w_q, w_k, w_v, w_o, num_heads, prepend=True)


# Order matters where two mistakes give the same result on one input (the first listed is named there):
# top-left-mask equals append-after-attend when T = 1, and new-token-masked equals append-after-attend when
# T >= 1; they differ from an empty cache (T = 0), where most of the suite's tests start.
MISTAKES = {
    "top-left-mask": {
        "en": "your causal mask is aligned top-left (tril(ones(1, T + 1))): the new query only sees the first token; a single new query must see the whole cache",
        "zh": "你的因果 mask 是左上角对齐的（tril(ones(1, T + 1))）：新的 query 只看到第一个 token；单个新 query 必须能看到整个 cache",
        "decode_step": top_left_mask,
    },
    "append-after-attend": {
        "en": "you attend over the cache BEFORE appending the new token: it never sees its own key/value (from an empty cache your output is 0); append first, then attend",
        "zh": "你在把新 token 加入 cache 之前就做了注意力：它看不到自己的 key/value（cache 为空时输出全为 0）；应先追加再做注意力",
        "decode_step": append_after_attend,
    },
    "new-token-masked": {
        "en": "your mask hides the new token from itself (a strict causal mask): the last position must see every key up to and including itself",
        "zh": "你的 mask 把新 token 对它自己遮住了（严格因果 mask）：最后一个位置必须能看到包括它自己在内的所有 key",
        "decode_step": new_token_masked,
    },
    "cache-not-split": {
        "en": "your caches have shape (B, T + 1, D): keep them split into heads, (B, H, T + 1, D/H), the layout the next step receives",
        "zh": "你的 cache 形状是 (B, T + 1, D)：应按头拆分保存为 (B, H, T + 1, D/H)，这也是下一步接收的格式",
        "decode_step": cache_not_split,
    },
    "scale-by-d-model": {
        "en": "you scaled the scores by √D; each head has width D/H, so divide by √(D/H)",
        "zh": "你用 √D 缩放分数；每个头的宽度是 D/H，应除以 √(D/H)",
        "decode_step": scale_by_d_model,
    },
    "scale-by-d-head": {
        "en": "you divided the scores by d_head instead of √d_head (the softmax comes out too flat)",
        "zh": "你把分数除以了 d_head 而不是 √d_head（softmax 过于平坦）",
        "decode_step": scale_by_d_head,
    },
    "no-scale": {
        "en": "your scores are q·k without the 1/√d_head scale",
        "zh": "你的分数是 q·k，缺少 1/√d_head 缩放",
        "decode_step": no_scale,
    },
    "weights-not-transposed": {
        "en": "you computed x @ w; the weights are (out, in) like nn.Linear, so compute x @ w.T",
        "zh": "你算的是 x @ w；权重是 nn.Linear 那样的 (out, in)，应计算 x @ w.T",
        "decode_step": weights_not_transposed,
    },
    "no-output-projection": {
        "en": "your y_t is the concatenated heads without the output projection w_o",
        "zh": "你的 y_t 是拼接后的多头结果，缺少输出投影 w_o",
        "decode_step": no_output_projection,
    },
    "softmax-wrong-axis": {
        "en": "your softmax runs over the single query (dim=-2), so every weight is 1; it must run over the keys (dim=-1)",
        "zh": "你的 softmax 沿只有一个元素的 query 维（dim=-2）计算，所有权重都是 1；应沿 key 维（dim=-1）",
        "decode_step": softmax_over_queries,
    },
    "cache-prepended": {
        "en": "you put the new key/value at the FRONT of the cache; append them at the end (position T)",
        "zh": "你把新的 key/value 放在了 cache 的最前面；应追加在末尾（位置 T）",
        "decode_step": cache_prepended,
    },
}
