"""Property: a generated canonical bank of N questions parses to exactly N cards, lines and answers intact."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfprep.bank.parse import normalise_question, parse_text

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz注意力机制归一化", min_size=2, max_size=8)
QUESTION = st.lists(WORDS, min_size=1, max_size=6).map(lambda ws: " ".join(ws))

ANSWER_PARTS = st.sampled_from(
    [
        "A plain paragraph.",
        "Two lines\nof one paragraph.",
        "```python\n# a comment, not a heading\nx = 1\n```",
        "$$\n\\frac{QK^\\top}{\\sqrt{d_k}}\n$$",
        "| a | b |\n| --- | --- |\n| 1 | 2 |",
        "- item one\n- item two",
        "> a quoted remark",
        "<details>\n<summary>more</summary>\n\nhidden text\n\n</details>",
        "Inline math $a^2$ and `code`.",
    ]
)
ANSWER = st.lists(ANSWER_PARTS, min_size=1, max_size=4).map(lambda ps: "\n\n".join(ps))
STYLE = st.sampled_from(["## {q}?", "### {n}. {q}?", "## Q{n}: {q}?", "## **{q}？**", "## 第{n}题 {q}？"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=st.lists(
        st.tuples(QUESTION, ANSWER), min_size=1, max_size=12, unique_by=lambda t: normalise_question(t[0])
    ),
    style=STYLE,
    title=st.booleans(),
)
def test_generated_bank_round_trips(items, style, title) -> None:
    lines: list[str] = []
    if title:
        lines += ["# Generated deck", ""]
    expected = []
    for n, (q, answer) in enumerate(items, start=1):
        expected.append((len(lines) + 1, answer))
        lines.append(style.format(q=q, n=n))
        lines.append("")
        lines.extend(answer.split("\n"))
        lines.append("")
    deck = parse_text("\n".join(lines), default_title="gen")
    assert [p.message for p in deck.problems] == []
    assert [c.line for c in deck.cards] == [line for line, _ in expected]
    for card, (_, answer) in zip(deck.cards, expected, strict=True):
        if (
            answer.startswith("<details>")
            and answer.count("<details>") == 1
            and answer.endswith("</details>")
        ):
            assert card.answer == "hidden text"  # a <details> wrapper around the whole answer is unwrapped
        else:
            assert card.answer == answer
    assert len({c.id for c in deck.cards}) == len(items)
    assert deck.title == ("Generated deck" if title else "gen")


MESSY = st.lists(
    st.sampled_from(
        [
            "# ", "## ", "### ", "#### ", "- ", "  - ", "1. ", "> ", "**", "Q1:", "第3题", "？", "?", "\n", "\n\n",
            "```", "```python\n", "$$", "$", "|a|b|\n|-|-|\n", "<details>", "<summary>", "</summary>", "</details>",
            "<!-- id: x -->", "---\n", "为什么", "what is", "2.1 ", "🔥", "Ｑ２：", "**Q**", "\t", "答案", "Answer",
        ]
    )
    | st.text(max_size=8),
    max_size=60,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(text=MESSY)
def test_parser_never_crashes_and_cards_are_sane(text: str) -> None:
    deck = parse_text(text)
    n_lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for card in deck.cards:
        assert 1 <= card.line <= n_lines
        assert card.question.strip()
        assert card.answer.strip()
    assert len({c.id for c in deck.cards}) == len(deck.cards)
    assert all(p.line >= 1 for p in deck.problems)
    if not deck.cards:
        assert deck.problems


# --------------------------------------------------------------------------------------------------------
# Any answer text holding no question of the document's form round-trips into that card's answer, whatever
# the form: headings, bold paragraphs, bold bullets with indented answers, Q:/A: pairs, <details>.

BODY_PARTS = [
    "A plain paragraph.",
    "Two lines\nof one paragraph.",
    "```python\n# a comment, not a heading\nx = 1\n```",
    "$$\n\\frac{QK^\\top}{\\sqrt{d_k}}\n$$",
    "| a | b |\n| --- | --- |\n| 1 | 2 |",
    "- item one\n- item two",
    "1. first step\n2. second step",
    "> a quoted remark",
    "Inline math $a^2$ and `code`.",
    "**Note:** bold label then text.",
    "Why? Because the softmax saturates.",
]
HEADING_ONLY = ["#### Details\n\nMore of the answer.", "**Is it useful?**\n\nYes, for long inputs."]

FORMS = {
    # form: (question line, how answer lines are written, extra answer parts allowed by this form)
    "heading": ("## {q}?", "{a}", HEADING_ONLY),
    "numbered-heading": ("### {n}. Explain {q}", "{a}", HEADING_ONLY),
    "bold": ("**{q}?**", "{a}", []),
    "bold-label": ("**Q{n}：{q}？**", "{a}", ["**Is it useful?**\n\nYes, for long inputs."]),
    "bold-bullet": ("- **{q}?**", "    {a}", []),
    "q-a": ("Q: {q}?", "A: {a}", []),
    "details": ("<details>\n<summary><b>{q}?</b></summary>", "{a}", HEADING_ONLY),
}


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.split("\n"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    form=st.sampled_from(sorted(FORMS)),
    items=st.lists(
        st.tuples(QUESTION, st.lists(st.integers(0, 12), min_size=1, max_size=3)),
        min_size=1,
        max_size=6,
        unique_by=lambda t: normalise_question(t[0]),
    ),
)
def test_answers_without_questions_of_the_form_round_trip(form: str, items) -> None:
    question_line, answer_line, extra = FORMS[form]
    parts = BODY_PARTS + extra
    lines: list[str] = ["# Notes", ""]
    expected = []
    for n, (q, picks) in enumerate(items, start=1):
        answer = "\n\n".join(parts[i % len(parts)] for i in picks)
        expected.append((len(lines) + 1, answer))
        lines += question_line.format(q=q, n=n).split("\n")
        lines.append("")
        if form == "bold-bullet":
            lines += _indent(answer, "    ").split("\n")
        elif form == "q-a" and answer[:1].isalpha():  # `A: text …`
            lines += answer_line.format(a=answer).split("\n")
        elif form == "q-a":  # `A:` on its own line, then a list, a fence, a table…
            lines += ["A:", "", *answer.split("\n")]
        else:
            lines += answer.split("\n")
        if form == "details":
            lines += ["", "</details>"]
        lines.append("")
    deck = parse_text("\n".join(lines), default_title="gen")
    got = [(c.line, c.answer) for c in deck.cards]
    assert got == expected
