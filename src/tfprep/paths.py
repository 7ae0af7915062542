"""Where tfprep writes: everything lives under one home folder (TFPREP_HOME or platformdirs' data dir)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tfprep.errors import HomeError
from tfprep.i18n import tr


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
        """Create the home folder if needed; a home that cannot be used raises HomeError naming the cause."""
        home = self.home
        if home.exists() and not home.is_dir():
            raise HomeError(
                tr(
                    "TFPREP_HOME {path} is a file, not a folder: move it away or set TFPREP_HOME to a folder",
                    path=home,
                )
            )
        try:
            home.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a parent on the way is a file
            raise HomeError(
                tr(
                    "cannot create TFPREP_HOME {path}: a part of the path is a file; set TFPREP_HOME to a folder",
                    path=home,
                )
            ) from None
        except PermissionError:
            raise HomeError(
                tr(
                    "cannot create TFPREP_HOME {path}: permission denied; set TFPREP_HOME to a folder you can write to",
                    path=home,
                )
            ) from None
        except OSError as exc:
            raise HomeError(
                tr(
                    "cannot create TFPREP_HOME {path} ({why}); set TFPREP_HOME to another folder",
                    path=home,
                    why=exc.strerror or exc,
                )
            ) from None
        return self

    def writable(self) -> bool:
        """Whether tfprep may write in the home folder (False: read-only folder or file system)."""
        return os.access(self.home, os.W_OK | os.X_OK) and (
            not self.db.exists() or os.access(self.db, os.W_OK)
        )

    def read_only_error(self) -> HomeError:
        return HomeError(
            tr(
                "TFPREP_HOME {path} is read-only: this command saves your progress; make the folder writable or set TFPREP_HOME to another folder",
                path=self.home,
            )
        )
