"""Why the planner chose a card or drill, in the session's language. The planner writes its reasons in
English ("preferred · due, stability 2.0d"); this says them in zh, piece by piece."""

from __future__ import annotations

import re

from tfprep.i18n import tr_in
from tfprep.topics import topic_name


def localise_why(why: str, lang: str) -> str:
    if lang == "en" or not why:
        return why

    def tr(text: str, **fields: object) -> str:
        return tr_in(lang, text, **fields)

    fixed = {
        "preferred": tr("preferred"),
        "new": tr("new"),
        "known": tr("known"),
        "recent Again": tr("recent Again"),
        "due": tr("due"),
        "named by the round": tr("named by the round"),
        "not solved yet": tr("not solved yet"),
        "solved before": tr("solved before"),
    }
    out = []
    for part in re.split(r"( · |; |, )", why):
        if m := re.fullmatch(r"stability ([\d.]+)d", part):
            part = tr("stability {days}d", days=m[1])
        elif m := re.fullmatch(r"drill (\S+) failed", part):
            part = tr("drill {name} failed", name=m[1])
        elif m := re.fullmatch(r"drill (\S+) was slow", part):
            part = tr("drill {name} was slow", name=m[1])
        elif m := re.fullmatch(r"mock: (\S+) (\S+)", part):
            part = tr("mock: {topic} {score}", topic=topic_name(m[1]), score=m[2])
        else:
            part = fixed.get(part, part)
        out.append(part)
    return "".join(out)
