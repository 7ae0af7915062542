"""Several tfprep processes starting at once on a new home (two terminals, `grade --watch` beside `quiz`)
all open the database: the schema is created once, never reported as damaged."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tfprep.store import schema


class RacingConnection:
    """A connection that lets another connection migrate the database just before it takes the write
    lock: the moment two processes race to create the schema."""

    def __init__(self, conn: sqlite3.Connection, other: sqlite3.Connection):
        self.conn, self.other = conn, other

    def execute(self, sql: str, *args):  # noqa: ANN002, ANN201
        if sql == "BEGIN IMMEDIATE" and self.other is not None:
            other, self.other = self.other, None
            schema.migrate(other)
        return self.conn.execute(sql, *args)


def test_a_migration_done_meanwhile_is_not_done_twice(tmp_path: Path):
    db = tmp_path / "tfprep.db"
    first = sqlite3.connect(db, isolation_level=None, timeout=5)
    second = sqlite3.connect(db, isolation_level=None, timeout=5)
    reached = schema.migrate(RacingConnection(first, second))
    assert reached == len(schema.MIGRATIONS)
    assert first.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)


def test_processes_starting_together_on_a_new_home_all_open_it(tmp_path: Path):
    """8 processes on a new home, 4 times: the race is rare (the WAL switch answered "locked" about once in
    200 openings), so it is given several chances."""
    code = (
        "from tfprep.paths import Paths; from tfprep.store import Store; "
        "import sys; s = Store.open(Paths.from_env()); s.close(); print('ok')"
    )
    for round in range(4):
        home = tmp_path / f"home-{round}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code],
                env={"TFPREP_HOME": str(home), "PATH": "/usr/bin:/bin"},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(8)
        ]
        results = [p.communicate(timeout=60) for p in procs]
        assert all(out.strip() == "ok" for out, _ in results), [err for _, err in results]
