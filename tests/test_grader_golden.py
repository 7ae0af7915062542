"""Golden cases: a submission and the verdict it must get (exercism-style), one per verdict and per trick
a submission may try. Run through the real sandboxed grader (warm judges)."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import pytest

from tfprep.grading.drills import find_drill
from tfprep.grading.processes import descendants
from tfprep.grading.service import grade_source

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "expected.json").exists())
DAEMON_PID_NAME = "tfprep-golden-daemon.pid"  # written by a case's daemon in the temp folder of this module


@pytest.fixture(scope="module")
def grade_runner(tmp_path_factory):
    from tfprep.grading.judges import WarmPool

    # a temp folder of our own (the judges inherit TMPDIR), so the check for folders left behind sees
    # only this module's gradings, not those of other test runs on the machine
    private = str(tmp_path_factory.mktemp("tmp"))
    saved = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = private, private
    pool = WarmPool()
    yield pool.run
    pool.close()
    if saved[0] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = saved[0]
    tempfile.tempdir = saved[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, grade_runner):
    _check(case, grade_runner)


# The attacks whose path differs in a cold judge (the judge is the zygote's parent, not a sibling): run
# through a cold judge too, as `tfprep grade` does without --watch.
COLD = ["cheat-forged-hello", "cheat-forged-result", "runtime-escapes-group", "runtime-kills-zygote"]


@pytest.mark.parametrize("name", COLD)
def test_golden_in_a_cold_judge(name: str, grade_runner):
    _check(GOLDEN / name, None)


def _check(case: Path, runner) -> None:  # noqa: ANN001 - a grading runner, or None for a cold judge
    expected = json.loads((case / "expected.json").read_text())
    drill = find_drill(expected["drill"])
    daemon_pid = Path(tempfile.gettempdir()) / DAEMON_PID_NAME
    daemon_pid.unlink(missing_ok=True)
    before = set(descendants())
    folders = set(Path(tempfile.gettempdir()).glob("tfprep-run-*"))
    result = grade_source(drill, (case / "submission.py").read_text(), seed=7, runner=runner)
    assert result.verdict == expected["verdict"], (result.verdict, result.failure)
    if "mistake" in expected:
        assert result.mistake and result.mistake["key"] == expected["mistake"], result.mistake
    if result.verdict == "accepted":
        assert result.passed == result.total > 0
    else:
        assert result.failure and result.failure.get("message"), "a failing verdict explains itself"
    report = json.dumps(result.to_json(), ensure_ascii=False)
    assert len(report) < 64_000, "the --json report stays small"
    if "message_contains" in expected:
        assert expected["message_contains"] in result.failure["message"], result.failure
    if expected.get("inert"):
        assert result.output.strip(), "the case printed something"
        shown = _rendered(result)
        for control in ("\x1b", "\x9b", "\r", "\u202e"):
            assert control not in report and control not in shown, f"{control!r} reached the output"
    if expected.get("leaves"):
        assert daemon_pid.exists(), "the case did start its daemon"
        pid = int(daemon_pid.read_text())
        deadline = time.time() + 5
        while _alive(pid) and time.time() < deadline:
            time.sleep(0.05)
        assert not _alive(pid), "a process the submission left behind is still running"
    assert set(Path(tempfile.gettempdir()).glob("tfprep-run-*")) <= folders, (
        "a worker's folder was left behind"
    )
    # nothing new is left running below us except the warm judges themselves
    time.sleep(0.05)
    stray = [p for p in set(descendants()) - before if _alive(p)]
    judges = {j.proc.pid for j in runner.__self__.judges.values()} if runner else set()
    assert all(p in judges or _under(p, judges) for p in stray), stray


def _rendered(result) -> str:  # noqa: ANN001 - GradeResult
    """The panel as a terminal would get it (Rich, no colours)."""
    import io

    from rich.console import Console

    from tfprep.ui.grade import render_result

    out = io.StringIO()
    render_result(Console(file=out, width=100, color_system=None), result)
    return out.getvalue()


def _under(pid: int, roots: set[int]) -> bool:
    return any(pid in descendants(root) for root in roots)
