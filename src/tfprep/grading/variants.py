"""Known-mistake variants as stand-alone submissions (for the content check and the golden tests).

A variant's source is the reference, then mistakes.py, then the mistake's entries bound to the entry names,
so it runs through the real grader exactly like a user's file would.
"""

from __future__ import annotations

import ast

from tfprep.grading.drills import Drill


def mistake_keys(drill: Drill) -> list[str]:
    if drill.mistakes is None:
        return []
    tree = ast.parse(drill.mistakes.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "MISTAKES" for t in node.targets
        ):
            return [k.value for k in node.value.keys]  # type: ignore[attr-defined]
    return []


def mistake_source(drill: Drill, key: str) -> str:
    assert drill.mistakes is not None
    reference = drill.solution.read_text(encoding="utf-8")
    mistakes = drill.mistakes.read_text(encoding="utf-8")
    bind = "\n".join(f"{name} = MISTAKES[{key!r}].get({name!r}, {name})" for name in drill.entries)
    return f"{reference}\n\n# ---- mistakes.py\n{mistakes}\n\n# ---- variant {key}\n{bind}\n"
