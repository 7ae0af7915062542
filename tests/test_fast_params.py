"""Command-line values converted without pydantic give what Typer's own conversion gives, and the common
commands never load pydantic (60-90 ms each)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer._coercion import build_runtime_param

from tfprep.cli import app

COMMAND = typer.main.get_command(app)


def _params():
    todo, out = [COMMAND], []
    while todo:
        cmd = todo.pop()
        todo += list(getattr(cmd, "commands", {}).values())
        out += [p for p in cmd.params if p.type_descriptor.annotation is not bool]
    return out


SAMPLES = [None, "softmax", "12", "-3", "007", "x", "1.5", " 4", "/tmp/a b.py", "", 20, 0.9, ("a", "b"), ()]


@pytest.mark.parametrize("param", _params(), ids=lambda p: p.name)
def test_same_values_as_typer(param):
    real = build_runtime_param(param.type_descriptor)
    ctx = COMMAND.make_context("tfprep", [], resilient_parsing=True)
    for value in SAMPLES:
        try:
            expected = ("ok", real.coerce(value, param=param, ctx=ctx))
        except Exception as exc:  # noqa: BLE001 - the outcome to compare
            expected = ("error", type(exc).__name__, str(exc))
        try:
            got = ("ok", param.get_runtime_param().coerce(value, param=param, ctx=ctx))
        except Exception as exc:  # noqa: BLE001
            got = ("error", type(exc).__name__, str(exc))
        assert got == expected, (param.name, value)


@pytest.mark.parametrize(
    "args",
    [
        ["quiz", "--limit", "1", "--topic", "attention"],
        ["grade", "softmax", "--file", "nowhere.py", "--seed", "7"],
        ["bank", "check", "builtin:en"],
        ["drill", "list"],
    ],
)
def test_common_commands_do_not_load_pydantic(args, tmp_path: Path):
    code = (
        "import sys, tfprep.launch as l; l._exit = lambda code: None; "
        f"sys.argv = ['tfprep', *{args!r}]; l.main(); "
        "print('PYDANTIC' if 'pydantic' in sys.modules else 'CLEAN', file=sys.stderr)"
    )
    env = {"TFPREP_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "TFPREP_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.stderr.strip().splitlines()[-1] == "CLEAN", done.stderr
