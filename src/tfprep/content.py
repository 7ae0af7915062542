"""Finds tfprep's content (drills, solutions, grader, questions).

Order: $TFPREP_CONTENT_DIR, then the copy inside an installed wheel (tfprep/_content), then the source
checkout (an editable install does not see force-included folders, pypa/hatch#1627).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from tfprep.errors import TfprepError
from tfprep.i18n import tr

_MARKER = "drills"


@cache
def content_root() -> Path:
    env = os.environ.get("TFPREP_CONTENT_DIR")
    if env:
        root = Path(env).expanduser()
        if not (root / _MARKER).is_dir():
            raise TfprepError(
                tr(
                    "TFPREP_CONTENT_DIR={path} has no drills/ folder; unset it or point it at a content folder.",
                    path=env,
                )
            )
        return root
    here = Path(__file__).resolve().parent
    for root in (here / "_content", here.parent.parent):
        if (root / _MARKER).is_dir():
            return root
    raise TfprepError(
        tr("tfprep's content is missing; reinstall tfprep (pip install --force-reinstall tfprep).")
    )


def drills_dir() -> Path:
    return content_root() / "drills"


def solutions_dir() -> Path:
    return content_root() / "solutions"


def grader_dir() -> Path:
    return content_root() / "grader"


def questions_dir() -> Path:
    return content_root() / "questions"
