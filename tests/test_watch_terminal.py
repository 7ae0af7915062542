"""`tfprep grade --watch` in a real terminal: a saved edit is graded again; Ctrl-C leaves nothing running."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tfprep.grading.drills import find_drill
from tfprep.grading.processes import descendants


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc to find leftovers")
def test_watch_regrades_on_save_and_ctrl_c_cleans_up(home: Path, tmp_path: Path):
    drill = find_drill("attention")
    work = tmp_path / "attention.py"
    work.write_text(drill.starter.read_text())
    env = dict(os.environ, TFPREP_HOME=str(home), COLUMNS="120", LANG="en_US.UTF-8")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "tfprep", "grade", "attention", "--file", str(work), "--watch"],
        env=env,
        encoding="utf-8",
        timeout=120,
        dimensions=(50, 120),
    )
    try:
        child.expect("RUNTIME ERROR")
        child.expect("watching")
        seen = set(descendants(child.pid))
        assert seen, "the warm judge runs below tfprep"
        work.write_text(drill.solution.read_text())  # the user saves a fixed file
        child.expect("ACCEPTED")
        seen |= set(descendants(child.pid))
        child.sendintr()
        child.expect("stopped watching")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    deadline = time.time() + 10
    while any(_alive(p) for p in seen) and time.time() < deadline:
        time.sleep(0.1)
    assert not [p for p in seen if _alive(p)], "processes were left running after Ctrl-C"


def test_watch_json_prints_one_line_per_grading(home: Path, tmp_path: Path):
    drill = find_drill("attention")
    work = tmp_path / "attention.py"
    work.write_text(drill.solution.read_text())
    env = dict(os.environ, TFPREP_HOME=str(home))
    child = pexpect.spawn(
        sys.executable,
        ["-m", "tfprep", "grade", "attention", "--file", str(work), "--watch", "--json"],
        env=env,
        encoding="utf-8",
        timeout=120,
    )
    try:
        child.expect(r"\{.*\}\r?\n")
        first = json.loads(child.after)
        assert first["verdict"] == "accepted"
        work.write_text(drill.solution.read_text().replace(" / math.sqrt(q.size(-1))", ""))
        child.expect(r"\{.*\}\r?\n")
        second = json.loads(child.after)
        assert second["verdict"] == "wrong_answer"
        assert "1/√d_k" in second["hint"], "the named mistake is the hint"
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc to find leftovers")
def test_ctrl_c_during_a_cold_grade_leaves_nothing_running(home: Path, tmp_path: Path):
    """A cold `tfprep grade` forks its judge at start-up; Ctrl-C while the judge is busy ends all of it."""
    work = tmp_path / "attention.py"
    work.write_text(find_drill("attention").solution.read_text())
    env = dict(os.environ, TFPREP_HOME=str(home), LANG="en_US.UTF-8")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "tfprep", "grade", "attention", "--file", str(work)],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    try:
        deadline = time.time() + 10
        seen: set[int] = set()
        while not seen and time.time() < deadline:  # the judge, forked before the CLI has loaded
            seen = set(descendants(child.pid))
            time.sleep(0.02)
        assert seen, "a cold grade runs its judge below tfprep"
        time.sleep(0.3)  # the judge is importing torch now
        seen |= set(descendants(child.pid))
        child.sendintr()
        child.expect("interrupted")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 130
    deadline = time.time() + 1.0  # killed, not left to finish importing torch and find no request
    while any(_alive(p) for p in seen) and time.time() < deadline:
        time.sleep(0.05)
    assert not [p for p in seen if _alive(p)], "processes were left running after Ctrl-C"
