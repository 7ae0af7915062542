"""CLI: tfprep drill / hint / solution / grade (CliRunner, a private TFPREP_HOME)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tfprep.cli import app
from tfprep.grading.drills import all_drills, find_drill

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_drill_list_json_contract(home):
    r = run("drill", "list", "--json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)["drills"]
    assert rows and {"name", "title", "topic", "difficulty", "status"} <= set(rows[0])
    names = [row["name"] for row in rows]
    assert "attention" in names
    assert all(row["status"] == "new" for row in rows)
    levels = [(find_drill(n).difficulty, find_drill(n).order) for n in names]
    assert levels == sorted(levels), "the list goes from easy to hard (then by the learning path)"


def test_drill_writes_starter_and_never_overwrites(home, tmp_path):
    r = run("drill", "attention", "--dir", str(tmp_path), "--no-editor", "--lang", "en")
    assert r.exit_code == 0, r.output
    target = tmp_path / "attention.py"
    assert target.read_text() == find_drill("attention").starter.read_text()
    assert "tfprep grade attention" in r.output
    target.write_text("# my work\n")
    r = run("drill", "attention", "--dir", str(tmp_path), "--no-editor")
    assert r.exit_code == 0 and target.read_text() == "# my work\n"
    r = run("drill", "attention", "--dir", str(tmp_path), "--no-editor", "--reset")
    assert r.exit_code == 0
    assert target.read_text() == find_drill("attention").starter.read_text()
    backups = list((home / "backups").glob("attention*.py"))
    assert len(backups) == 1 and backups[0].read_text() == "# my work\n"


def test_unknown_drill_suggests(home):
    r = run("drill", "attentoin", "--no-editor")
    assert r.exit_code == 2
    assert "did you mean attention" in r.output
    assert "Traceback" not in r.output


def test_hints_progress_then_stay_on_last(home):
    hints = find_drill("attention").hints("en")
    seen = [run("hint", "attention", "--lang", "en").output for _ in range(len(hints) + 1)]
    for i, text in enumerate(hints):
        assert text.split()[0] in seen[i] and f"hint {i + 1}/{len(hints)}" in seen[i]
    assert f"hint {len(hints)}/{len(hints)}" in seen[-1]


def test_solution_locked_until_solved(home, tmp_path):
    r = run("solution", "attention")
    assert r.exit_code == 2 and "solve attention first" in r.output
    r = run("solution", "attention", "--force", input="n\n")
    assert r.exit_code == 1 and "softmax" not in r.output
    r = run("solution", "attention", "--force", "--yes")
    assert r.exit_code == 0 and "softmax" in r.output


def test_solution_confirmation_speaks_the_ui_language(home):
    zh = runner.invoke(app, ["solution", "softmax", "--force"], input="也许\n是\n", env={"TFPREP_LANG": "zh"})
    assert zh.exit_code == 0, zh.output
    assert "请回答 y 或 n" in zh.output and "[y/N]：" in zh.output and "np.exp" in zh.output
    assert "Error" not in zh.output and "invalid input" not in zh.output
    en = runner.invoke(app, ["solution", "attention", "--force"], input="", env={"TFPREP_LANG": "en"})
    assert en.exit_code == 1 and "not shown" in en.output  # end of input is a no


def test_grade_json_contract_and_attempt_recorded(home, tmp_path):
    sub = tmp_path / "attention.py"
    sub.write_text(find_drill("attention").solution.read_text())
    r = run("grade", "--file", str(sub), "--json", "--seed", "3")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert set(out) >= {"drill", "verdict", "passed", "total", "tests", "hint", "seed", "duration_s"}
    assert out["verdict"] == "accepted" and out["seed"] == 3 and out["passed"] == out["total"]
    assert all(set(t) == {"name", "status", "message"} for t in out["tests"])
    listed = {d["name"]: d for d in json.loads(run("drill", "list", "--json").output)["drills"]}
    assert listed["attention"]["status"] == "solved"
    assert run("solution", "attention").exit_code == 0


def test_grade_wrong_answer_exit_1_names_mistake(home, tmp_path):
    sub = tmp_path / "attention.py"
    sub.write_text(find_drill("attention").solution.read_text().replace(" / math.sqrt(q.size(-1))", ""))
    r = run("grade", "attention", "--file", str(sub), "--lang", "en")
    assert r.exit_code == 1
    assert "WRONG ANSWER" in r.output and "without the 1/√d_k scale" in r.output
    from tfprep.paths import Paths
    from tfprep.store import Store

    with Store.open(Paths(home)) as store:
        attempts = store.attempts("attention")
    assert len(attempts) == 1 and attempts[0].verdict == "wrong_answer"
    assert attempts[0].code == sub.read_text(), "the submitted code is kept"


def test_grade_user_errors(home, tmp_path):
    r = run("grade", "attention", "--file", str(tmp_path / "nope.py"))
    assert r.exit_code == 2 and "does not exist" in r.output and "Traceback" not in r.output
    r = run("grade")
    assert r.exit_code == 2 and "which drill" in r.output
    (tmp_path / "notes.py").write_text("x = 1\n")
    r = run("grade", "--file", str(tmp_path / "notes.py"))
    assert r.exit_code == 2 and "which drill is notes.py for" in r.output


def test_printed_warnings_name_the_file_not_a_temporary_copy(home, tmp_path):
    sub = tmp_path / "softmax.py"
    sub.write_text(
        "import numpy as np\n\n\ndef softmax(x, axis=-1):\n    e = np.exp(x)\n    return e / e.sum(axis=axis, keepdims=True)\n"
    )
    out = json.loads(run("grade", "--file", str(sub), "--json", "--seed", "1").output)
    assert out["verdict"] == "wrong_answer"
    assert "softmax.py" in out["output"] and "tfprep-sub-" not in out["output"]


def test_grade_as_a_command_ignores_look_alike_modules_next_to_the_file(home, tmp_path):
    """`python -m tfprep grade` from a folder holding numpy.py / pytest.py (a user's scratch files): the
    judge imports the real ones, because the working folder is not on its path. The submission runs with
    the garbage collector on (the judge turns it off only while it imports)."""
    import subprocess
    import sys

    for name in ("numpy", "pytest", "hypothesis"):
        (tmp_path / f"{name}.py").write_text("raise SystemExit('shadowed')\n")
    solution = find_drill("softmax").solution.read_text()
    (tmp_path / "softmax.py").write_text("import gc\n\nassert gc.isenabled()\n" + solution)
    r = subprocess.run(
        [sys.executable, "-m", "tfprep", "grade", "--file", "softmax.py", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["verdict"] == "accepted"


@pytest.mark.parametrize("columns", [60, 80])
def test_drill_list_fits_narrow_terminals_with_titles(home, columns):
    r = runner.invoke(app, ["drill", "list", "--lang", "en"], env={"COLUMNS": str(columns)})
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert all(len(line) <= columns for line in lines)
    assert (
        "positional-encoding" in r.stdout and "Numerically" in r.stdout and "softmax" in r.stdout
    )  # names and titles both shown
    assert r.stdout.count("not started") == len(all_drills())  # the status is never cut


def test_drill_list_says_which_solved_drills_come_back_today(home):
    from datetime import UTC, datetime, timedelta

    from tfprep.paths import Paths
    from tfprep.store import Store

    with Store.open(Paths.from_env()) as s:
        long_ago = datetime.now(UTC) - timedelta(days=400)
        s.record_attempt("softmax", verdict="accepted", passed=5, total=5, duration_s=60, created_at=long_ago)
        s.record_attempt(
            "attention", verdict="accepted", passed=5, total=5, duration_s=60, created_at=datetime.now(UTC)
        )
    rows = {d["name"]: d for d in json.loads(run("drill", "list", "--json").output)["drills"]}
    assert rows["softmax"]["due"] and rows["softmax"]["status"] == "solved"
    assert not rows["attention"]["due"]  # solved a moment ago: not before tomorrow
    assert not rows["rope"]["due"] and rows["rope"]["status"] == "new"
    table = runner.invoke(app, ["drill", "list", "--lang", "en"], env={"COLUMNS": "120"}).stdout
    (softmax,) = [line for line in table.splitlines() if line.split()[:1] == ["softmax"]]
    (attention,) = [line for line in table.splitlines() if line.split()[:1] == ["attention"]]
    assert "due again" in softmax and "solved" in attention
