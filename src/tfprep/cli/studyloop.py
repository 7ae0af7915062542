"""The study loop as the commands see it: what the store says about the user (failed or slow drills, weak
mock topics) turned into tags that bring cards forward. Shared by `tfprep quiz` and `tfprep mock`, so neither
command module imports the other."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tfprep.errors import TfprepError

if TYPE_CHECKING:
    from tfprep.mock import StudyFocus
    from tfprep.store import Store


def all_drills() -> tuple:
    from tfprep.grading.drills import all_drills as _all

    try:
        return _all()
    except (TfprepError, KeyError, TypeError, ValueError):  # a broken drill.toml: `tfprep check` reports it
        return ()


def study_focus(store: Store, now: datetime, drills: tuple | None = None) -> StudyFocus:
    """Tags to bring forward: failed or slow drills (by their drill.toml tags) and weak topics of recent mock
    rounds (see `tfprep.mock.study_focus`). Reads only; cheap enough for every quiz."""
    from tfprep import mock

    drills = all_drills() if drills is None else drills
    since = now - mock.RECENT
    attempts = [a for a in store.attempts() if a.created_at >= since]
    sessions = store.mock_sessions_since(since)
    focus = mock.study_focus(attempts, drills, sessions, now)
    from tfprep.drill_schedule import focus_on_lapses  # drills given up feed the loop too

    return focus_on_lapses(focus, store.drill_reviews(since=since), drills, now, mock.RECENT)


def related_first(cards: list, store: Store, now: datetime) -> list:
    """The cards with those related to failed/slow drills and weak mock topics first (for the quiz's new cards)."""
    from tfprep.mock import prefer_related

    return prefer_related(cards, study_focus(store, now))
