"""The bank parser: real-world note styles, ids, duplicates, problems, key points, front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfprep.bank.load import all_cards, load_bank, load_banks
from tfprep.bank.parse import derived_id, normalise_question, parse_text
from tfprep.errors import BankError

BANKS = Path(__file__).parent / "fixtures" / "banks"


def deck(name: str):
    return load_bank(BANKS / name)


def by_line(d) -> dict:
    return {c.line: c for c in d.cards}


def problem_lines(d, word: str) -> list[int]:
    return [p.line for p in d.problems if word in p.message]


# --------------------------------------------------------------------------------------------------------
# The seed: messy real interview notes (copied from the project's seed file)


@pytest.fixture(scope="module")
def seed():
    return deck("seed_notes.md")


def test_seed_has_one_card_per_real_question(seed) -> None:
    # 7 (字节一面) + 3 (代码题) + 3 (快手star二面) + 18 (Q1–Q18) — empty copies are merged, not counted
    assert len(seed.cards) == 31
    assert [c.line for c in seed.cards] == [
        21, 38, 125, 179, 188, 197, 205, 218, 231, 248, 272, 276, 280,
        296, 298, 300, 302, 309, 311, 313, 315, 322, 324, 326, 333, 335, 337, 339, 346, 348, 350,
    ]  # fmt: skip
    assert seed.title == "面经—Transformer篇"
    assert seed.lang == "zh"
    assert len({c.id for c in seed.cards}) == 31


def test_seed_numbered_subparts_stay_in_question_2(seed) -> None:
    q2 = by_line(seed)[38]
    assert q2.question == "具体讲multi head attention怎么做的以及公式 为什么要除根号下dk"
    for part in ("2.1内积（Dot Product）的增长速度", "2.2 **Softmax的数值范围问题**", "2.3 *梯度消失问题*",
                 "2.4 **为什么除以 $\\sqrt{d_k}$ 可以解决问题？**", "3.1 **为什么会选择 $\\sqrt{d_k}$ 而不是其他缩放因子？**"):  # fmt: skip
        assert part in q2.answer
    # the answer is the original markdown, as written (math, blockquoted $$ blocks, ==marks==)
    assert q2.answer.startswith("**Multi-Head Attention：**\n\n- **步骤**：")
    assert "  > \\delta_{ij} =" in q2.answer
    assert q2.answer.rstrip().endswith("从而稳定训练过程。")
    assert not any(c.question.startswith(("2.1", "2.2", "2.3", "2.4", "3.1")) for c in seed.cards)


def test_seed_sections_are_not_questions(seed) -> None:
    questions = [c.question for c in seed.cards]
    for section in (
        "代码题",
        "字节一面",
        "快手star二面",
        "基础概念",
        "进阶机制",
        "Transformer 面经篇",
        "总结",
    ):
        assert not any(q.strip("*：: ") == section for q in questions), section


def test_seed_empty_copies_merge_into_the_answered_copy(seed) -> None:
    cards = by_line(seed)
    # the first copy (line 135) is empty; the card is the answered copy, with its line and wording
    assert cards[179].question == "Cross Attention中Q、K、V分别来自哪里？"
    assert cards[179].answer.startswith("- **Q (Query)**：来自Decoder的上一层的输出。")
    # the answered copy comes first (line 125), the empty copy (173) merges into it
    assert cards[125].question == "transformer decoder和encoder有哪些不同的地方"
    # the 快手 copy whose answer only says "see above" is still an answer
    assert cards[272].question == "写了Self-Attention"
    assert "请参考前面" in cards[272].answer
    merged = problem_lines(seed, "merged")
    assert merged == [135, 137, 139, 141, 145, 147, 149, 155, 157, 159, 167, 173]
    assert "line 179" in next(p.message for p in seed.problems if p.line == 135)
    assert problem_lines(seed, "no answer") == []


def test_seed_bold_list_questions(seed) -> None:
    cards = by_line(seed)
    assert cards[296].question == "Transformer 的整体架构是什么？和 RNN/CNN 的区别？"
    assert (
        cards[296].answer
        == "- Encoder-Decoder 架构；基于 Attention 而非循环/卷积；并行计算、长依赖捕捉更强。"
    )
    assert cards[302].question == "为什么要除以 $\\sqrt{d_k}$？"
    assert cards[350].question.startswith("如果问：“如何优化 Transformer")


def test_seed_code_answers_keep_comment_lines(seed) -> None:
    card = by_line(seed)[248]
    assert card.question == "两个数组的子序列求最大点积"
    assert card.answer.startswith("```python\n# 求两个数组的子序列最大点积，使用二维DP\n")
    assert card.answer.endswith("```")


# --------------------------------------------------------------------------------------------------------
# Other people's conventions


def test_numbered_headings_sections_metadata_blockquote_and_code_comments() -> None:
    d = deck("numbered_headings_zh.md")
    assert [(c.line, c.question) for c in d.cards] == [
        (8, "什么是自注意力？"),
        (18, "为什么要除以根号 dk"),
        (32, "LayerNorm 和 BatchNorm 的区别？"),
        (41, "RoPE 的原理"),
        (45, "KV cache 省了什么？"),
    ]
    cards = by_line(d)
    assert "# 这一行以 # 开头，但在代码块里，不是标题" in cards[8].answer
    assert "#### 2.1 方差推导" in cards[18].answer and "#### 2.2 梯度" in cards[18].answer
    assert "$$\n\\mathrm{Var}(q \\cdot k) = d_k\n$$" in cards[18].answer
    assert cards[32].answer.startswith("| 归一化 | 统计维度 |")
    assert d.problems == []
    assert d.title == "大模型面经合集"


def test_bold_lines_with_question_marks() -> None:
    d = deck("bold_lines_zh.md")
    assert [c.question for c in d.cards] == [
        "为什么 Transformer 用 LayerNorm 而不是 BatchNorm？",
        "多头注意力的好处是什么？",
        "如何计算注意力复杂度？",
        "FFN 的激活函数一般用什么？",
    ]
    cards = by_line(d)
    assert cards[5].answer == "变长序列下 BN 的统计量不稳定，LN 对每个样本独立归一化。"
    assert cards[9].answer == "- 不同头学习不同子空间的关系\n- 表达能力更强"
    assert cards[20].answer.startswith("早期用 ReLU，现在多用 SwiGLU。")  # same-paragraph answer


def test_blockquoted_questions_with_details_answers() -> None:
    d = deck("blockquote_details_en.md")
    assert [c.question for c in d.cards] == [
        "What is the KV cache?",
        "Why does the decoder need a causal mask?",
        "What is grouped-query attention?",
    ]
    kv, mask, gqa = d.cards
    assert kv.answer.startswith("During decoding") and "<details" not in kv.answer
    assert (
        mask.answer
        == "So that position $t$ cannot attend to positions $> t$ during training, matching generation."
    )
    assert gqa.answer == "Several query heads share one key/value head, shrinking the KV cache."
    assert d.problems == []  # the "Source:" metadata blockquote is not a question


def test_h1_questions_keep_their_sub_headings() -> None:
    d = parse_text((BANKS / "h1_questions_en.md").read_text("utf-8"), default_title="h1")
    assert [c.question for c in d.cards] == [
        "What is attention?",
        "Why use LayerNorm in Transformers?",
        "How does beam search work?",
    ]
    assert "## Details" in d.cards[1].answer
    assert d.title == "h1"  # every H1 is a question: the title falls back to the file name


def test_emoji_and_full_width_labels() -> None:
    d = deck("emoji_fullwidth_zh.md")
    assert [c.question for c in d.cards] == [
        "为什么需要位置编码？",
        "ＲｏＰＥ 和绝对位置编码有什么不同？",
        "KV cache 的显存怎么估算",
    ]
    assert d.title == "大模型面试速记"


def test_bold_list_items_with_nested_answers() -> None:
    d = deck("list_bold_en.md")
    assert [(c.line, c.question) for c in d.cards] == [
        (5, "What is the Transformer's overall architecture?"),
        (7, "Why is positional encoding needed?"),
        (10, "Why does the decoder need a mask?"),
        (15, "What is warmup?"),
    ]
    assert d.cards[1].answer == "- Attention is permutation invariant.\n- Positions must be injected."
    assert d.cards[3].answer == "- A short phase where the learning rate ramps up."  # dedented


def test_question_label_heading_takes_the_question_from_the_paragraph() -> None:
    text = (
        "# LN\n\n## Question\nWhy LayerNorm?\n\n## Answer\nBatch independence.\n\n## Follow-ups\n- RMSNorm?\n"
    )
    d = parse_text(text)
    assert [(c.line, c.question, c.answer) for c in d.cards] == [(3, "Why LayerNorm?", "Batch independence.")]


def test_question_heading_swallows_question_like_sub_headings() -> None:
    text = (
        "# Notes\n\n## 2. 为什么 softmax 之前要除以 sqrt(dk)？\n\n公式\n\n### 除以 dk 的目的\n\n缓解饱和。\n\n"
        "### 为什么 dk 较大时 y 接近 one-hot？\n\n方差大。\n\n## 3. 为什么要多个头\n\n子空间。\n\n## Code Demo\n\nsee x.py\n"
    )
    d = parse_text(text)
    assert [c.question for c in d.cards] == ["为什么 softmax 之前要除以 sqrt(dk)？", "为什么要多个头"]
    assert "### 为什么 dk 较大时 y 接近 one-hot？" in d.cards[0].answer


# --------------------------------------------------------------------------------------------------------
# The canonical format: front matter, metadata comments, key points


def test_canonical_front_matter_ids_tags_and_key_points() -> None:
    d = deck("canonical_en.md")
    assert d.title == "Attention basics"
    assert d.lang == "en"
    assert d.tags == ("attention", "core-ideas")
    assert [c.line for c in d.cards] == [9, 23, 41, 52]
    first, mask, params, complexity = d.cards
    assert first.id == "en.attention.why-sqrt-dk"
    assert first.tags == ("attention", "core-ideas", "softmax", "scaling")
    assert first.key_points == (
        "variance of q\\cdot k grows like d_k",
        "large logits saturate the softmax",
        "dividing by \\sqrt{d_k} restores unit variance",
    )
    assert first.answer.startswith("If the components")  # the metadata comment is not in the answer
    assert "<!--" not in first.answer
    assert "**Key points:**" in first.answer  # key points stay part of the answer
    assert mask.tags == ("attention", "core-ideas", "masking")
    assert mask.id == derived_id("How do you implement causal masking?")
    assert mask.answer.startswith("```python\n# build the mask\n# (a comment line, not a heading)\n")
    assert "| `(n, n)` | one row per query |" in mask.answer
    assert mask.key_points == (
        "upper triangle above the diagonal is masked",
        "use -\\infty before the softmax",
    )
    assert (
        params.question == "Multi-head attention parameter count"
    )  # topic-style heading at a question level
    assert "<details>" in params.answer  # a <details> inside an answer is kept
    assert complexity.answer.endswith("![attention](img/attention.png)")
    assert all(c.deck == "Attention basics" and c.lang == "en" for c in d.cards)
    assert d.problems == []


@pytest.mark.parametrize(
    "front, tags",
    [
        ("tags: [a, b]", ("a", "b")),
        ("tags: a, b", ("a", "b")),
        ("tags:\n  - a\n  - Long Tag", ("a", "long-tag")),
        ('tags: ["x"]  # comment', ("x",)),
    ],
)
def test_front_matter_tag_styles(front: str, tags: tuple[str, ...]) -> None:
    d = parse_text(f"---\ntitle: T\nlang: zh\n{front}\n---\n\n## Why?\n\nBecause.\n")
    assert d.tags == tags
    assert d.cards[0].tags == tags
    assert (d.title, d.lang) == ("T", "zh")


def test_bom_and_crlf() -> None:
    d = parse_text("\ufeff# T\r\n\r\n## What is X?\r\n\r\nAn answer.\r\n")
    assert [(c.line, c.question, c.answer) for c in d.cards] == [(3, "What is X?", "An answer.")]


# --------------------------------------------------------------------------------------------------------
# Problems


def test_problems_have_lines() -> None:
    d = deck("problems.md")
    assert [c.question for c in d.cards] == [
        "What is attention?",
        "Why scale by sqrt(d_k)?",
        "What does this code print?",
    ]
    assert problem_lines(d, "no answer") == [7]
    assert problem_lines(d, "duplicate id 'dup-id'") == [14]
    assert problem_lines(d, "never closed") == [21]
    assert all(p.source.endswith("problems.md") for p in d.problems)


def test_duplicate_question_copies_merge() -> None:
    d = deck("duplicates_zh.md")
    assert [(c.line, c.question) for c in d.cards] == [
        (9, "交叉熵公式"),
        (13, "为什么 Transformer 用 LayerNorm 而不是 BatchNorm？"),
    ]
    assert problem_lines(d, "merged") == [3, 5]


def test_duplicate_answered_questions_keep_the_first() -> None:
    d = parse_text("## What is X?\n\nOne.\n\n## What is X?\n\nTwo.\n")
    assert [(c.line, c.answer) for c in d.cards] == [(1, "One.")]
    assert problem_lines(d, "duplicate question (first at line 1)") == [5]


@pytest.mark.parametrize("text", ["", "   \n\n", "just some prose\n\nwith no questions\n"])
def test_empty_or_question_free_files_are_a_problem(text: str) -> None:
    d = parse_text(text)
    assert d.cards == []
    assert [p.line for p in d.problems] == [1]
    assert "no questions" in d.problems[0].message


# --------------------------------------------------------------------------------------------------------
# Ids


BASE = (
    "# Deck\n\n## 1. What is attention?\n\nWeighted average.\n\n## 2. Why LayerNorm?\n\nBatch independence.\n"
)


def ids(text: str) -> dict[str, str]:
    return {c.question: c.id for c in parse_text(text).cards}


def test_ids_survive_answer_edits_moves_and_renumbering() -> None:
    before = ids(BASE)
    edited = ids(BASE.replace("Weighted average.", "A softmax-weighted average of the values."))
    moved = ids(
        "# Deck\n\n## 2. Why LayerNorm?\n\nBatch independence.\n\n## 1. What is attention?\n\nWeighted average.\n"
    )
    renumbered = ids(BASE.replace("## 1.", "## Q7:").replace("## 2.", "## 第8题"))
    restyled = ids(BASE.replace("## 1. What is attention?", "## **1、What is Attention？**"))
    assert before == edited == moved == renumbered
    assert restyled["What is Attention？"] == before["What is attention?"]
    assert len(set(before.values())) == 2


def test_normalise_question() -> None:
    assert normalise_question("**Q3:** What is  Attention?") == "whatisattention"
    assert normalise_question("第3题 为什么要除以 √dk？") == normalise_question("3、为什么要除以√dk")
    assert normalise_question("2.1 内积") == "内积"


def test_explicit_id_wins() -> None:
    d = parse_text("## Why?\n<!-- id: my.id; tags: A b, c -->\n\nBecause.\n")
    assert d.cards[0].id == "my.id"
    assert d.cards[0].tags == ("a-b", "c")


# --------------------------------------------------------------------------------------------------------
# Loading


def test_load_errors_are_one_line_bank_errors(tmp_path: Path) -> None:
    with pytest.raises(BankError, match="no such file"):
        load_bank(tmp_path / "missing.md")
    with pytest.raises(BankError, match="is a directory"):
        load_bank(tmp_path)
    bad = tmp_path / "latin1.md"
    bad.write_bytes("## Qu'est-ce que l'attention ?\n\nUne moyenne pondérée.\n".encode("latin-1"))
    with pytest.raises(BankError, match="not UTF-8"):
        load_bank(bad)
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    with pytest.raises(BankError, match="no .md files"):
        load_banks([empty_dir])


def test_load_banks_directory_sorted_and_bom(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("## What is B?\n\nB.\n", encoding="utf-8")
    (tmp_path / "a.md").write_bytes("\ufeff## What is A?\n\nA.\n".encode())
    (tmp_path / "notes.txt").write_text("## What is C?\n\nC.\n", encoding="utf-8")
    decks = load_banks([tmp_path])
    assert [Path(d.source).name for d in decks] == ["a.md", "b.md"]
    assert [c.question for c in all_cards(decks)] == ["What is A?", "What is B?"]
    assert decks[0].cards[0].source == str(tmp_path / "a.md")
    assert decks[0].title == "a"


def test_bold_labels_inside_an_answer_are_not_questions() -> None:
    text = (
        "## In cross-attention, where do Q, K and V come from?\n\nIn the encoder–decoder Transformer:\n\n"
        "- **Q** comes from the decoder: the previous sublayer.\n- **K and V** come from the encoder.\n\n"
        "**Why not the other way round?** Because the decoder asks the questions.\n\nKey points:\n- Q from decoder\n"
    )
    d = parse_text(text)
    assert [c.question for c in d.cards] == ["In cross-attention, where do Q, K and V come from?"]
    assert "- **Q** comes from the decoder" in d.cards[0].answer
    assert d.cards[0].key_points == ("Q from decoder",)
    # the bold sub-question stays in the answer, and is reported so the author can check
    assert [p.message for p in d.problems] == ["line 8 looks like a question inside the answer of line 1"]


def test_plain_label_paragraph_inside_an_answer_is_not_a_question() -> None:
    text = "## 如何扩展 RoPE 的上下文窗口？\n\n问题：超过训练长度后困惑度爆炸。解决方法：\n\n- 位置插值\n"
    d = parse_text(text)
    assert [(c.question, c.answer) for c in d.cards] == [
        ("如何扩展 RoPE 的上下文窗口？", "问题：超过训练长度后困惑度爆炸。解决方法：\n\n- 位置插值")
    ]


def test_blockquote_then_details_is_a_question_without_a_question_mark():
    # numbered blockquote lines followed by a <details> answer, some without any "?" (a real bank's style)
    text = (
        "> 1、Transformer为什么除以根号d_k\n"
        "<details>\n  <summary>答案</summary>\n  防止点积方差随 d_k 增大，softmax 饱和。\n</details>\n\n"
        "> 2、过拟合的解决办法\n"
        "<details>\n  <summary>答案</summary>\n  1、更多数据<br>\n  2、dropout\n  </details>\n\n"
        "> 3、交叉熵损失的优点？\n"
        "<details>\n  <summary>答案</summary>\n  梯度与误差成正比。\n  </details>\n"
    )
    deck = parse_text(text)
    assert [c.question for c in deck.cards] == [
        "Transformer为什么除以根号d_k",
        "过拟合的解决办法",
        "交叉熵损失的优点？",
    ]
    assert "softmax 饱和" in deck.cards[0].answer and "<details>" not in deck.cards[0].answer
    assert "dropout" in deck.cards[1].answer and [c.line for c in deck.cards] == [1, 7, 14]
    assert deck.problems == []


def test_mkdocs_admonition_questions_nested_in_a_tip():
    text = (
        "# Notes\n\n## Attention\n\n"  # 1-4
        '??? tip "Attention basics"\n\n'  # 5-6
        '    ??? question "Why scale the scores by 1/sqrt(d_k)?"\n\n'  # 7-8
        "        To keep their variance near 1, so the softmax does not saturate.\n\n"  # 9-10
        '    ??? question "What does the causal mask hide?"\n'  # 11
        "        Every key after the query's own position.\n\n"  # 12-13
        '??? note "Not a question"\n\n'  # 14-15
        "    Just a remark.\n\n"  # 16-17
        '???+ question "Where do Q, K and V come from in cross-attention?"\n\n'  # 18-19
        "    Q from the decoder, K and V from the encoder output.\n\n"  # 20-21
        "    ```python\n    # a comment, not a heading\n    q = x @ w_q\n    ```\n"  # 22-25
    )
    deck = parse_text(text)
    assert [(c.line, c.question) for c in deck.cards] == [
        (7, "Why scale the scores by 1/sqrt(d_k)?"),
        (11, "What does the causal mask hide?"),
        (18, "Where do Q, K and V come from in cross-attention?"),
    ]
    assert "variance near 1" in deck.cards[0].answer
    assert "# a comment, not a heading" in deck.cards[2].answer and "```python" in deck.cards[2].answer
    assert all("Just a remark" not in c.answer for c in deck.cards)
    # a note is not a question: its text lands in no card, and that is said, with its line
    assert [(p.line, "in no card" in p.message) for p in deck.problems] == [(16, True)]


def test_question_marks_in_prose_do_not_trigger_admonitions():
    text = "## What is attention???\n\nA weighted average!!! Of values.\n"
    deck = parse_text(text)
    assert [c.question for c in deck.cards] == ["What is attention???"]
    assert deck.cards[0].answer.strip() == "A weighted average!!! Of values."


def test_bold_q_label_with_its_colon_outside_the_bold():
    """`1. **Q**: 解释…` (the colon after the bold, no question mark) and `**题目**：…`: the label and its colon
    are not the question, whatever the question ends with."""
    text = (
        "# 面试题\n\n## 架构\n\n"
        "1. **Q**: 解释 Pre-Norm 和 Post-Norm\n   **A**: Pre-Norm 把 LayerNorm 放在残差分支里面。\n\n"
        "2. **Q**: 为什么要用 warmup？\n   **A**: 训练初期 Adam 的二阶矩估计不稳定。\n\n"
        "3. **Q**: Explain gradient checkpointing\n   **A**: Recompute activations in the backward pass.\n\n"
        "## 计算题\n\n### 一\n**题目**：估算 13B 模型 FP16 权重占多少显存\n\n**解答**：\n- 13B × 2 字节 ≈ 26GB\n"
    )
    d = parse_text(text)
    questions = [c.question for c in d.cards]
    assert questions == [
        "解释 Pre-Norm 和 Post-Norm",
        "为什么要用 warmup？",
        "Explain gradient checkpointing",
        "估算 13B 模型 FP16 权重占多少显存",
    ], questions
    assert d.cards[0].answer == "Pre-Norm 把 LayerNorm 放在残差分支里面。"  # the `**A**:` label is not in it
    assert "26GB" in d.cards[3].answer
