"""The shape of the mock's code: no import cycles between the command modules or inside the mock, modules of
one job (~400 lines at most), and the Chinese segmenter never loaded by `--help` or the quiz."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import tfprep

SRC = Path(tfprep.__file__).parent


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in SRC.rglob("*.py")}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The tfprep modules a file imports — at the top or inside functions (a lazy import still ties two
    modules together), except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                out.add(sub if sub in known else node.module)
    return {m for m in out if m in known}


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(path, known) - {name} for name, path in mods.items()}


def cycles(g: dict[str, set[str]], within: tuple[str, ...]) -> list[list[str]]:
    """Import cycles among the modules whose names start with one of `within`."""
    nodes = {n for n in g if n.startswith(within)}
    found, state, stack = [], {}, []

    def visit(n: str) -> None:
        state[n] = "open"
        stack.append(n)
        for m in sorted(g[n] & nodes):
            if state.get(m) == "open":
                found.append(stack[stack.index(m) :] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = "done"

    for n in sorted(nodes):
        if n not in state:
            visit(n)
    return found


MOCK_COMMANDS = ("tfprep.cli.mock", "tfprep.cli.history", "tfprep.cli.mock_content", "tfprep.cli.studyloop")


def test_no_import_cycle_between_the_commands():
    g = graph()
    assert "tfprep.cli.quiz" not in g["tfprep.cli.mock"] or "tfprep.cli.mock" not in g["tfprep.cli.quiz"]
    assert "tfprep.cli.mock" not in g["tfprep.cli.quiz"]  # the quiz reads the study loop from cli.studyloop
    mine = [c for c in cycles(g, ("tfprep.cli.",)) if set(c) & set(MOCK_COMMANDS + ("tfprep.cli.quiz",))]
    assert mine == []


def test_no_import_cycle_in_the_mock():
    g = graph()
    assert cycles(g, ("tfprep.mock", "tfprep.ui.mock")) == []
    # the pure core never reaches for the terminal or the commands
    for name in g:
        if name.startswith("tfprep.mock"):
            assert not {m for m in g[name] if m.startswith(("tfprep.ui", "tfprep.cli", "tfprep.store"))}, name


def test_the_cycle_finder_finds_cycles():
    g = {"tfprep.cli.a": {"tfprep.cli.b"}, "tfprep.cli.b": {"tfprep.cli.a"}, "tfprep.cli.c": set()}
    assert cycles(g, ("tfprep.cli.",)) == [["tfprep.cli.a", "tfprep.cli.b", "tfprep.cli.a"]]


def test_mock_modules_have_one_job_each():
    own = [p for n, p in modules().items() if n.startswith(("tfprep.mock", "tfprep.ui.mock"))]
    own += [SRC / "cli" / f for f in ("mock.py", "history.py", "mock_content.py", "studyloop.py")]
    too_long = {str(p.relative_to(SRC)): n for p in own if (n := len(p.read_text().splitlines())) > 410}
    assert not too_long


@pytest.mark.parametrize("args", [["--help"], ["quiz", "--help"], ["mock", "--help"]])
def test_help_does_not_load_the_segmenter(args):
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tfprep", *args],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    imported = {
        line.split("|")[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")
    }
    assert not {"rjieba", "tfprep.mock.keypoints.text"} & imported
