"""mock.keypoints: covered / check yourself / contradicted / missed for single answers, the concept data
format, and the fallback for points without data. The figures on a whole labelled set of answers are in
test_mock_answers.py."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tfprep.mock.keypoints import ConceptDataError, coverage, match_concepts, merge, parse_concepts
from tfprep.mock.keypoints.text import Answer, normalise


def concepts(*groups: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(g.split("|")) for g in groups)


PERM = concepts("permutation|置换|shuffle|打乱", "equivariant|等变|the same way|跟着")
POST = concepts("post-norm|后归一化", "ln|layernorm|归一化", "after|之后", "residual|残差")
TEMP = concepts("t<1|低温|温度小于 1", "sharper|更尖|peaked")
EVEN_SIN = concepts("even|偶数", "sin|正弦")
SORT_SUM = concepts("descending|降序|从高到低|sort", "cumulative|累加|前缀和")
Q_DEC = concepts("q|query", "decoder|解码器")


def state(points, answer: str) -> str:
    return match_concepts(points, Answer(answer))[0]


@pytest.mark.parametrize(
    ("points", "answer", "expected"),
    [
        (PERM, "self-attention is permutation-equivariant", "covered"),
        (PERM, "shuffle the tokens and the outputs shuffle the same way", "covered"),  # paraphrase (data)
        (PERM, "self-attention is not permutation-equivariant", "contradicted"),  # negation
        (PERM, "自注意力是置换等变的", "covered"),
        (PERM, "自注意力不是置换等变的", "contradicted"),  # 不 inside a run of characters
        (PERM, "未来的 token 打乱后输出也跟着打乱", "covered"),  # 未来 is not a negation
        (POST, "Post-norm applies LN after the residual add.", "covered"),
        (POST, "Post-norm applies LN before the residual add.", "contradicted"),  # swapped relation
        (POST, "Pre-norm: LN before the sublayer. Post-norm: LN after the residual add.", "covered"),
        (POST, "Post-Norm 在残差相加之后做归一化", "covered"),
        (POST, "Post-Norm 在残差相加之前做归一化", "contradicted"),
        (TEMP, "T < 1 sharper, T > 1 flatter", "covered"),
        (TEMP, "T > 1 makes it sharper", "contradicted"),  # inequality swapped
        (TEMP, "温度小于 1 分布更尖", "covered"),
        (TEMP, "温度大于 1 分布更尖", "contradicted"),
        (EVEN_SIN, "偶数维用 sin，奇数维用 cos", "covered"),
        (EVEN_SIN, "奇数维用 sin，偶数维用 cos", "contradicted"),  # 奇/偶 swapped
        (EVEN_SIN, "sin on odd dims and cos on even ones", "contradicted"),
        (SORT_SUM, "按概率从高到低排，算前缀和", "covered"),  # 降序 said another way
        (SORT_SUM, "按概率升序排列然后累加", "contradicted"),
        (Q_DEC, "Q 来自 decoder，K、V 来自 encoder", "covered"),
        (Q_DEC, "Q 来自 encoder，K、V 来自 decoder", "contradicted"),  # the relation, not just the words
        (Q_DEC, "K and V come from the decoder", "check"),  # half the concepts: the user decides
        (Q_DEC, "something else entirely", "missed"),
    ],
)
def test_states(points, answer, expected):
    assert state(points, answer) == expected


def test_a_point_spread_over_two_sentences_is_covered_only_together():
    assert state(Q_DEC, "The query side. It comes from the decoder.") == "check"
    assert state(Q_DEC, "The query comes from the decoder.") == "covered"


def test_coverage_uses_the_data_and_falls_back_to_check_yourself():
    points = ["self-attention is permutation-equivariant", "inject absolute or relative position"]
    data = (PERM, ())  # no data for the second point: the lexical fallback can only say "check"
    out = coverage(points, "It is permutation equivariant, so we inject absolute position info.", data)
    assert [p.state for p in out] == ["covered", "check"]
    assert not out[1].covered and out[1].confirmed is None
    out[1].confirmed = True
    assert out[1].confirmed_covered
    assert [p.state for p in coverage(points, "   ", data)] == ["missed", "missed"]
    assert [p.state for p in coverage(points, "bananas", None)] == ["missed", "missed"]


def test_contradicted_points_say_what_contradicts_them():
    (p,) = coverage(["T < 1 sharper"], "Raising T above one, i.e. T > 1, gives sharper outputs", (TEMP,))
    assert p.state == "contradicted" and "t>1" in p.evidence


def test_normalise():
    assert normalise("T  <  1，Pre-Norm") == "t<1,pre norm"
    assert normalise(r"$\sqrt{d_k}$") == "sqrt dk"


def test_concept_data_format_and_errors():
    data = parse_concepts('["zh.a.b"]\npoints = [["x|y", "z"], []]', source="f.toml")
    assert data == {"a.b": ((("x", "y"), ("z",)), ())}
    with pytest.raises(ConceptDataError, match="f.toml: \\['a'\\] must hold one field"):
        parse_concepts('["a"]\nx = 1', source="f.toml")
    with pytest.raises(ConceptDataError, match="point 1 must be a list of strings"):
        parse_concepts('["a"]\npoints = [[1]]', source="f.toml")
    with pytest.raises(ConceptDataError, match="already in"):
        merge({"a.toml": '["a"]\npoints = []', "b.toml": '["en.a"]\npoints = []'})


def test_shipped_concept_data_fits_the_cards():
    """Every entry names a card of both banks and gives one list per key point."""
    from tfprep.bank.load import all_cards, builtin_bank_paths, load_banks
    from tfprep.cli.mock_content import concept_data

    data = concept_data()
    assert len(data) >= 15
    for lang in ("zh", "en"):
        cards = {c.id[3:]: c for c in all_cards(load_banks(builtin_bank_paths(lang)))}
        for cid, points in data.items():
            assert cid in cards, f"questions/keypoints: {cid} is not a {lang} card"
            assert len(points) == len(cards[cid].key_points), f"{cid}: one entry per key point"


@given(st.text(max_size=200))
def test_matching_never_raises(answer):
    for points in (PERM, POST, TEMP, EVEN_SIN):
        assert state(points, answer) in ("covered", "check", "contradicted", "missed")
    assert len(coverage(["a point", "另一个要点"], answer, (PERM, ()))) == 2
