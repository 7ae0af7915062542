"""The lexical fallback: how much of a key point's wording an answer shares (0–1), for key points that have no
concept data (questions/keypoints/). Its score is never taken as proof: at best the point is shown as
"check yourself" (see keypoints.match). Words with rapidfuzz, Chinese by character alignment, and a small
glossary of synonyms so both languages meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Each canonical word stands for the phrasings (English and Chinese) listed with it. Both the key point and
# the answer are rewritten with this table, so "层归一化" matches "LayerNorm" and "huge logits" matches
# "logits 过大". Latin phrasings match whole words only.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "layernorm": (
        "layer normalization",
        "layer normalisation",
        "layer norm",
        "layernorm",
        "层归一化",
        "层标准化",
        "ln",
    ),
    "batchnorm": (
        "batch normalization",
        "batch normalisation",
        "batch norm",
        "batchnorm",
        "批归一化",
        "批量归一化",
        "批标准化",
        "bn",
    ),
    "crossentropy": ("cross-entropy", "cross entropy", "crossentropy", "交叉熵", "ce"),
    "mse": (
        "mean squared error",
        "mean square error",
        "squared error",
        "均方误差",
        "平方误差",
        "mse",
        "l2 loss",
    ),
    "gradient": ("gradients", "gradient", "grads", "grad", "梯度"),
    "vanish": ("vanishing", "vanishes", "vanished", "vanish", "消失", "趋于0", "趋于零", "接近0", "接近零"),
    "explode": ("exploding", "explodes", "explode", "explosion", "爆炸"),
    "variance": ("variances", "variance", "var", "方差"),
    "sqrt": ("square root", "sqrt", "√", "根号", "开方", "平方根"),
    "inf": ("negative infinity", "infinity", "infty", "inf", "∞", "负无穷", "无穷大", "无穷"),
    "mask": ("masking", "masked", "masks", "mask", "掩码", "遮盖", "遮挡", "屏蔽", "掩盖"),
    "decoder": ("decoders", "decoder", "解码器", "解码端"),
    "encoder": ("encoders", "encoder", "编码器", "编码端"),
    "selfattention": ("self-attention", "self attention", "selfattention", "自注意力"),
    "crossattention": (
        "cross-attention",
        "cross attention",
        "crossattention",
        "encoder-decoder attention",
        "交叉注意力",
        "编码器-解码器注意力",
    ),
    "attention": ("attention", "注意力"),
    "multihead": ("multi-head", "multi head", "multihead", "多头"),
    "head": ("heads", "head", "头"),
    "softmax": ("soft-max", "softmax"),
    "onehot": ("one-hot", "one hot", "onehot", "独热"),
    "saturate": ("saturation", "saturates", "saturated", "saturate", "饱和"),
    "normalize": (
        "normalization",
        "normalisation",
        "normalizes",
        "normalises",
        "normalized",
        "normalised",
        "normalize",
        "normalise",
        "归一化",
        "标准化",
    ),
    "residual": (
        "residual connections",
        "residual connection",
        "skip connections",
        "skip connection",
        "residuals",
        "residual",
        "残差连接",
        "残差",
    ),
    "ffn": (
        "feed-forward network",
        "feed forward network",
        "feed-forward",
        "feedforward",
        "feed forward",
        "ffn",
        "mlp",
        "前馈网络",
        "前馈",
    ),
    "positional": (
        "positional encodings",
        "positional encoding",
        "position encoding",
        "positional embedding",
        "position embedding",
        "位置编码",
        "位置嵌入",
        "pe",
    ),
    "permutation": ("permutation", "permuted", "置换", "打乱顺序"),
    "equivariant": ("equivariance", "equivariant", "等变"),
    "logits": ("logits", "logit", "scores", "score", "分数", "打分"),
    "dotproduct": ("dot products", "dot product", "inner products", "inner product", "点积", "内积", "点乘"),
    "large": (
        "very large",
        "too large",
        "too big",
        "larger",
        "large",
        "bigger",
        "big",
        "huge",
        "过大",
        "太大",
        "很大",
        "变大",
        "较大",
        "特别大",
    ),
    "small": ("too small", "smaller", "small", "tiny", "过小", "太小", "很小", "变小", "较小"),
    "future": ("future", "subsequent", "later", "未来", "后面", "之后"),
    "lowertriangular": ("lower-triangular", "lower triangular", "tril", "下三角"),
    "weightedsum": ("weighted average", "weighted sum", "weighted mean", "加权平均", "加权求和", "加权和"),
    "concat": ("concatenate", "concatenation", "concatenated", "concat", "拼接"),
    "projection": ("projections", "projection", "projected", "投影", "线性变换", "线性映射"),
    "likelihood": ("log-likelihood", "log likelihood", "likelihood", "似然"),
    "nonconvex": ("non-convex", "nonconvex", "not convex", "非凸"),
    "query": ("queries", "query", "查询"),
    "batch": ("batches", "batch", "批次", "批量"),
    "token": ("tokens", "token", "词元"),
    "sequence": ("sequences", "sequence", "序列"),
    "parallel": ("parallelism", "parallelize", "parallelise", "parallel", "并行"),
    "dimension": ("dimensions", "dimension", "dims", "dim", "维度"),
    "kl": ("kl divergence", "kullback-leibler", "kl散度", "kl"),
}

_EN_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "by",
        "with",
        "for",
        "in",
        "on",
        "at",
        "and",
        "or",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "as",
        "so",
        "than",
        "then",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "each",
        "per",
        "both",
        "via",
        "any",
        "all",
        "not",
        "no",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "can",
        "could",
        "would",
        "should",
        "will",
        "may",
        "might",
        "must",
        "which",
        "what",
        "when",
        "where",
        "who",
        "why",
        "how",
        "also",
        "only",
        "just",
        "more",
        "most",
        "very",
        "we",
        "you",
        "they",
        "our",
        "your",
        "their",
        "there",
        "here",
        "if",
        "else",
        "i",
    ]
)
# Chinese function characters, trimmed at the ends of a run of characters (not inside: 等 in 等变 matters) …
_ZH_STOP = frozenset(
    "的了是在和与及或就也都个一把被让对而即等其之这那会能可以要有着得地所并且则它们我你他她吗呢吧啊"
    "后再做用使给从到为以于来去过"
)
# … and function words a run is split at (e.g. 拼接后经过输出投影 → 拼接 / 输出投影)
_ZH_SPLIT = re.compile(
    "经过|通过|进行|然后|最后|以后|使得|用来|因为|所以|如果|那么|就是|还是|而且|但是|可以|需要|什么|怎么|"
    "为了|这样|那样|这个|那个|一个|每个|其中|以及|并且|或者|时候|的话"
)
_TEX_DROP = frozenset(
    [
        "mathrm",
        "text",
        "textbf",
        "mathbf",
        "mathit",
        "operatorname",
        "left",
        "right",
        "big",
        "bigg",
        "quad",
        "qquad",
        "displaystyle",
        "frac",
        "dfrac",
        "tfrac",
        "mathbb",
        "mathcal",
        "boldsymbol",
    ]
)
_TEX_NAMES = {
    "cdot": " ",
    "times": " x ",
    "le": " <= ",
    "leq": " <= ",
    "ge": " >= ",
    "geq": " >= ",
    "to": " -> ",
    "rightarrow": " -> ",
    "top": "t",
    "intercal": "t",
}
_SYMBOLS = {
    "·": " ",
    "×": " x ",
    "−": "-",
    "–": "-",
    "—": " ",
    "≤": "<=",
    "≥": ">=",
    "→": "->",
    "⇒": "->",
    "、": " ",
    "…": " ",
}
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_LATIN = re.compile(r"[a-z0-9]+")


def _synonym_regexes() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    canon: dict[str, str] = {}
    for key, variants in SYNONYMS.items():
        for v in variants:
            canon.setdefault(v.lower(), key)
    latin = sorted((v for v in canon if re.fullmatch(r"[a-z0-9 \-]+", v)), key=len, reverse=True)
    other = sorted((v for v in canon if v not in set(latin)), key=len, reverse=True)
    latin_re = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, latin)) + r")(?![a-z0-9])")
    other_re = re.compile("|".join(map(re.escape, other)))
    return latin_re, other_re, canon


_LATIN_SYN, _OTHER_SYN, _CANON = _synonym_regexes()


def _plain(text: str) -> str:
    """Lower-case text with LaTeX, full-width forms and symbols rewritten (no synonyms yet)."""
    text = unicodedata.normalize("NFKC", text).lower()  # full-width → ASCII, ₖ → k, ᵀ → t
    text = text.replace("$", " ")

    def macro(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in _TEX_DROP:
            return " "
        return _TEX_NAMES.get(name, f" {name} ")

    text = re.sub(r"\\([a-z]+)", macro, text)
    text = re.sub(r"\\.", " ", text)
    text = re.sub(r"[{}^_]", "", text)  # d_{model} → dmodel, qk^t → qkt
    for sym, rep in _SYMBOLS.items():
        text = text.replace(sym, rep)
    return text


def _synonyms(text: str) -> str:
    text = _OTHER_SYN.sub(lambda m: f" {_CANON[m.group(0)]} ", text)
    text = _LATIN_SYN.sub(lambda m: f" {_CANON[m.group(0)]} ", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_text(text: str) -> str:
    """Lower-case text with LaTeX, full-width forms, symbols and synonyms rewritten into plain words."""
    return _synonyms(_plain(text))


@dataclass(frozen=True)
class _Units:
    words: tuple[str, ...]  # latin words and numbers (no stop words)
    chunks: tuple[str, ...]  # runs of CJK characters, stop characters trimmed at the ends


def _units(norm: str) -> _Units:
    words = tuple(w for w in _LATIN.findall(norm) if w not in _EN_STOP)
    chunks = []
    stop = "".join(_ZH_STOP)
    for run in _CJK_RUN.findall(norm):
        for piece in _ZH_SPLIT.split(run):
            piece = piece.strip(stop)
            if piece:
                chunks.append(piece)
    return _Units(words, tuple(chunks))


def _word_found(word: str, answer_words: frozenset[str], answer_list: Sequence[str]) -> bool:
    from rapidfuzz import fuzz, process

    if word in answer_words:
        return True
    if word.isdigit():
        return False
    if len(word) < 5:
        return any(a in (word + "s", word + "es") or word in (a + "s", a + "es") for a in answer_words)
    return process.extractOne(word, answer_list, scorer=fuzz.ratio, score_cutoff=80) is not None


def match_point(point: str, answer: str) -> float:
    """How much of one key point the answer covers, 0–1.

    Words (latin letters and digits) weigh 2 each (one letter, e.g. a math symbol: 0.5) and match exactly or, from 5 letters on, with a rapidfuzz
    ratio ≥ 80 (saturate ~ saturates ~ saturation). Runs of Chinese characters weigh one per character and
    match with rapidfuzz's partial_ratio against the answer (character-level alignment: no segmentation);
    a run matching less than half counts 0. Synonyms are rewritten first (see SYNONYMS)."""
    from rapidfuzz import fuzz

    p_norm = normalise_text(point)
    a_plain = _plain(answer)
    a_norm = _synonyms(a_plain)
    if not p_norm or not a_norm:
        return 0.0
    p = _units(p_norm)
    # the answer's words and characters both as written and with synonyms rewritten
    a_set = frozenset(_LATIN.findall(a_norm)) | frozenset(_LATIN.findall(a_plain))
    a_list = sorted(a_set)
    a_cjk = " ".join(_CJK_RUN.findall(a_norm) + _CJK_RUN.findall(a_plain))
    total = got = 0.0
    for w in dict.fromkeys(p.words):  # each word once; a one-letter word (a math symbol) weighs little
        weight = 0.5 if len(w) == 1 and w.isalpha() else 2.0
        total += weight
        got += weight if _word_found(w, a_set, a_list) else 0.0
    for chunk in p.chunks:
        total += len(chunk)
        if a_cjk:
            s = fuzz.partial_ratio(chunk, a_cjk) / 100
            got += len(chunk) * (s if s >= 0.5 else 0.0)
    if total == 0:  # a point made of symbols only, e.g. "h=8"
        return fuzz.partial_ratio(p_norm, a_norm) / 100 if len(p_norm) >= 3 else float(p_norm in a_norm)
    return got / total
