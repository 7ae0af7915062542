"""mock.coverage: which key points of a card a typed answer covers — Chinese and English, synonyms and
partial phrasing, and answers that should cover nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfprep.mock import COVER_AT, coverage, match_point, normalise_text

COVERED = [
    # zh, paraphrased with synonyms: 很大 ~ 过大, 分数 ~ logits, 饱和, one-hot
    ("logits 过大使 softmax 饱和成 one-hot", "如果不缩放，点积的分数会很大，softmax 就会饱和，输出接近 one-hot"),
    # zh: BatchNorm ~ BN, 很小的 batch, 长度不一 (partial characters of 变长)
    ("BN 受 padding、变长、小 batch 影响", "BatchNorm 在 batch 很小的时候统计量不稳，序列长度不一、有 padding 时也会出问题"),
    # zh: LayerNorm ~ LN, 归一化, word order changed
    ("LN：每个 token 在特征维上归一化", "LayerNorm 是对每个 token 自己的所有特征维度做归一化"),
    # zh: 自注意力 ~ self-attention, 打乱顺序 ~ 置换
    ("self-attention 是置换等变的", "自注意力对输入顺序是等变的：打乱顺序，输出也跟着打乱"),
    # zh with LaTeX in the key point and plain text in the answer: 根号 ~ \sqrt, 方差 ~ variance
    (r"除以 \sqrt{d_k} 恢复单位方差", "为了让方差回到1，所以除以根号dk"),
    (r"独立单位方差假设下 \mathrm{Var}(q\cdot k)=d_k", "假设 q 和 k 每一维独立、方差为1，那点积的方差就是 d_k"),
    (r"未来位置的分数加 -\infty", "把未来 token 的 score 设成负无穷"),
    ("下三角：位置 t 只看 ≤ t", "用一个下三角矩阵，让每个位置只能看到它之前的位置"),
    ("softmax+CE 梯度 p − y，不饱和", "softmax 加交叉熵的梯度是 p-y，很干净"),
    # full-width punctuation and letters in the answer
    ("softmax+CE 梯度 p − y，不饱和", "ｓｏｆｔｍａｘ＋交叉熵，梯度就是 p－y"),
    # en, inflections and synonyms: huge ~ large, saturates ~ saturate, one hot ~ one-hot
    ("large logits saturate softmax to one-hot", "when d_k grows the dot products get huge, the softmax saturates and is nearly one hot"),
    (r"\mathrm{Var}(q\cdot k)=d_k under unit-variance assumption", "if q and k have unit variance, var(q·k) = d_k"),
    ("saturated softmax means vanishing gradients", "A saturated softmax means the gradients vanish."),
    ("h heads in parallel, each with its own projections", "we split into 8 heads that run in parallel; each head has separate W_Q, W_K, W_V projections"),
    ("LN normalises each token over its features", "Layer normalization normalizes every token across its feature dimension"),
    ("concatenate heads then output projection W^O", "the heads are concatenated and multiplied by the output projection W_O"),
    # zh: function words (后, 经过) weigh nothing; 头 ~ head; W^O ~ W_O
    ("拼接后经过输出投影 W^O", "每个头有自己的 W_Q、W_K、W_V 投影，最后把各头拼接起来再乘 W_O。"),
    ("h 个 head 并行，各有自己的投影", "h 个头并行，每个头有自己的 W_Q、W_K、W_V 投影"),
    ("6 个相同的层", "encoder 由 6 个完全相同的层堆叠而成"),
    # en key point, zh answer (the glossary maps both to the same words)
    ("cross-entropy gradient is p - y", "交叉熵的梯度是 p - y"),
]  # fmt: skip

MISSED = [
    ("每个 head 单独做 scaled softmax", "h 个头并行，每个头有自己的 W_Q、W_K、W_V 投影，最后拼接起来再乘 W_O。"),
    ("6 个相同的层", "encoder 由 6 层堆叠"),
    ("BN 受 padding、变长、小 batch 影响", "LayerNorm 在特征维度上归一化，训练推理一致"),
    ("self-attention 是置换等变的", "不知道"),
    ("LN 训练和推理计算一致", "BN 推理时要用滑动平均的统计量"),
    ("每个 head 单独做 scaled softmax", "Transformer 由 encoder 和 decoder 组成"),
    ("saturated softmax means vanishing gradients", "we divide to keep the variance at one"),
    ("h heads in parallel, each with its own projections", "the encoder has six identical layers"),
    (r"\mathrm{Var}(q\cdot k)=d_k under unit-variance assumption", "I am not sure, something about speed"),
    ("large logits saturate softmax to one-hot", ""),
    ("large logits saturate softmax to one-hot", "   \n  "),
]  # fmt: skip


@pytest.mark.parametrize(("point", "answer"), COVERED)
def test_paraphrased_answers_cover_the_point(point, answer):
    score = match_point(point, answer)
    assert score >= COVER_AT, (score, normalise_text(point), normalise_text(answer))


@pytest.mark.parametrize(("point", "answer"), MISSED)
def test_unrelated_or_empty_answers_miss_the_point(point, answer):
    assert match_point(point, answer) < COVER_AT


def test_coverage_of_a_whole_card():
    points = [
        r"\mathrm{Var}(q\cdot k)=d_k under unit-variance assumption",
        "large logits saturate softmax to one-hot",
        "saturated softmax means vanishing gradients",
        r"\sqrt{d_k} restores unit variance",
    ]
    answer = (
        "The logits get very large as d_k grows, so the softmax saturates.\nDividing by sqrt(d_k) fixes that."
    )
    result = coverage(points, answer)
    assert [p.point for p in result] == points
    assert [p.covered for p in result] == [False, True, False, False]
    assert all(0.0 <= p.score <= 1.0 for p in result)
    assert [p.covered for p in coverage(points, "")] == [False] * 4
    assert coverage([], "anything") == []


def test_chinese_card_partly_answered():
    points = [
        "下三角：位置 t 只看 ≤ t",
        r"未来位置的分数加 -\infty",
        "在 softmax 之前加，行和仍为 1",
        "保留对角线，能看到自己",
    ]
    answer = "decoder 用下三角的 mask，每个位置只能看到它之前的位置；\n未来的位置在 softmax 之前加上负无穷。"
    # the mask and -inf are there; "before the softmax" alone is half of the third point; no diagonal
    assert [p.covered for p in coverage(points, answer)] == [True, True, False, False]
    full = answer + "\n加在 softmax 之前，所以每行的和仍然为 1；对角线保留，自己能看到自己。"
    assert [p.covered for p in coverage(points, full)] == [True, True, True, True]


def test_normalisation_rewrites_latex_widths_and_synonyms():
    assert normalise_text(r"$\mathrm{Var}(q\cdot k)=d_k$") == "variance (q k)=dk"
    assert normalise_text("ＬａｙｅｒＮｏｒｍ，层归一化") == "layernorm , layernorm"
    assert normalise_text("√d_k") == normalise_text(r"\sqrt{d_k}") == "sqrt dk"
    assert "ln" not in normalise_text("kernel length").split()  # `ln` only as a whole word


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.text(max_size=200))
def test_match_point_never_raises_and_stays_in_range(point, answer):
    assert 0.0 <= match_point(point, answer) <= 1.0
