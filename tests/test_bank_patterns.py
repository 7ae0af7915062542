"""Minimal reproductions of layouts real public banks use (shared/bank-patterns), with the cards a good
parse gives: one test per layout class, asserting the cards and, where text is left out, the problem."""

from __future__ import annotations

from pathlib import Path

from tfprep.bank.load import load_bank

PATTERNS = Path(__file__).parent / "fixtures" / "banks" / "patterns"


def cards(name: str) -> list[tuple[str, str]]:
    return [(c.question, c.answer) for c in load_bank(PATTERNS / name).cards]


def test_h3_inside_a_bold_question_bank_stays_in_the_answer() -> None:
    got = cards("p1_h3_in_bold_bank.md")
    assert [q for q, _ in got] == ["What is A?", "What is B?", "What is C?"]
    assert "### **Sub-point of Q1?**" in got[0][1] and "More of A." in got[0][1]
    assert got[1][1] == "Answer B."


def test_heading_inside_details_stays_in_the_answer() -> None:
    got = cards("p2_heading_q_in_details.md")
    assert [q for q, _ in got] == ["What is X?", "What is Y?"]
    assert got[0][1] == "Intro to X.\n\n## What is X really?\n\nMore about X."
    assert "</details>" not in got[0][1]


def test_section_inside_a_details_answer_is_kept() -> None:
    got = cards("p3_section_in_answer_dropped.md")
    assert [q for q, _ in got] == ["What are alternatives to the transformer?", "What is Y?"]
    assert "### xLSTM" in got[0][1] and "XLSTM_BODY_TEXT" in got[0][1]


def test_bold_bullets_without_question_marks() -> None:
    got = cards("p4_bullet_q_without_qmark.md")
    assert [q for q, _ in got] == [
        "Why scale by sqrt(d_k)?",
        "Multi-Head Attention的作用",
        "简单讲一下Transformer中的残差结构以及意义。",
        "Why LayerNorm?",
    ]
    assert [a for _, a in got] == [
        "Answer about scaling.",
        "MHA_BODY answer.",
        "RESIDUAL_BODY answer.",
        "Answer about LN.",
    ]


def test_bold_topic_without_question_mark() -> None:
    got = cards("p5_bold_topic_no_qmark.md")
    assert [q for q, _ in got] == [
        "What are precision and recall?",
        "Precision-recall trade-off",
        "What is the ROC curve?",
    ]
    assert got[1][1] == "TRADEOFF_BODY answer."


def test_numbered_bold_question_between_numbered_headings() -> None:
    got = cards("p6_bold_between_h4.md")
    assert [q for q, _ in got] == ["What is A?", "What is B?", "What is C?"]
    assert got[0][1] == "Answer A." and got[1][1] == "B_BODY answer."


def test_bold_sub_question_right_under_a_labelled_question_stays_and_is_reported() -> None:
    deck = load_bank(PATTERNS / "p7_bold_subheads_split.md")
    assert [c.question for c in deck.cards] == [
        "How can a model think before answering? Compare CoT and self-consistency.",
        "What is next?",
    ]
    assert deck.cards[0].answer.startswith("**How to make the model think first?**")
    assert [p.message for p in deck.problems] == ["line 3 looks like a question inside the answer of line 1"]


def test_footer_and_banner_are_not_part_of_the_last_answer() -> None:
    got = cards("p8_footer_swallowed.md")
    assert got == [("What is X?", "Answer X."), ("What is Y?", "Answer Y.")]


def test_placeholder_answers_are_skipped_and_reported() -> None:
    deck = load_bank(PATTERNS / "p9_placeholder_answers.md")
    assert [(c.question, c.answer) for c in deck.cards] == [("What is C?", "Real answer C.")]
    assert [p.line for p in deck.problems] == [1, 5]
    assert all("placeholder answer" in p.message for p in deck.problems)


def test_bold_question_with_trailing_text_reads_the_whole_line() -> None:
    got = cards("p10_bold_q_trailing_text.md")
    assert [q for q, _ in got] == [
        "Why dot product, not addition?",
        "Why scale before softmax (why divide by sqrt(dk)), derive it with a formula",
        "How to mask padding?",
    ]
    assert got[1][1] == "SCALE_BODY answer."


def test_bold_sub_question_inside_details_stays_once() -> None:
    got = cards("p11_details_bold_subq_duplicated.md")
    assert [q for q, _ in got] == ["What is CoT?", "What is ToT?"]
    assert got[0][1].count("Is CoT really useful?") == 1 and "USEFUL_BODY" in got[0][1]


def test_topic_heading_with_a_body_is_a_card() -> None:
    deck = load_bank(PATTERNS / "p12_topic_heading_dropped.md")
    assert [(c.question, c.answer) for c in deck.cards] == [
        ("Transformer and RNN", "RNN_BODY comparison text."),
        ("Why multi-head?", "Answer MH."),
        ("Why scale?", "Answer scale."),
    ]
    assert deck.problems == []


def test_links_and_answer_prefixes_are_cleaned() -> None:
    got = cards("p13_link_in_question.md")
    assert got == [
        ("自注意力机制如何捕捉长距离依赖？", "Answer."),
        ("什么是 Transformer？", "基于自注意力的架构。"),
        ("DPO 与 PPO 的取舍？", "DPO 无需 RM。"),
    ]
