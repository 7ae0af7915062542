"""Each stage of the bank parser alone: blocks, candidates, the form decision, cleanup, line text."""

from __future__ import annotations

import pytest

from tfprep.bank import cleanup
from tfprep.bank import text as tx
from tfprep.bank.blocks import read_document
from tfprep.bank.candidates import find_candidates
from tfprep.bank.form import decide, next_at_or_above


def kinds(text: str) -> list[tuple[str, int, int]]:
    return [(u.kind, u.start, u.end) for u in read_document(text).units]


def forms(text: str) -> list[tuple[str, str, bool]]:
    return [(c.key_form, c.question, c.strong) for c in find_candidates(read_document(text))]


def questions(text: str) -> list[str]:
    doc = read_document(text)
    return [q.cand.question for q in decide(doc, find_candidates(doc)).questions]


# blocks ---------------------------------------------------------------------------------------------------


def test_details_is_one_unit_whatever_it_holds() -> None:
    text = "<details>\n<summary>Q?</summary>\n\nintro\n\n## inside\n\nmore\n\n</details>\n\npara\n"
    assert kinds(text) == [("details", 0, 10), ("paragraph", 11, 12)]


def test_unclosed_details_is_not_merged() -> None:
    assert [k for k, _, _ in kinds("<details>\n<summary>Q?</summary>\n\n## next\n")] == ["html", "heading"]


def test_list_items_are_units_and_fences_hide_headings() -> None:
    text = "- **A?**\n  a\n- **B?**\n\n```\n# not a heading\n```\n"
    assert kinds(text) == [("item", 0, 2), ("item", 2, 4), ("fence", 4, 7)]


# candidates -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, form, question",
    [
        ("**Q3：What is A?**", "bold:q", "What is A?"),
        ("**Q3:** What is A?", "qa:q", "What is A?"),
        ("Q: What is A?", "qa:q", "What is A?"),
        ("问：什么是注意力？", "qa:q", "什么是注意力？"),
        ("1、介绍一下 Transformer", "num:num", "介绍一下 Transformer"),
        ("**Why X**, derive it", "bold:", "Why X, derive it"),
        ("**Why?** Because.", "bold:", "Why?"),
        ("**[Link](http://x) 如何训练？**", "bold:", "Link 如何训练？"),
        ("**What &amp; why?**", "bold:", "What & why?"),
        ("- **Term**：what is it?", "item", "Term：what is it?"),
        ("- What is the GIL?", "item:plain", "What is the GIL?"),
        ("1. Name three ways", "item", "Name three ways"),
        ("> 1、过拟合的解决办法有哪些？", "quote:num", "过拟合的解决办法有哪些？"),
        ("### 4. Why LN?", "h3", "Why LN?"),
        ("面试官：为什么用 LayerNorm？", "qa:q", "为什么用 LayerNorm？"),
        ("- **Dropout**: zero activations at random", "item", "Dropout"),
    ],
)
def test_candidate_forms(line: str, form: str, question: str) -> None:
    assert forms(line + "\n")[0][:2] == (form, question)


@pytest.mark.parametrize(
    "line", ["- [Attention](#attention)", "[Back](../README.md) | [Next](b.md)", "plain prose."]
)
def test_links_and_prose_are_not_candidates(line: str) -> None:
    assert forms(line + "\n") == []


def test_table_rows_with_a_question_answer_header() -> None:
    got = forms(
        "| # | 问题 | 答案 |\n| - | - | - |\n| 1 | 什么是 MLM？ | 遮盖预测 |\n| 2 | GELU | x·Φ(x) |\n"
    )
    assert got == [("table:", "什么是 MLM？", True), ("table:", "GELU", True)]


def test_answer_details_summary_is_not_a_question() -> None:
    assert forms("<details><summary>答案</summary>\n\nx\n\n</details>\n") == []


# the form decision ----------------------------------------------------------------------------------------


def test_the_labelled_form_keeps_unlabelled_bold_in_its_answers() -> None:
    text = "**Q1：A?**\n\nx\n\n**Why not?**\n\ny\n\n**Q2：B?**\n\nz\n"
    assert questions(text) == ["A?", "B?"]


def test_an_unlabelled_form_lets_a_labelled_line_in() -> None:
    text = "**Why A?**\n\nx\n\n**Why B?**\n\ny\n\n**Q3：C?**\n\nz\n"
    assert questions(text) == ["Why A?", "Why B?", "C?"]


def test_topics_count_when_the_form_is_established() -> None:
    text = "- **Why A?**\n  a\n- **B vs C**\n  b\n- **Why D?**\n  d\n"
    assert questions(text) == ["Why A?", "B vs C", "Why D?"]


