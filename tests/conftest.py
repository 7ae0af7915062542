"""Shared fixtures: a private TFPREP_HOME, stores, the quiz fixture bank."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def english_after_each_test():
    """The UI language is process-wide (a CliRunner call in zh sets it): every test starts in en, whatever
    the test before it ran."""
    from tfprep.i18n import set_lang

    set_lang("en")
    yield
    set_lang("en")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh TFPREP_HOME (tmp folder) for the test; nothing touches the user's real data."""
    path = tmp_path / "tfprep-home"
    path.mkdir()
    monkeypatch.setenv("TFPREP_HOME", str(path))
    return path


@pytest.fixture
def store(home: Path):
    """A store on disk in `home` (WAL, migrations: the real thing)."""
    from tfprep.paths import Paths
    from tfprep.store import Store

    with Store.open(Paths(home)) as s:
        yield s


@pytest.fixture
def mem_store():
    """An in-memory store, for fast tests that do not care about files."""
    from tfprep.store import Store

    with Store.connect(":memory:") as s:
        yield s


@pytest.fixture
def quiz_bank() -> Path:
    """The quiz fixture banks (canonical style, explicit ids): a folder of two .md files."""
    return FIXTURES / "quiz"
