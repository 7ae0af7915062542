"""Where tfprep writes: everything lives under one home folder (TFPREP_HOME or platformdirs' data dir)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    home: Path

    @classmethod
    def from_env(cls) -> Paths:
        env = os.environ.get("TFPREP_HOME")
        if env:
            return cls(Path(env).expanduser())
        import platformdirs

        return cls(Path(platformdirs.user_data_dir("tfprep", appauthor=False)))

    @property
    def db(self) -> Path:
        return self.home / "tfprep.db"

    @property
    def workspace(self) -> Path:
        """Default folder for drill starters the user edits."""
        return self.home / "workspace"

    @property
    def sessions(self) -> Path:
        """Mock-round folders (answers, starters, scorecards)."""
        return self.home / "sessions"

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    def ensure(self) -> Paths:
        self.home.mkdir(parents=True, exist_ok=True)
        return self
