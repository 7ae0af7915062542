"""`tfprep bank check` / `tfprep bank export` (the --json and Anki contracts are pinned here)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tfprep.cli import app

runner = CliRunner()
BANKS = Path(__file__).parent / "fixtures" / "banks"
CARD_KEYS = {"id", "question", "answer", "line", "tags", "source", "key_points", "deck", "lang"}


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_check_json_contract() -> None:
    result = run("bank", "check", str(BANKS / "problems.md"), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)  # exactly one JSON object on stdout
    assert set(out) == {"cards", "problems"}
    assert [set(c) for c in out["cards"]] == [CARD_KEYS] * 3
    first = out["cards"][0]
    assert first["question"] == "What is attention?"
    assert first["answer"] == "Weighted averaging."
    assert first["line"] == 3
    assert first["tags"] == []
    assert first["source"] == str(BANKS / "problems.md")
    assert out["problems"] == [
        {"line": 7, "message": out["problems"][0]["message"], "source": str(BANKS / "problems.md")},
        {"line": 14, "message": out["problems"][1]["message"], "source": str(BANKS / "problems.md")},
        {"line": 21, "message": out["problems"][2]["message"], "source": str(BANKS / "problems.md")},
    ]
    assert "no answer" in out["problems"][0]["message"]


def test_check_human_output_lists_file_line_problems() -> None:
    path = BANKS / "problems.md"
    result = run("bank", "check", str(path))
    assert result.exit_code == 0
    assert f"{path}: 3 cards, 3 problems" in result.stdout
    assert f"{path}:7: question has no answer" in result.stdout
    assert f"{path}:21: code fence opened here is never closed" in result.stdout


def test_check_list_and_strict() -> None:
    path = BANKS / "canonical_en.md"
    result = run("bank", "check", str(path), "--list")
    assert result.exit_code == 0
    assert "en.attention.why-sqrt-dk" in result.stdout
    assert "4 cards, 0 problems" in result.stdout
    assert run("bank", "check", str(path), "--strict").exit_code == 0
    assert run("bank", "check", str(BANKS / "problems.md"), "--strict").exit_code == 1


def test_check_seed_counts() -> None:
    out = json.loads(run("bank", "check", str(BANKS / "seed_notes.md"), "--json").stdout)
    assert len(out["cards"]) == 31
    assert len(out["problems"]) == 12


def test_check_directory_input_and_cross_file_duplicate_ids(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("## What is B?\n<!-- id: same -->\n\nB.\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("## What is A?\n<!-- id: same -->\n\nA.\n", encoding="utf-8")
    out = json.loads(run("bank", "check", str(tmp_path), "--json").stdout)
    assert [c["question"] for c in out["cards"]] == ["What is A?", "What is B?"]
    assert [(Path(p["source"]).name, p["line"]) for p in out["problems"]] == [("b.md", 1)]
    assert "also used at" in out["problems"][0]["message"]
    human = run("bank", "check", str(tmp_path))
    assert "2 files: 2 cards, 1 problem" in human.stdout  # singular where it is one
    assert "a.md: 1 card, 0 problems" in human.stdout


@pytest.mark.parametrize("command", ["check", "export"])
def test_missing_file_is_one_line_exit_2(command: str, tmp_path: Path) -> None:
    extra = ["--format", "json"] if command == "export" else []
    result = runner.invoke(app, ["bank", command, str(tmp_path / "nope.md"), *extra])
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1
    assert "nope.md" in err and "no such file" in err
    assert "Traceback" not in result.output


def test_not_utf8_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"## Why?\n\n\xff\xfe broken\n")
    result = runner.invoke(app, ["bank", "check", str(bad)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "UTF-8" in result.stderr


def test_export_anki_header_and_rows() -> None:
    result = run("bank", "export", str(BANKS / "canonical_en.md"), "--format", "anki")
    assert result.exit_code == 0
    text = result.stdout
    assert text.splitlines()[:4] == ["#separator:tab", "#html:true", "#guid column:1", "#tags column:4"]
    body = "\n".join(text.split("\n")[4:])
    rows = list(csv.reader(io.StringIO(body), delimiter="\t", quotechar='"'))
    assert len(rows) == 4
    assert all(len(r) == 4 for r in rows)
    guid, front, back, tags = rows[0]
    assert guid == "tfprep:en.attention.why-sqrt-dk"  # the card id: re-importing updates this note
    assert (
        front
        == 'Why divide <span class="math inline">\\(QK^\\top\\)</span> by <span class="math inline">\\(\\sqrt{d_k}\\)</span>?'
    )
    assert (
        "\\[" in back and "\\mathrm{Var}(q\\cdot k) = d_k" in back and "\\]" in back
    )  # display math for MathJax
    assert "<li>large logits <strong>saturate</strong> the softmax</li>" in back
    assert tags == "attention core-ideas softmax scaling"
    code_back = rows[1][2]
    assert '<pre><code class="language-python"># build the mask\n' in code_back  # newlines survive quoting
    assert "<table>" in code_back


def test_export_anki_escapes_tabs_and_quotes(tmp_path: Path) -> None:
    bank = tmp_path / "t.md"
    bank.write_text('## What does "tab" mean?\n\n```\na\tb\n```\n', encoding="utf-8")
    out = run("bank", "export", str(bank), "--format", "anki").stdout
    rows = list(csv.reader(io.StringIO(out.split("\n", 4)[4]), delimiter="\t"))
    assert rows == [[rows[0][0], rows[0][1], rows[0][2], ""]]
    assert "&quot;tab&quot;" in rows[0][1]
    assert "a\tb" in rows[0][2]


def test_export_json_and_output_file(tmp_path: Path) -> None:
    out = json.loads(run("bank", "export", str(BANKS / "list_bold_en.md"), "--format", "json").stdout)
    assert isinstance(out, list) and [set(c) for c in out] == [CARD_KEYS] * 4
    check = json.loads(run("bank", "check", str(BANKS / "list_bold_en.md"), "--json").stdout)
    assert out == check["cards"]  # the same card objects as check --json
    target = tmp_path / "deck.txt"
    result = run("bank", "export", str(BANKS / "list_bold_en.md"), "-f", "anki", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text("utf-8").startswith(
        "#separator:tab\n#html:true\n#guid column:1\n#tags column:4\n"
    )
    assert "wrote 4 cards" in result.stderr


@pytest.mark.parametrize("command", ["check", "export"])
def test_every_bank_command_has_help_with_example(command: str) -> None:
    result = run("bank", command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def _anki_rows(text: str) -> list[list[str]]:
    body = "\n".join(line for line in text.split("\n") if not line.startswith("#"))
    return list(csv.reader(io.StringIO(body), delimiter="\t", quotechar='"'))


def test_anki_guids_are_stable_across_edits_so_a_reimport_updates(tmp_path: Path) -> None:
    bank = tmp_path / "notes.md"
    bank.write_text(
        "## What is A?\n<!-- id: my.a -->\n\nOld answer.\n\n## What is B?\n\nB.\n", encoding="utf-8"
    )
    before = {r[0]: r for r in _anki_rows(run("bank", "export", str(bank), "-f", "anki").stdout)}
    # the answer of A is rewritten, its question reworded (it has an explicit id), B moves to the top
    bank.write_text(
        "## What is B?\n\nB, longer.\n\n## What's A?\n<!-- id: my.a -->\n\nNew answer.\n", encoding="utf-8"
    )
    after = {r[0]: r for r in _anki_rows(run("bank", "export", str(bank), "-f", "anki").stdout)}
    assert set(before) == set(after) and len(after) == 2  # same notes: Anki updates them, no duplicates
    assert "New answer." in after["tfprep:my.a"][2]


def test_counts_are_pluralised_in_english_and_chinese(tmp_path: Path) -> None:
    bank = tmp_path / "one.md"
    bank.write_text("## What is A?\n\nA.\n\n## What is B?\n\nAnswer here\n", encoding="utf-8")
    assert f"{bank}: 1 card, 1 problem" in run("bank", "check", str(bank)).stdout
    zh = runner.invoke(app, ["bank", "check", str(bank)], env={"TFPREP_LANG": "zh"}).stdout
    assert "1 张卡片，1 处问题" in zh
    assert "占位答案" in zh  # the problem itself is in Chinese too


def test_builtin_banks_are_addressable_by_name() -> None:
    out = json.loads(run("bank", "check", "builtin:en", "--json").stdout)
    assert len(out["cards"]) >= 80 and out["problems"] == []
    assert {c["lang"] for c in out["cards"]} == {"en"}
    rows = _anki_rows(run("bank", "export", "builtin:zh", "--format", "anki").stdout)
    assert len(rows) >= 80 and all(r[0].startswith("tfprep:zh.") for r in rows)
    bad = runner.invoke(app, ["bank", "check", "builtin:fr"])
    assert bad.exit_code == 2 and "builtin:zh" in bad.stderr and "Traceback" not in bad.output


def test_folder_skips_hidden_folders_and_reports_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("## What is A?\n\nA.\n", encoding="utf-8")
    (tmp_path / "gbk.md").write_bytes("## 什么是注意力？\n\n加权平均。\n".encode("gbk"))
    hidden = tmp_path / ".github"
    hidden.mkdir()
    (hidden / "ISSUE_TEMPLATE.md").write_text("## What went wrong?\n\nDescribe it.\n", encoding="utf-8")
    result = run("bank", "check", str(tmp_path), "--json")
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert [c["question"] for c in out["cards"]] == ["What is A?"]  # the rest still parse
    assert [(Path(p["source"]).name, p["line"]) for p in out["problems"]] == [("gbk.md", 1)]
    assert "UTF-8" in out["problems"][0]["message"]