def test_heading_inside_a_bold_answer_is_demoted() -> None:
    text = "**Q1：A?**\n\nx\n\n### Detail\n\nmore\n\n**Q2：B?**\n\ny\n"
    assert questions(text) == ["A?", "B?"]


def test_section_heading_over_bold_questions_is_a_section() -> None:
    text = "**Q1：A?**\n\nx\n\n## Part 2\n\n**Q2：B?**\n\ny\n"
    assert questions(text) == ["A?", "B?"]


def test_numbering_continues_across_forms() -> None:
    text = "#### 1.1 What is A?\n\nx\n\n**1.2 What is B?**\n\ny\n\n#### 1.3 What is C?\n\nz\n"
    assert questions(text) == ["What is A?", "What is B?", "What is C?"]


def test_next_heading_at_or_above() -> None:
    doc = read_document("# a\n## b\n### c\n## d\n# e\n")
    heads = [c for c in find_candidates(doc)]
    assert next_at_or_above(heads) == [4, 3, 3, 4, 5]


# cleanup --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Answer here", "TODO", "!", "待补充", "略", "无", "", "  ", "TBD.", "…"])
def test_placeholders(text: str) -> None:
    assert cleanup.is_placeholder(text)


@pytest.mark.parametrize("text", ["No.", "略微不同。", "![fig](a.png)", "See above: 请参考前面"])
def test_real_answers_are_not_placeholders(text: str) -> None:
    assert not cleanup.is_placeholder(text)


def test_clean_answer_keeps_code_and_math_exactly() -> None:
    text = "a<br/>\nb<br>c\n\n```\nx<br>\n\n\n</details>\n```\n\n$$\n<br>\n$$\n\n| a<br>b |\n|---|\n\n<center>\n</details>"
    assert (
        cleanup.clean_answer(text)
        == "a\nb\nc\n\n```\nx<br>\n\n\n</details>\n```\n\n$$\n<br>\n$$\n\n| a<br>b |\n|---|"
    )


@pytest.mark.parametrize(
    "text, out",
    [
        ("A：DPO 无需 RM。", "DPO 无需 RM。"),
        ("**A:** yes", "yes"),
        ("答：是的", "是的"),
        ("**答案**：是的", "是的"),
        ("**Answer**\n\nBody", "Body"),
    ],
)
def test_answer_prefixes(text: str, out: str) -> None:
    assert cleanup.strip_answer_prefix(text) == out


# line text ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, strong",
    [("Explain dropout", True), ("简述残差的意义", True), ("讲一下 RoPE", True), ("Multi-Head Attention的作用", True),
     ("Precision-recall trade-off", False), ("Introduction", False)],
)  # fmt: skip
def test_reads_as_question(text: str, strong: bool) -> None:
    assert tx.reads_as_question(text) is strong


def test_topics_and_stop_headings() -> None:
    assert tx.reads_as_topic("Transformer 和 RNN") and tx.reads_as_topic("BN vs LN")
    assert tx.is_stop("参考资料") and tx.is_stop("Table of Contents") and not tx.is_stop("Why references?")


def test_a_question_like_title_over_numbered_questions_is_a_section() -> None:
    text = "# 面试题有哪些？\n\n简介。\n\n## 1. 什么是 A？\n\na\n\n## 2. 什么是 B？\n\nb\n\n## 3. 什么是 C？\n\nc\n"
    assert questions(text) == ["什么是 A？", "什么是 B？", "什么是 C？"]


def test_question_and_answer_on_one_line_split_at_br() -> None:
    from tfprep.bank.parse import parse_text

    deck = parse_text(
        "**Q:** What is X?<br>**A:** It is Y.\n\n**Q:** What is Z?<br/>**A:** Zed.<br>More.\n\n<br>\n"
    )
    assert [(c.question, c.answer) for c in deck.cards] == [
        ("What is X?", "It is Y."),
        ("What is Z?", "Zed.\nMore."),
    ]


def test_a_lone_rhetorical_question_in_prose_is_not_a_question_form() -> None:
    text = "## Attention\n\nSome prose.\n\nWhy does this matter?\n\nBecause of scale.\n"
    doc = read_document(text)
    layout = decide(doc, find_candidates(doc))
    assert [q.cand.question for q in layout.questions] == []
    # several plain `?` lines in a row are a list of questions
    assert questions("What is A?\n\na\n\nWhat is B?\n\nb\n") == ["What is A?", "What is B?"]


def test_a_section_intro_before_its_questions_is_reported_but_not_the_title_area() -> None:
    from tfprep.bank.parse import parse_text

    text = "# Title\n\nWhat this repo is.\n\n## Attention\n\nThis part is about attention.\n\n### What is A?\n\nA.\n"
    deck = parse_text(text)
    assert [c.question for c in deck.cards] == ["What is A?"]
    assert [(p.line, "no card" in p.message) for p in deck.problems] == [(7, True)]
