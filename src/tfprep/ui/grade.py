"""Rendering of grading verdicts and drill statements (Rich)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tfprep.grading.report import GradeResult

STYLE = {
    "accepted": "bold green",
    "wrong_answer": "bold red",
    "runtime_error": "bold magenta",
    "time_limit_exceeded": "bold yellow",
    "memory_limit_exceeded": "bold yellow",
    "compile_error": "bold red",
    "rule_violation": "bold red",
    "internal_error": "bold white on red",
    "passed": "green",
    "not_run": "dim",
}
MARK = {"passed": "✓", "accepted": "✓", "not_run": "·"}


def verdict_text(verdict: str) -> Text:
    return Text(verdict.replace("_", " ").upper(), style=STYLE.get(verdict, "bold"))


def _value(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
    return text if len(text) <= 400 else text[:400] + " …"


def _failure_panel(result: GradeResult, lang: str) -> Panel | None:
    f = result.failure
    if not f:
        return None
    rows: list[Any] = []
    title = f.get("test") or f.get("file") or "first failure"
    if f.get("about"):
        rows.append(Text(f"checks: {f['about']}", style="dim"))
    rows.append(Text(f.get("message") or "", style="bold"))
    if f.get("source_line") is not None:  # a static finding, shown as a compiler shows it
        # not wrapped: the caret must stay under its column
        rows.append(Text(f"{f['line']:>5} | {f['source_line']}", no_wrap=True, overflow="ellipsis"))
        if f.get("caret"):
            rows.append(Text(f"      | {f['caret']}", style="bold red", no_wrap=True, overflow="ellipsis"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="cyan", no_wrap=True)
    grid.add_column()
    shown = False
    if "input" in f:
        for k, v in f["input"].items():
            _row(grid, f"input {k}", _shown(v))
            shown = True
    for key, name in (
        ("shape_expected", "expected shape"),
        ("shape_got", "your shape"),
        ("dtype_expected", "expected dtype"),
        ("dtype_got", "your dtype"),
    ):
        if key in f:
            _row(grid, name, _value(f[key]))
            shown = True
    if "max_abs_err" in f:
        where = f" at index {tuple(f['where'])}" if f.get("where") else ""
        _row(
            grid,
            f"max abs error in {f['label']}" if f.get("label") else "max abs error",
            f"{f['max_abs_err']:.3g}{where}  (expected {f.get('expected_at')!r}, got {f.get('got_at')!r})",
        )
        shown = True
    if f.get("nan_got"):
        _row(grid, "NaN in yours", str(f["nan_got"]))
        shown = True
    if "tolerance" in f:
        _row(grid, "tolerance", f"atol={f['tolerance']['atol']:g}, rtol={f['tolerance']['rtol']:g}")
    for key, name in (("expected_value", "expected"), ("got_value", "yours")):
        if key in f and _small(f[key]):
            _row(grid, name, _shown(f[key]))
            shown = True
    if shown:
        rows.append(grid)
    if result.mistake:
        rows.append(
            Text.assemble(
                ("likely mistake: ", "bold yellow"), result.mistake.get(lang) or result.mistake["en"]
            )
        )
    return Panel(Group(*rows), title=f"[bold]{title}[/]", border_style="red", expand=False)


def _row(grid: Table, name: str, value: str) -> None:
    grid.add_row(name, Text(value))  # Text: values are data, never Rich markup


def _shown(v: Any) -> str:
    """An input or output as people read it: the values when small, else shape and dtype."""
    if isinstance(v, dict) and "shape" in v and "dtype" in v:
        head = f"{v['dtype']} {tuple(v['shape'])}"
        return f"{_value(v['values'])}  ({head})" if "values" in v else f"array {head}"
    if isinstance(v, list) and v and all(isinstance(x, dict) and "dtype" in x for x in v):
        return "(" + ", ".join(_shown(x) for x in v) + ")"
    return _value(v)


def _small(v: Any) -> bool:
    return len(json.dumps(v, ensure_ascii=False)) <= 600


def render_result(console: Console, result: GradeResult, lang: str = "en", title: str | None = None) -> None:
    head = Text.assemble(
        verdict_text(result.verdict),
        "  ",
        (f"{result.passed}/{result.total} tests", "bold"),
        ("  ·  ", "dim"),
        (title or result.drill, "cyan"),
    )
    console.print(head)
    if result.tests and result.verdict not in ("compile_error", "rule_violation"):
        table = Table(show_header=True, header_style="dim", box=None, padding=(0, 1))
        table.add_column("")
        table.add_column("test")
        table.add_column("result")
        table.add_column("what it checks", style="dim", overflow="fold")
        for t in result.tests:
            status = t["status"]
            table.add_row(
                Text(MARK.get(status, "✗"), style=STYLE.get(status, "red")),
                t["name"].removeprefix("test_").replace("_", " "),
                Text(status.replace("_", " "), style=STYLE.get(status, "red")),
                t.get("about", ""),
            )
        console.print(table)
    if not result.accepted:
        panel = _failure_panel(result, lang)
        if panel is not None:
            console.print(panel)
        if result.hint and not result.mistake:
            console.print(Text.assemble(("hint: ", "bold yellow"), result.hint))
    if result.output.strip():
        console.print(
            Panel(
                Text(result.output.strip()[-1500:]),
                title="your code printed",
                border_style="dim",
                expand=False,
            )
        )
    facts = [f"seed {result.seed}", f"{result.duration_s:.2f} s"]
    if result.peak_mb is not None:
        facts.append(f"peak memory +{result.peak_mb:.0f} MB")
    console.print(Text(" · ".join(facts), style="dim"))
