"""Opening the review database safely: refusing files that are not ours, migrating, one transaction per write.

- WAL journal, `synchronous=FULL`, and one transaction per write: a review is committed the moment it is
  rated, so killing the process loses nothing already rated.
- A file that is not a tfprep database (not SQLite, another application's database, damaged, or from a newer
  tfprep) raises `StoreError` and is never written to, overwritten or deleted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Self

from tfprep.errors import StoreError
from tfprep.i18n import tr
from tfprep.store import schema
from tfprep.store.schema import APPLICATION_ID, SQLITE_HEADER, migrate

if TYPE_CHECKING:
    from tfprep.paths import Paths


def _not_ours(path: Path | str, why: str = "") -> StoreError:
    """A file that is not ours (or not readable as ours); `why` is the reader's own error, if any."""
    if why:
        return StoreError(
            tr(
                "{path} cannot be read ({why}); tfprep left it untouched — move it away or set TFPREP_HOME "
                "to another folder.",
                path=path,
                why=why,
            )
        )
    return StoreError(
        tr(
            "{path} is not a tfprep database; tfprep left it untouched — move it away or set TFPREP_HOME to "
            "another folder.",
            path=path,
        )
    )


def _damaged(path: Path | str, exc: Exception) -> StoreError:
    return StoreError(
        tr(
            "{path} is damaged or not a tfprep database ({why}); tfprep left it untouched — move it "
            "away or set TFPREP_HOME to another folder.",
            path=path,
            why=exc,
        )
    )


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Another connection holds the lock (never a sign of damage)."""
    return "locked" in str(exc) or "busy" in str(exc)


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. SQLite answers "locked" at once, without waiting, while another process is switching
    the same new file (two tfprep started together): wait for it a little, as for any lock."""
    import time

    for _ in range(200):  # up to ~4 s
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise
            time.sleep(0.02)
    conn.execute("PRAGMA journal_mode = WAL")


def _probe(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not SQLite at all."""
    if path.is_dir():
        raise StoreError(
            tr(
                "{path} is a directory, not a tfprep database; tfprep left it untouched — move it away or set "
                "TFPREP_HOME to another folder.",
                path=path,
            )
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(
            tr(
                "{path}: cannot read ({why}); check its permissions or set TFPREP_HOME.",
                path=path,
                why=exc.strerror or exc,
            )
        ) from None
    if head and head != SQLITE_HEADER:
        raise _not_ours(path)


class Connection:
    """The connection, opening and transactions; `Store` (tfprep.store) adds the tables' methods."""

    def __init__(self, conn: sqlite3.Connection, path: Path | str):
        self._conn = conn
        self.path = path

    # -- opening ----------------------------------------------------------------------------------------

    @classmethod
    def open(cls, paths: Paths) -> Self:
        """Open (creating if needed) `paths.db`, migrating it to the current schema."""
        paths.ensure()
        if not paths.writable():
            raise paths.read_only_error()
        return cls.connect(paths.db)

    @classmethod
    def open_existing(cls, paths: Paths) -> Self | None:
        """Like `open`, but None when there is no database yet (read-only commands do not create one).
        In a read-only home the database is opened read-only, so that reading commands still work."""
        if not paths.db.is_file():
            if paths.db.exists():
                _probe(paths.db)  # a folder where the database should be: say so
            return None
        if not paths.writable():
            return cls.connect_read_only(paths.db)
        return cls.connect(paths.db)

    @classmethod
    def connect_read_only(cls, path: Path) -> Self:
        """Open for reading only, without the WAL files SQLite would need to create (immutable: nothing
        can write in a read-only home). No migration: an older schema is refused with what to do."""
        _probe(path)
        from urllib.parse import quote

        try:
            conn = sqlite3.connect(
                f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True, isolation_level=None
            )
            cls._check(conn, path)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise _not_ours(path, str(exc)) from None
        if version != schema.SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                tr(
                    "{path} needs an upgrade to this tfprep's schema, and its folder is read-only; make the "
                    "folder writable once and run tfprep again.",
                    path=path,
                )
            )
        return cls(conn, path)

    @classmethod
    def connect(cls, path: Path | str) -> Self:
        memory = str(path) == ":memory:"
        if not memory:
            path = Path(path)
            if path.exists():
                _probe(path)
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=10.0)
        except sqlite3.Error as exc:
            raise StoreError(
                tr(
                    "{path}: cannot open the database ({why}); check the folder or set TFPREP_HOME.",
                    path=path,
                    why=exc,
                )
            ) from None
        try:
            cls._check(conn, path)
            if not memory:
                _use_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        except StoreError:
            conn.close()
            raise
        except sqlite3.OperationalError as exc:
            conn.close()
            if not _busy(exc):
                raise _damaged(path, exc) from None
            raise StoreError(
                tr(
                    "{path}: cannot write ({why}); is another tfprep busy with it? Try again.",
                    path=path,
                    why=exc,
                )
            ) from None
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _damaged(path, exc) from None
        return cls(conn, path)

    @staticmethod
    def _check(conn: sqlite3.Connection, path: Path | str) -> None:
        """Read-only checks: ours (or empty), not from a newer tfprep, not damaged."""
        # one statement, so one snapshot: another tfprep creating the schema at this moment commits it whole,
        # before or after this read, never between the id and the tables
        app_id, version, has_tables = conn.execute(
            "SELECT (SELECT application_id FROM pragma_application_id),"
            " (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)"
        ).fetchone()
        if app_id != APPLICATION_ID:
            if app_id != 0 or version != 0 or has_tables:
                raise _not_ours(path)
            return  # an empty database: ours to initialise
        if version > schema.SCHEMA_VERSION:
            raise StoreError(
                tr(
                    "{path} was written by a newer tfprep (schema v{version}, this one knows v{known}); upgrade "
                    "tfprep (pip install -U tfprep).",
                    path=path,
                    version=version,
                    known=schema.SCHEMA_VERSION,
                )
            )
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise _not_ours(path, f"is damaged ({problems[0]})")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed (durably: WAL + synchronous=FULL) when the block ends."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                tr(
                    "{path}: cannot write ({why}); is another tfprep busy with it? Try again.",
                    path=self.path,
                    why=exc,
                )
            ) from None
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
