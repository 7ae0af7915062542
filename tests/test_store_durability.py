"""A drill review is as safe as a card review: one transaction with its attempt; kill -9 loses nothing that
was reported saved, and never leaves an attempt without its review (or a review without its attempt)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tfprep.paths import Paths
from tfprep.store import Store

WRITER = textwrap.dedent(
    """
    import sys
    from dataclasses import dataclass
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    from tfprep import practice
    from tfprep.paths import Paths
    from tfprep.store import Store

    @dataclass(frozen=True)
    class Drill:
        slug: str
        difficulty: int = 1

    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    with Store.open(Paths(Path(sys.argv[1]))) as s:
        for i in range(100000):
            at = t0 + timedelta(minutes=i)
            review = practice.record_grade(
                s, Drill(f"d{i}"), verdict="accepted", accepted=True, passed=1, total=1, duration_s=30.0,
                seed=i, now=at, path="x", code="x" * 2000,
            )
            assert review is not None
            print(i, flush=True)  # reported only after the commit returned
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("after", [5, 40])
def test_sigkill_mid_write_loses_no_drill_review(home: Path, after: int):
    Store.open(Paths(home)).close()  # the schema exists before the race starts
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(home)], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    saved = -1
    deadline = time.time() + 60
    while saved < after and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        saved = int(line)
    proc.send_signal(signal.SIGKILL)  # in the middle of the next write
    proc.wait(10)
    assert saved >= after, "the writer did not get going"
    with Store.open(Paths(home)) as s:
        attempts = {a.id: a for a in s.attempts()}
        reviews = s.drill_reviews()
        drills = {r.drill for r in reviews}
        assert {f"d{i}" for i in range(saved + 1)} <= drills  # everything reported saved is there
        assert len(reviews) == len(attempts)  # each accepted attempt with its review, none half-written
        assert all(attempts[r.attempt_id].drill == r.drill for r in reviews)
        assert set(s.drill_states()) == drills  # and each review with its schedule
    conn = sqlite3.connect(home / "tfprep.db")
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()
