"""Where the user's drill files are, which drill they worked on last, how many hints they have seen.

A small JSON file in TFPREP_HOME (not the database: it is about files on disk, and it must work before any
review exists). The user's files are never overwritten: a reset keeps a backup.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from tfprep.paths import Paths

STATE_FILE = "workspace.json"


@dataclass
class Workspace:
    paths: Paths

    @property
    def _file(self) -> Path:
        return self.paths.home / STATE_FILE

    def _load(self) -> dict:
        try:
            return json.loads(self._file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _save(self, state: dict) -> None:
        self.paths.ensure()
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._file)  # atomic: a crash never leaves half a file

    def default_file(self, slug: str, folder: Path | None = None) -> Path:
        return (folder or self.paths.workspace) / f"{slug.replace('-', '_')}.py"

    def file_of(self, slug: str) -> Path | None:
        path = self._load().get("files", {}).get(slug)
        return Path(path) if path else None

    def started_at(self, slug: str) -> float | None:
        return self._load().get("started", {}).get(slug)

    def last(self) -> str | None:
        return self._load().get("last")

    def remember(self, slug: str, path: Path, restart_clock: bool = False) -> None:
        state = self._load()
        state.setdefault("files", {})[slug] = str(path.resolve())
        started = state.setdefault("started", {})
        if restart_clock or slug not in started:
            started[slug] = time.time()
        if restart_clock:  # a fresh starter (reset, or a review): the hints start from the first again
            state.get("hints", {}).pop(slug, None)
        state["last"] = slug
        self._save(state)

    def touch_last(self, slug: str) -> None:
        state = self._load()
        state["last"] = slug
        self._save(state)

    def next_hint(self, slug: str, available: int) -> int:
        """Index of the hint to show now (0-based), advancing the counter; stays on the last one."""
        state = self._load()
        seen = state.setdefault("hints", {}).get(slug, 0)
        index = min(seen, available - 1)
        state["hints"][slug] = min(seen + 1, available)
        self._save(state)
        return index

    def backup(self, path: Path) -> Path:
        """Copy `path` into TFPREP_HOME/backups with a timestamp; return the copy."""
        self.paths.backups.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.paths.backups / f"{path.stem}-{stamp}{path.suffix}"
        n = 1
        while target.exists():
            target = self.paths.backups / f"{path.stem}-{stamp}-{n}{path.suffix}"
            n += 1
        shutil.copy2(path, target)
        return target
