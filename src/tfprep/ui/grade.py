"""Rendering of grading verdicts and drill statements (Rich)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tfprep.grading.report import GradeResult
from tfprep.i18n import tr

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


def verdict_name(verdict: str) -> str:
    """A verdict or a test's status, in the UI's language."""
    names = {
        "accepted": tr("accepted"),
        "passed": tr("passed"),
        "not_run": tr("not run"),
        "wrong_answer": tr("wrong answer"),
        "runtime_error": tr("runtime error"),
        "time_limit_exceeded": tr("time limit exceeded"),
        "memory_limit_exceeded": tr("memory limit exceeded"),
        "compile_error": tr("compile error"),
        "rule_violation": tr("rule violation"),
        "internal_error": tr("internal error"),
    }
    return names.get(verdict, verdict.replace("_", " "))


def verdict_text(verdict: str) -> Text:
    name = verdict_name(verdict)
    return Text(name.upper() if name.isascii() else name, style=STYLE.get(verdict, "bold"))


def _value(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
    return text if len(text) <= 400 else text[:400] + " …"


def _failure_panel(result: GradeResult, lang: str) -> Panel | None:
    f = result.failure
    if not f:
        return None
    rows: list[Any] = []
    if lang == "zh" and f.get(
        "about"
    ):  # a test's name is an English identifier: in zh, what it checks names it
        title = f["about"]
    else:
        title = f.get("test") or f.get("file") or tr("first failure")
        if f.get("about"):
            rows.append(Text(tr("checks: {about}", about=f["about"]), style="dim"))
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
            _row(grid, tr("input {name}", name=k), _shown(v))
            shown = True
    for key, name in (
        ("shape_expected", tr("expected shape")),
        ("shape_got", tr("your shape")),
        ("dtype_expected", tr("expected dtype")),
        ("dtype_got", tr("your dtype")),
    ):
        if key in f:
            _row(grid, name, _value(f[key]))
            shown = True
    if "max_abs_err" in f:
        where = tr(" at index {index}", index=tuple(f["where"])) if f.get("where") else ""
        _row(
            grid,
            tr("max abs error in {label}", label=f["label"]) if f.get("label") else tr("max abs error"),
            f"{f['max_abs_err']:.3g}{where}  "
            + tr(
                "(expected {expected}, got {got})",
                expected=repr(f.get("expected_at")),
                got=repr(f.get("got_at")),
            ),
        )
        shown = True
    if f.get("nan_got"):
        _row(grid, tr("NaN in yours"), str(f["nan_got"]))
        shown = True
    if "tolerance" in f:
        _row(grid, tr("tolerance"), f"atol={f['tolerance']['atol']:g}, rtol={f['tolerance']['rtol']:g}")
    for key, name in (("expected_value", tr("expected")), ("got_value", tr("yours"))):
        if key in f and _small(f[key]):
            _row(grid, name, _shown(f[key]))
            shown = True
    if shown:
        rows.append(grid)
    if result.mistake:
        rows.append(
            Text.assemble(
                (tr("likely mistake: "), "bold yellow"), result.mistake.get(lang) or result.mistake["en"]
            )
        )
    return Panel(Group(*rows), title=Text(title, style="bold"), border_style="red", expand=False)


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
        (tr("{passed}/{total} tests", passed=result.passed, total=result.total), "bold"),
        ("  ·  ", "dim"),
        (title or result.drill, "cyan"),
    )
    console.print(head)
    if result.tests and result.verdict not in ("compile_error", "rule_violation"):
        table = Table(show_header=True, header_style="dim", box=None, padding=(0, 1))
        table.add_column("")
        # in zh a test is named by what it checks (its name is an English identifier); in en by both, and
        # below 72 columns what it checks goes under the name (a third column would be a few words wide)
        by_about = lang == "zh" and all(t.get("about") for t in result.tests)
        stacked = not by_about and console.width < 72
        table.add_column(tr("what it checks") if by_about else tr("test"), overflow="fold")
        table.add_column(tr("result"), no_wrap=True)
        if not by_about and not stacked:
            table.add_column(tr("what it checks"), style="dim", overflow="fold")
        for t in result.tests:
            status = t["status"]
            name = Text(t["about"] if by_about else t["name"].removeprefix("test_").replace("_", " "))
            if stacked and t.get("about"):
                name.append("\n" + t["about"], style="dim")
            row = [
                Text(MARK.get(status, "✗"), style=STYLE.get(status, "red")),
                name,
                Text(verdict_name(status), style=STYLE.get(status, "red")),
            ]
            table.add_row(*row, *([] if by_about or stacked else [Text(t.get("about", ""))]))
        console.print(table)
    if not result.accepted:
        panel = _failure_panel(result, lang)
        if panel is not None:
            console.print(panel)
        if result.hint and not result.mistake:
            console.print(Text.assemble((tr("hint: "), "bold yellow"), result.hint))
    if result.output.strip():
        console.print(
            Panel(
                Text(result.output.strip()[-1500:]),
                title=tr("your code printed"),
                border_style="dim",
                expand=False,
            )
        )
    facts = [tr("seed {seed}", seed=result.seed), f"{result.duration_s:.2f} s"]
    if result.peak_mb is not None:
        facts.append(tr("peak memory +{mb} MB", mb=f"{result.peak_mb:.0f}"))
    console.print(Text(" · ".join(facts), style="dim"))
