"""Benchmark: `tfprep bank check BIG.md --json` vs a bare markdown-it-py parse of the same file; and the
parse quality measured on the corpus of realistic banks (tests/fixtures/banks/corpus, hand-counted).

Generates a 10,000-card bank (headings in several styles, code fences with `#` lines, math, tables, lists,
bold-list questions, <details>), then times both as subprocesses, interleaved, and reports the median of
each and their ratio (goal: ≤ 2.0, i.e. tfprep adds at most one parse's worth of work on top of markdown-it,
start-up included).

    python bench/bench_bank.py            # prints the rows
    python bench/bench_bank.py --repeats 9
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CARDS = 10_000

BARE = (
    "import sys\n"
    "from markdown_it import MarkdownIt\n"
    "from mdit_py_plugins.dollarmath import dollarmath_plugin\n"
    "from mdit_py_plugins.front_matter import front_matter_plugin\n"
    "md = MarkdownIt('commonmark').enable('table').use(front_matter_plugin).use(dollarmath_plugin)\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "    md.parse(f.read())\n"
)


def make_bank(n: int = CARDS) -> str:
    """A varied bank of n questions: mostly canonical headings, plus other people's styles."""
    out = [
        "---",
        "title: Benchmark bank",
        "lang: en",
        "tags: [bench, attention]",
        "---",
        "",
        "# Benchmark bank",
        "",
    ]
    section = 0
    i = 0
    while i < n:
        if i % 50 == 0:
            section += 1
            out += [f"# Part {section}", ""]
        kind = i % 10
        if kind == 9 and i + 3 <= n:  # a section of bold list questions
            out += [f"## Quick review {i}", ""]
            for j in range(3):
                out += [
                    f"- **Q{i + j}:** What does step {i + j} of the pipeline compute?",
                    f"  - It computes {j}.",
                    "",
                ]
            i += 3
            continue
        if kind % 3 == 0:
            out.append(f"## Why does method {i} scale attention by $1/\\sqrt{{d_k}}$?")
            out.append(f"<!-- id: bench.q{i}; tags: softmax, scaling -->")
        elif kind % 3 == 1:
            out.append(f"## {i}. How is variant {i} of multi-head attention implemented")
        else:
            out.append(f"## Q{i}: What is the complexity of layer {i}？")
        out.append("")
        out.append(f"The logits of head {i} have variance $d_k$, so we rescale them; see **note {i}**.")
        out.append("")
        if i % 2 == 0:
            out += [
                "```python",
                "# compute scores (a comment line, not a heading)",
                f"scores = q @ k.transpose(-2, -1) / math.sqrt({64 + i % 64})",
                "# mask then softmax",
                "weights = scores.masked_fill(mask, float('-inf')).softmax(-1)",
                "```",
                "",
            ]
        if i % 3 == 0:
            out += ["$$", f"\\mathrm{{Var}}(q \\cdot k) = d_k = {i}", "$$", ""]
        if i % 4 == 0:
            out += ["| setting | value |", "| --- | --- |", f"| heads | {i % 16 + 1} |", "| d_k | 64 |", ""]
        if i % 5 == 0:
            out += [
                "<details>",
                "<summary>derivation</summary>",
                "",
                f"Step {i}: expand the sum.",
                "",
                "</details>",
                "",
            ]
        out += ["Key points:", f"- variance grows like $d_k$ ({i})", "- softmax saturates", ""]
        i += 1
    return "\n".join(out) + "\n"


def _tfprep_cmd() -> list[str]:
    exe = shutil.which("tfprep")
    return [exe] if exe else [sys.executable, "-m", "tfprep"]


def _time(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one run, stdout to /dev/null."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run(repeats: int = 5) -> list[dict]:
    """Rows {name, value, goal, unit} for bench/run.py."""
    repeats = max(5, repeats)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_bank.md"
        path.write_text(make_bank(), encoding="utf-8")
        ours_cmd = [*_tfprep_cmd(), "bank", "check", str(path), "--json"]
        bare_cmd = [sys.executable, "-c", BARE, str(path)]
        out = subprocess.run(
            ours_cmd, capture_output=True, text=True, check=True, env=os.environ.copy()
        ).stdout
        cards = out.count('"id": ')
        ours: list[tuple[float, float]] = []
        bare: list[tuple[float, float]] = []
        for _ in range(repeats):  # interleaved, so drift in machine load hits both equally
            bare.append(_time(bare_cmd))
            ours.append(_time(ours_cmd))
    wall_ours, wall_bare = (statistics.median(w for w, _ in xs) for xs in (ours, bare))
    cpu_ours, cpu_bare = (statistics.median(c for _, c in xs) for xs in (ours, bare))
    return [
        {"name": f"bank check --json, {cards} cards: wall (median of {repeats})", "value": round(wall_ours, 3), "goal": None, "unit": "s"},
        {"name": f"bare markdown-it parse, same file: wall (median of {repeats})", "value": round(wall_bare, 3), "goal": None, "unit": "s"},
        {"name": "bank check / bare parse, wall time", "value": round(wall_ours / wall_bare, 2), "goal": 2.0, "unit": "×"},
        {"name": "bank check / bare parse, CPU time", "value": round(cpu_ours / cpu_bare, 2), "goal": 2.0, "unit": "×"},
    ]  # fmt: skip


def corpus_rows() -> list[dict]:
    """Questions found, cards that are real questions, complete answers on the hand-counted corpus."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from bank_corpus import score_corpus

    scores = score_corpus()
    expected = sum(s.expected for s in scores)
    found = sum(s.found for s in scores)
    cards = sum(s.cards for s in scores)
    return [
        {"name": f"corpus ({len(scores)} banks, {expected} questions): questions found", "value": round(100 * found / expected, 1), "goal": 95.0, "unit": "%", "higher_is_better": True},
        {"name": "corpus: cards that are real questions", "value": round(100 * sum(s.real for s in scores) / max(1, cards), 1), "goal": 95.0, "unit": "%", "higher_is_better": True},
        {"name": "corpus: found questions with a complete answer", "value": round(100 * sum(s.complete for s in scores) / max(1, found), 1), "goal": 95.0, "unit": "%", "higher_is_better": True},
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    for row in corpus_rows() + run(args.repeats):
        sign = "≥" if row.get("higher_is_better") else "≤"
        goal = "" if row["goal"] is None else f"  (goal {sign} {row['goal']})"
        print(f"{row['name']:<58} {row['value']:>8} {row['unit']}{goal}")


if __name__ == "__main__":
    main()
