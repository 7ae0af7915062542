"""A coding question in the terminal: one drill, or a chain of follow-ups ("now add a mask", "now multi-head")
asked one after another under the round's clock. Each stage's starter is written into the session folder;
Enter grades it with the hidden suite (as often as you like, the last verdict counts), an accepted stage
moves on to the next follow-up, `h` asks for a hint (counted on the scorecard — none is given unasked),
`s` moves to the next question, `e` opens $EDITOR. When time runs out, a file changed since its last
grading is graded once more, in a terminal and in line mode alike."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from tfprep import mock
from tfprep.topics import topic_name
from tfprep.ui import keys

if TYPE_CHECKING:
    from tfprep.grading.drills import Drill
    from tfprep.grading.report import GradeResult
    from tfprep.ui.mock.runner import RoundRunner


def ask_coding(run: RoundRunner, q: mock.Question, outcome: mock.Outcome) -> str:
    """Play one coding question, stage by stage: "next", "time" or "quit"."""
    start = run.clock()
    stages = q.stages or ((q.ref, q.title, ""),)
    try:
        for i, (slug, _title, say) in enumerate(stages):
            step = _stage(run, q, outcome, run.drills[slug], i, len(stages), say)
            outcome.seconds = (run.clock() - start).total_seconds()
            if step != "accepted":
                return step
        return "next"
    except (KeyboardInterrupt, SystemExit):
        outcome.status = "interrupted" if any(s.attempts for s in outcome.stages) else "unanswered"
        raise
    finally:
        outcome.seconds = (run.clock() - start).total_seconds()
        if outcome.status == "skipped" and any(s.attempts for s in outcome.stages):
            outcome.status = "answered"


def _stage(
    run: RoundRunner, q: mock.Question, outcome: mock.Outcome, drill: Drill, i: int, n: int, say: str
) -> str:
    """One stage: "accepted" (go on to the next stage), "next", "time" or "quit"."""
    from rich.text import Text

    from tfprep.ui.markdown import markdown

    c = run.console
    where = run.tr("stage {n}/{total}", n=i + 1, total=n) if n > 1 else ""
    run.header(q, where)
    if i > 0:
        c.print(Text(run.tr("Follow-up: {say}", say=say or drill.title(run.lang)), style="bold magenta"))
    meta = [run.tr("coding"), topic_name(q.topic, run.lang)]
    if q.label and i == 0:
        meta.append(q.label)
    if q.minutes and i == 0:
        meta.append(run.tr("suggested {m} min", m=f"{q.minutes:g}"))
    run.dim(" · ".join(meta))
    c.print(markdown(drill.prompt(run.lang)))
    stage = outcome.stage(drill.slug)
    path = run.folder / f"{drill.slug.replace('-', '_')}.py"
    starter = drill.starter_for(run.lang).read_text(encoding="utf-8")
    if path.exists():
        run.dim(run.tr("your file is already there (not overwritten):"))
    else:
        path.write_text(starter, encoding="utf-8")
        run.dim(run.tr("starter written:"))
    c.print(str(path), style="bold cyan", soft_wrap=True, highlight=False)
    outcome.file = str(path)
    if outcome.status == "unanswered":
        outcome.status = "skipped"  # reached; "answered" from its first grading
    keys_help = run.tr("Enter grade · h hint · s next question · e open $EDITOR · q end the round")
    if not run.input.interactive:
        keys_help = run.tr(
            "Then one line per action: empty line = grade · h = hint · s = next question · q = end the round"
        )
    run.dim(keys_help)
    started = run.clock()
    graded_sha: str | None = None
    last: GradeResult | None = None
    with run.input.key_mode():
        while True:
            action, raw, timed_out = run.input.read_key(run.remaining)
            stage.seconds = (run.clock() - started).total_seconds()
            if timed_out:
                current = _sha(path)
                if current is not None and current != graded_sha and current != _sha_text(starter):
                    c.print(Text(run.tr("time's up — grading your file as it is"), style="bold red"))
                    _grade(run, drill, path, outcome, stage, started)
                if outcome.status in ("answered", "skipped"):
                    outcome.status = "timeout" if stage.attempts or len(outcome.stages) > 1 else "unanswered"
                return "time"
            if action == keys.REVEAL:  # Enter (or an empty line)
                graded, last = _grade(run, drill, path, outcome, stage, started)
                graded_sha = graded or graded_sha
                if last is not None and last.accepted:
                    return "accepted" if i + 1 < n else "next"
                run.dim(keys_help)
                continue
            key = raw.strip().lower()
            if action == keys.QUIT:
                if outcome.status == "skipped" and not any(s.attempts for s in outcome.stages):
                    outcome.status = (
                        "unanswered"  # the round ended before this drill was tried: not a weakness
                    )
                return "quit"
            if key in ("s", "skip", "n", "next"):
                return "next"
            if key in ("h", "hint"):
                _hint(run, drill, stage, last)
                continue
            if key == "e" and run.hooks.open_editor is not None:
                with run.live.paused(), run.input.suspend():
                    run.hooks.open_editor(path)
                run.header(q, where)
            run.dim(keys_help)


def _hint(run: RoundRunner, drill: Drill, stage: mock.StageResult, last: GradeResult | None) -> None:
    """The named mistake of the last grading first (the most useful thing to hear), then the drill's hints."""
    from rich.text import Text

    said = []
    if last is not None and last.mistake:
        said.append(last.mistake.get(run.lang) or last.mistake.get("en") or "")
    said += list(drill.hints(run.lang))
    said = [h for h in said if h]
    if stage.hints >= len(said):
        run.dim(run.tr("no more hints for this drill"))
        return
    stage.hints += 1
    run.console.print(
        Text.assemble(
            (run.tr("hint {n}/{total}: ", n=stage.hints, total=len(said)), "bold yellow"),
            said[stage.hints - 1],
        )
    )
    run.save_running()


def _grade(
    run: RoundRunner, drill: Drill, path: Path, outcome: mock.Outcome, stage: mock.StageResult, started
) -> tuple[str | None, GradeResult | None]:
    from rich.text import Text

    from tfprep.errors import SubmissionError
    from tfprep.grading.service import read_submission
    from tfprep.ui.grade import render_result

    try:
        source = read_submission(path)
    except SubmissionError as exc:
        run.console.print(Text(str(exc), style="red"), soft_wrap=True)
        return None, None
    with run.console.status(run.tr("grading…")):
        result = run.hooks.grade(drill, source)
    run.input.flush()
    # an interviewer says what failed, not how to fix it: hints and the named mistake wait for `h`
    shown = dataclasses.replace(result, hint=None, mistake=None)
    render_result(run.console, shown, run.lang, title=drill.title(run.lang))
    seconds = (run.clock() - started).total_seconds()
    run.hooks.record(drill, path, source, result, seconds)
    stage.verdict, stage.passed, stage.total = result.verdict, result.passed, result.total
    stage.attempts += 1
    stage.seconds = seconds
    outcome.status = "answered"
    run.save_running()
    return _sha_text(source), result


def _sha_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sha(path: Path) -> str | None:
    try:
        return _sha_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
