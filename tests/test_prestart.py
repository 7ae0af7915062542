"""The cold judge `tfprep grade` forks before anything else loads (grading/prestart.py): it grades, and when
nothing uses it (a compile error, a usage error) it is gone when the command ends."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tfprep.grading.drills import find_drill


def _still_running(marker: str) -> list[int]:
    """Processes whose command line names `marker` (a forked judge keeps the CLI's command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in cmdline and int(entry.name) != os.getpid():
                found.append(int(entry.name))
    return found


def _grade(path: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, TFPREP_HOME=str(home), TFPREP_LANG="en")
    return subprocess.run(
        [sys.executable, "-m", "tfprep", "grade", "softmax", "--file", str(path), "--json"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_forked_judge_grades(tmp_path: Path):
    path = tmp_path / "graded-by-the-forked-judge" / "softmax.py"
    path.parent.mkdir()
    path.write_text(find_drill("softmax").solution.read_text(encoding="utf-8"))
    done = _grade(path, tmp_path / "home")
    assert done.returncode == 0 and '"verdict": "accepted"' in done.stdout, done.stdout + done.stderr


def test_an_unused_judge_is_gone_when_the_command_ends(tmp_path: Path):
    path = tmp_path / "unused-forked-judge" / "softmax.py"
    path.parent.mkdir()
    path.write_text("def softmax(x, axis=-1)\n    return x\n")  # a compile error: the judge is never asked
    done = _grade(path, tmp_path / "home")
    assert done.returncode == 1 and '"verdict": "compile_error"' in done.stdout, done.stdout + done.stderr
    deadline = time.monotonic() + 5
    while _still_running(str(path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _still_running(str(path)) == []
