"""Compile errors and rule violations read like a compiler's: file:line:col, the source line, a caret, and
0/N with the suite's real size. No hint that only repeats the error."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from tfprep.grading import static_check
from tfprep.grading.drills import all_drills, find_drill
from tfprep.grading.service import grade_source
from tfprep.ui.grade import render_result

SYNTAX = "import torch\n\n\ndef scaled_dot_product_attention(q, k, v, mask=None)\n    return q\n"


def test_syntax_error_is_located_like_a_compiler_would():
    drill = find_drill("attention")
    result = grade_source(drill, SYNTAX, seed=1, filename="my_attention.py")
    assert result.verdict == "compile_error"
    assert result.passed == 0
    assert result.total == static_check.count_tests(drill.suite) == 10
    f = result.failure
    assert f["message"] == "my_attention.py:4:53: SyntaxError: expected ':'"
    assert (f["file"], f["line"], f["col"]) == ("my_attention.py", 4, 53)
    assert f["source_line"] == "def scaled_dot_product_attention(q, k, v, mask=None)"
    assert f["caret"] == " " * 52 + "^"
    assert result.hint is None, "the hint must not repeat the error"


def test_the_panel_shows_the_line_and_the_caret():
    result = grade_source(find_drill("attention"), SYNTAX, seed=1, filename="my_attention.py")
    console = Console(record=True, width=120, color_system=None)
    render_result(console, result, "en")
    text = console.export_text()
    assert "COMPILE ERROR  0/10 tests" in text
    assert "my_attention.py:4:53: SyntaxError: expected ':'" in text
    line = next(ln for ln in text.splitlines() if "def scaled_dot_product_attention" in ln)
    caret = next(ln for ln in text.splitlines() if "^" in ln)
    assert caret.index("^") == line.index("(q, k, v, mask=None)") + len("(q, k, v, mask=None)")
    assert "hint:" not in text


@pytest.mark.parametrize(
    ("source", "line", "col", "verdict"),
    [
        ("import torch\n\ndef scaled_dot_product_attention(q, k):\n    return q\n", 3, 1, "compile_error"),
        (
            "import torch\n\ndef scaled_dot_product_attention(q, k, v, mask=None):\n"
            "    return torch.nn.functional.scaled_dot_product_attention(q, k, v)\n",
            4,
            12,
            "rule_violation",
        ),
    ],
)
def test_signature_and_rule_findings_point_at_the_code(source, line, col, verdict):
    result = grade_source(find_drill("attention"), source, seed=1)
    assert result.verdict == verdict
    assert (result.failure["line"], result.failure["col"]) == (line, col)
    assert result.failure["message"].startswith(f"attention.py:{line}:{col}: ")
    assert result.failure["source_line"] == source.splitlines()[line - 1]
    assert result.total == 10 and result.hint is None


def test_a_missing_entry_names_the_file():
    result = grade_source(find_drill("attention"), "import torch\n", seed=1)
    assert result.verdict == "compile_error"
    assert result.failure["message"].startswith("attention.py: `scaled_dot_product_attention` is not defined")


def test_count_tests_reads_parametrize(tmp_path: Path):
    (tmp_path / "test_x.py").write_text(
        "import pytest\n\ndef test_a(judge):\n    pass\n\n"
        "@pytest.mark.parametrize('n', [1, 2, 3])\ndef test_b(judge, n):\n    pass\n\ndef helper():\n    pass\n"
    )
    assert static_check.count_tests(tmp_path) == 4


@pytest.mark.parametrize("drill", all_drills(), ids=lambda d: d.slug)
def test_every_suite_has_a_countable_size(drill):
    assert static_check.count_tests(drill.suite) >= 5


def test_tabs_keep_the_caret_aligned_and_control_characters_stay_inert():
    source = "import torch\n\n\ndef scaled_dot_product_attention(q, k, v, mask=None):\n\treturn q, torch.nn.functional.scaled_dot_product_attention(q, k, v)  # \x1b[2J\n"
    result = grade_source(find_drill("attention"), source, seed=1)
    f = result.failure
    assert result.verdict == "rule_violation"
    assert "\x1b" not in f["source_line"] and "\\x1b[2J" in f["source_line"]
    assert f["source_line"].startswith("    return q, torch.")
    assert f["caret"].index("^") == f["source_line"].index("torch.")
