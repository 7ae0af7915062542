"""A mock round in the terminal: the header, concept and coding questions, the scorecard.

`RoundRunner` plays a `mock.Plan`. The outside world comes in as callables (grading, recording, rating a
card, saving), so the runner can be driven by a script in tests. Input:
- `TerminalInput` (stdin is a terminal): answers are typed line by line in the terminal's own line editing
  (an empty line or Ctrl-D ends an answer); single keys elsewhere (Enter grades, `s` moves on, 1–4 rate),
  read through `keys.KeyReader`. Reads wait with `select` until the round's deadline; when time runs out in
  the middle of a line, the characters typed so far are recovered too (and on Ctrl-C, thanks to NOFLSH).
- `LineInput` (anything else): one line per action, an answer ends at an empty line; end of input ends the
  round. The deadline is checked before each line.
Every line of an answer is appended (and fsync'ed) to the session folder the moment it is entered.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tfprep import mock
from tfprep.ui import keys

if TYPE_CHECKING:
    from rich.console import Console

    from tfprep.bank.model import Card
    from tfprep.grading.drills import Drill
    from tfprep.grading.report import GradeResult

TEXT = {
    "en": {
        "q": "Q{n}/{total}",
        "left": "{t} left",
        "concept": "concept",
        "coding": "coding",
        "type": "Type your answer — several lines; an empty line (or Ctrl-D) ends it.",
        "saved_to": "saved as you type:",
        "reference": "reference answer",
        "key_points": "key points: {c}/{t} covered",
        "no_key_points": "(this card marks no key points)",
        "self": "Score yourself (also schedules the card): ",
        "self_hint": "press 1-4 to score yourself · q ends the round",
        "wrote": "starter written:",
        "kept": "your file is already there (not overwritten):",
        "edit": "Edit it in your editor, then: Enter grade · s next question · e open $EDITOR · q end the round",
        "edit_lines": "Then one line per action: empty line = grade · s = next question · q = end the round",
        "suggested": "suggested {m:g} min",
        "grading": "grading…",
        "times_up": "time's up",
        "grade_at_end": "time's up — grading your file as it is",
        "coding_hint": "Enter: grade · s: next question · e: open $EDITOR · q: end the round",
        "why": "chosen: {why}",
        "answer_kept": "answer kept:",
    },
    "zh": {
        "q": "第 {n}/{total} 题",
        "left": "剩余 {t}",
        "concept": "概念题",
        "coding": "编程题",
        "type": "输入你的回答，可以多行；空行（或 Ctrl-D）结束。",
        "saved_to": "边输入边保存到：",
        "reference": "参考答案",
        "key_points": "要点：覆盖 {c}/{t}",
        "no_key_points": "（这张卡片没有标注要点）",
        "self": "给自己打分（同时安排这张卡片的复习）：",
        "self_hint": "按 1-4 打分 · q 结束本轮",
        "wrote": "已写入初始代码：",
        "kept": "文件已存在（不会覆盖）：",
        "edit": "在编辑器里完成它，然后：Enter 评测 · s 下一题 · e 打开 $EDITOR · q 结束本轮",
        "edit_lines": "之后每行一个操作：空行 = 评测 · s = 下一题 · q = 结束本轮",
        "suggested": "建议用时 {m:g} 分钟",
        "grading": "评测中…",
        "times_up": "时间到",
        "grade_at_end": "时间到——按当前文件评测一次",
        "coding_hint": "Enter：评测 · s：下一题 · e：打开 $EDITOR · q：结束本轮",
        "why": "选题原因：{why}",
        "answer_kept": "回答已保存：",
    },
}


def t(lang: str, key: str, **kw: Any) -> str:
    return TEXT.get(lang, TEXT["en"])[key].format(**kw)


# ---------------------------------------------------------------------------------------------------------
# input


Remaining = Callable[[], "float | None"]  # seconds left in the round (None = no limit)


class LineInput:
    """One line per action (scripts, pipes, tests). End of input: an answer ends, a key read quits."""

    interactive = False

    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream if stream is not None else sys.stdin
        self.partial = ""

    def read_line(self, remaining: Remaining) -> tuple[str | None, bool]:
        """(a line without its newline, or None at end of input; whether time ran out first)."""
        left = remaining()
        if left is not None and left <= 0:
            return "", True
        line = self.stream.readline()
        if line == "":
            return None, False
        return line.rstrip("\n").rstrip("\r"), False

    @contextlib.contextmanager
    def key_mode(self) -> Iterator[None]:
        yield

    def read_key(self, remaining: Remaining) -> tuple[str, str, bool]:
        """(action, the line stripped, whether time ran out first). End of input = quit."""
        left = remaining()
        if left is not None and left <= 0:
            return "", "", True
        line = self.stream.readline()
        if line == "":
            return keys.QUIT, "", False
        return keys.action_of_line(line) or "", line.strip(), False

    def suspend(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()


class TerminalInput:
    """Lines typed with the terminal's line editing, or single keys (cbreak), both with a deadline."""

    interactive = True

    def __init__(self, fd: int | None = None):
        self.fd = sys.stdin.fileno() if fd is None else fd
        self._buf = ""
        self._eof = False
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._reader: keys.KeyReader | None = None
        self.partial = ""  # what was typed on the current line when Ctrl-C came

    def _wait(self, remaining: Remaining) -> bool:
        """Block until input is ready (True) or the deadline passes (False)."""
        import select

        while True:
            left = remaining()
            if left is not None and left <= 0:
                return False
            ready, _, _ = select.select([self.fd], [], [], None if left is None else min(left, 5.0))
            if ready:
                return True

    def _drain(self) -> str:
        """The characters typed on the current, unfinished line (a canonical-mode terminal holds them until
        Enter; switching to non-canonical mode for a moment hands them over)."""
        import termios

        try:
            old = termios.tcgetattr(self.fd)
        except termios.error:
            return ""
        raw = list(old)
        raw[3] &= ~termios.ICANON
        raw[6] = list(old[6])
        raw[6][termios.VMIN] = 0
        raw[6][termios.VTIME] = 0
        data = b""
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, raw)
            with contextlib.suppress(BlockingIOError, InterruptedError, OSError):
                data = os.read(self.fd, 65536)
        finally:
            termios.tcsetattr(self.fd, termios.TCSANOW, old)
        return self._decoder.decode(data)

    @contextlib.contextmanager
    def _noflush(self) -> Iterator[None]:
        """Keep the typed-ahead line when Ctrl-C is pressed (NOFLSH), so it can be saved."""
        import termios

        try:
            old = termios.tcgetattr(self.fd)
        except termios.error:
            yield
            return
        new = list(old)
        new[3] |= termios.NOFLSH
        termios.tcsetattr(self.fd, termios.TCSANOW, new)
        try:
            yield
        finally:
            termios.tcsetattr(self.fd, termios.TCSANOW, old)

    def read_line(self, remaining: Remaining) -> tuple[str | None, bool]:
        self.partial = ""
        with self._noflush():
            while True:
                if "\n" in self._buf:
                    line, self._buf = self._buf.split("\n", 1)
                    return line.rstrip("\r"), False
                if self._eof:
                    self._eof = False
                    return None, False
                try:
                    ready = self._wait(remaining)
                except KeyboardInterrupt:
                    self.partial = (self._buf + self._drain()).rstrip("\n")
                    self._buf = ""
                    raise
                if not ready:
                    text = (self._buf + self._drain()).rstrip("\n")
                    self._buf = ""
                    return text, True
                data = os.read(self.fd, 65536)
                if not data:  # Ctrl-D: ends the answer (after any half-typed line)
                    if self._buf:
                        line, self._buf = self._buf, ""
                        self._eof = True
                        return line, False
                    return None, False
                self._buf += self._decoder.decode(data)

    @contextlib.contextmanager
    def key_mode(self) -> Iterator[None]:
        with keys.KeyReader(self.fd) as reader:
            self._reader = reader
            try:
                yield
            finally:
                self._reader = None

    @contextlib.contextmanager
    def suspend(self) -> Iterator[None]:
        """Give the terminal back (e.g. to an editor) inside key mode."""
        reader = self._reader
        if reader is None:
            yield
            return
        reader.restore()
        try:
            yield
        finally:
            reader.__enter__()

    def read_key(self, remaining: Remaining) -> tuple[str, str, bool]:
        if self._reader is None:  # pragma: no cover - always called inside key_mode
            with self.key_mode():
                return self.read_key(remaining)
        if not self._wait(remaining):
            return "", "", True
        action, raw = self._reader.read()
        return action, raw, False

    def flush(self) -> None:
        """Forget keys pressed while we were busy (e.g. Enter hammered during a grading)."""
        import termios

        with contextlib.suppress(termios.error):
            termios.tcflush(self.fd, termios.TCIFLUSH)


def input_for(stream: IO[str] | None = None) -> TerminalInput | LineInput:
    stream = stream if stream is not None else sys.stdin
    try:
        if stream.isatty():
            return TerminalInput(stream.fileno())
    except (AttributeError, ValueError, OSError):
        pass
    return LineInput(stream)


# ---------------------------------------------------------------------------------------------------------
# the runner


@dataclass
class Hooks:
    """What the runner needs from the outside world."""

    grade: Callable[[Drill, str], GradeResult]  # grade a source (the warm pool)
    record: Callable[[Drill, Path, str, GradeResult, float], None]  # save an attempt (+ seconds on it)
    rate: Callable[[Card, int, int | None], str]  # a self-score → the card's schedule; returns feedback
    labels: Callable[[Card], str]  # `1 Again <1m  2 Hard …` for a card
    save: Callable[[dict[str, Any], bool], None]  # (report, final): store + session folder
    report: Callable[[list[mock.Outcome], str, datetime | None], dict[str, Any]]  # outcomes → report
    open_editor: Callable[[Path], bool] | None = None


class RoundRunner:
    def __init__(
        self,
        plan: mock.Plan,
        *,
        cards: Mapping[str, Card],
        drills: Mapping[str, Drill],
        console: Console,
        input: TerminalInput | LineInput,
        folder: Path,
        clock: Callable[[], datetime],
        started_at: datetime,
        hooks: Hooks,
    ):
        self.plan = plan
        self.cards = cards
        self.drills = drills
        self.console = console
        self.input = input
        self.folder = folder
        self.clock = clock
        self.started_at = started_at
        self.deadline = started_at.timestamp() + plan.minutes * 60
        self.hooks = hooks
        self.lang = plan.lang
        self.outcomes = [mock.Outcome(q.number) for q in plan.questions]
        self.report: dict[str, Any] | None = None

    # -- time -------------------------------------------------------------------------------------------

    def remaining(self) -> float:
        return self.deadline - self.clock().timestamp()

    def header(self, q: mock.Question) -> None:
        from rich.rule import Rule
        from rich.text import Text

        left = max(0.0, self.remaining())
        parts = [
            self.plan.title,
            t(self.lang, "q", n=q.number, total=len(self.plan.questions)),
            t(self.lang, "left", t=mock.fmt_seconds(left)),
        ]
        style = "bold red" if left < 120 else "bold"
        self.console.print(Rule(Text(f" {' · '.join(parts)} ", style=style), style="cyan"))

    def _dim(self, text: str) -> None:
        from rich.text import Text

        self.console.print(Text(text, style="dim"), soft_wrap=True)

    # -- the loop ---------------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Play the round; returns the final report (also saved through hooks.save). Ctrl-C (and SIGTERM)
        save what was done as an incomplete session, then propagate."""
        ended_by = "finished"
        self.hooks.save(self.hooks.report(self.outcomes, "running", None), False)
        try:
            for q, outcome in zip(self.plan.questions, self.outcomes, strict=True):
                if self.remaining() <= 0:
                    ended_by = "time"
                    break
                step = self._concept(q, outcome) if q.kind == "concept" else self._coding(q, outcome)
                self.hooks.save(self.hooks.report(self.outcomes, "running", None), False)
                if step in ("time", "quit"):
                    ended_by = step
                    break
            if ended_by == "time":
                self.console.print(f"[bold red]{t(self.lang, 'times_up')}[/]")
        except (KeyboardInterrupt, SystemExit):
            self._finish("interrupted")
            raise
        return self._finish(ended_by)

    def _finish(self, ended_by: str) -> dict[str, Any]:
        self.report = self.hooks.report(self.outcomes, ended_by, self.clock())
        self.hooks.save(self.report, True)
        return self.report

    # -- concept questions ------------------------------------------------------------------------------

    def _concept(self, q: mock.Question, outcome: mock.Outcome) -> str:
        from tfprep.ui.markdown import markdown

        card = self.cards[q.ref]
        c = self.console
        self.header(q)
        meta = [t(self.lang, "concept"), q.topic]
        if q.label:
            meta.append(q.label)
        if q.why:
            meta.append(t(self.lang, "why", why=q.why))
        self._dim(" · ".join(meta))
        c.print(markdown(card.question))
        path = self.folder / f"q{q.number:02d}-answer.md"
        outcome.file = str(path)
        self._dim(t(self.lang, "type"))
        self._dim(f"{t(self.lang, 'saved_to')} {path}")
        start = self.clock()
        lines: list[str] = []
        timed_out = False
        with path.open("a", encoding="utf-8") as fh:
            if fh.tell() == 0:
                fh.write(f"<!-- {card.id} -->\n# Q{q.number}. {card.question}\n\n")
                fh.flush()

            def keep(line: str) -> None:
                lines.append(line)
                fh.write(line + "\n")
                fh.flush()
                os.fsync(fh.fileno())

            try:
                while True:
                    line, timed_out = self.input.read_line(self.remaining)
                    if timed_out:
                        if line:
                            keep(line)
                        break
                    if line is None and not lines and not self.input.interactive:
                        outcome.status = "unanswered"  # the script ended: so does the round
                        return "quit"
                    if line is None or not line.strip():
                        break
                    keep(line)
            except (KeyboardInterrupt, SystemExit):
                if self.input.partial:
                    keep(self.input.partial)
                self._close_concept(card, outcome, lines, start, "interrupted" if lines else "unanswered")
                raise
        if timed_out:
            self._close_concept(card, outcome, lines, start, "timeout")
            c.print(f"[bold red]{t(self.lang, 'times_up')}[/]")
            self._dim(f"{t(self.lang, 'answer_kept')} {path}")
            return "time"
        self._close_concept(card, outcome, lines, start, "answered" if lines else "skipped")
        self._show_reference(card, outcome)
        return self._self_score(q, card, outcome)

    def _close_concept(
        self, card: Card, outcome: mock.Outcome, lines: list[str], start: datetime, status: str
    ) -> None:
        outcome.answer = "\n".join(lines)
        outcome.points = mock.coverage(card.key_points, outcome.answer)
        outcome.seconds = (self.clock() - start).total_seconds()
        outcome.status = status

    def _show_reference(self, card: Card, outcome: mock.Outcome) -> None:
        from rich.rule import Rule
        from rich.text import Text

        from tfprep.ui.markdown import markdown

        c = self.console
        c.print(Rule(t(self.lang, "reference"), style="dim"))
        c.print(markdown(card.answer or "_(no answer written)_"))
        c.print(Rule(style="dim"))
        if not outcome.points:
            self._dim(t(self.lang, "no_key_points"))
            return
        covered = sum(p.covered for p in outcome.points)
        c.print(Text(t(self.lang, "key_points", c=covered, t=len(outcome.points)), style="bold"))
        for p in outcome.points:
            point = plain_math(p.point, delimited=False)
            line = Text("  ")
            line.append("✓ " if p.covered else "✗ ", style="bold green" if p.covered else "bold red")
            line.append(point, style="" if p.covered else "dim")
            c.print(line)

    def _self_score(self, q: mock.Question, card: Card, outcome: mock.Outcome) -> str:
        from rich.text import Text

        self.header(q)
        prompt = Text(t(self.lang, "self"), style="bold")
        prompt.append(self.hooks.labels(card), style="")
        self.console.print(prompt)
        with self.input.key_mode():
            while True:
                action, _raw, _ = self.input.read_key(lambda: None)  # scoring is not interview time
                if action in keys.RATINGS:
                    rating = int(action)
                    outcome.self_score = rating
                    message = self.hooks.rate(card, rating, int(outcome.seconds * 1000))
                    if message:
                        self.console.print(message, highlight=False)
                    return "next"
                if action == keys.QUIT:
                    return "quit"
                self._dim(t(self.lang, "self_hint"))

    # -- coding questions -------------------------------------------------------------------------------

    def _coding(self, q: mock.Question, outcome: mock.Outcome) -> str:
        from tfprep.ui.markdown import markdown

        drill = self.drills[q.ref]
        c = self.console
        self.header(q)
        meta = [t(self.lang, "coding"), q.topic]
        if q.label:
            meta.append(q.label)
        if q.minutes:
            meta.append(t(self.lang, "suggested", m=q.minutes))
        self._dim(" · ".join(meta))
        c.print(markdown(drill.prompt(self.lang)))
        path = self.folder / f"{drill.slug.replace('-', '_')}.py"
        starter = drill.starter.read_text(encoding="utf-8")
        if path.exists():
            self._dim(t(self.lang, "kept"))
        else:
            path.write_text(starter, encoding="utf-8")
            self._dim(t(self.lang, "wrote"))
        c.print(str(path), style="bold cyan", soft_wrap=True, highlight=False)
        outcome.file = str(path)
        self._dim(t(self.lang, "edit") if self.input.interactive else t(self.lang, "edit_lines"))
        start = self.clock()
        graded_sha: str | None = None
        with self.input.key_mode():
            while True:
                action, raw, timed_out = self.input.read_key(self.remaining)
                if timed_out:
                    current = _sha(path)
                    if current is not None and current != graded_sha and current != _sha_text(starter):
                        c.print(f"[bold red]{t(self.lang, 'grade_at_end')}[/]")
                        self._grade(q, drill, path, outcome, start)
                    outcome.seconds = (self.clock() - start).total_seconds()
                    outcome.status = "timeout"
                    c.print(f"[bold red]{t(self.lang, 'times_up')}[/]")
                    return "time"
                if action == keys.REVEAL:  # Enter (or an empty line)
                    graded_sha = self._grade(q, drill, path, outcome, start)
                    self.header(q)
                    self._dim(t(self.lang, "coding_hint"))
                    continue
                key = raw.strip().lower()
                if key in ("s", "skip", "n", "next") or action == keys.QUIT:
                    outcome.seconds = (self.clock() - start).total_seconds()
                    outcome.status = "answered" if outcome.attempts else "skipped"
                    return "quit" if action == keys.QUIT else "next"
                if key == "e" and self.hooks.open_editor is not None:
                    with self.input.suspend():
                        self.hooks.open_editor(path)
                    self.header(q)
                    self._dim(t(self.lang, "coding_hint"))
                    continue
                self._dim(t(self.lang, "coding_hint"))

    def _grade(
        self, q: mock.Question, drill: Drill, path: Path, outcome: mock.Outcome, start: datetime
    ) -> str | None:
        from tfprep.errors import SubmissionError
        from tfprep.grading.service import read_submission
        from tfprep.ui.grade import render_result

        try:
            source = read_submission(path)
        except SubmissionError as exc:
            self.console.print(f"[red]{exc}[/]", soft_wrap=True)
            return None
        with self.console.status(t(self.lang, "grading")):
            result = self.hooks.grade(drill, source)
        if hasattr(self.input, "flush"):
            self.input.flush()
        render_result(self.console, result, self.lang, title=drill.title(self.lang))
        seconds = (self.clock() - start).total_seconds()
        self.hooks.record(drill, path, source, result, seconds)
        outcome.verdict = result.verdict
        outcome.passed = result.passed
        outcome.total = result.total
        outcome.attempts += 1
        outcome.seconds = seconds
        outcome.status = "answered"
        self.hooks.save(self.hooks.report(self.outcomes, "running", None), False)
        return _sha_text(source)


def plain_math(text: str, *, delimited: bool = True) -> str:
    """Text with its LaTeX as Unicode, for one-line display: `$...$` spans (delimited), or a key point whose
    math lost its delimiters in the bank parser (`d_k=d_{model}/h`)."""
    import re

    from tfprep.ui.markdown import latex_to_unicode

    if delimited:
        return re.sub(r"\$\$?([^$]+)\$?\$", lambda m: latex_to_unicode(m.group(1)), text)
    if not re.search(r"[\\^_]", text):
        return text
    return latex_to_unicode(text.replace("%", r"\%")) or text


def _sha_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sha(path: Path) -> str | None:
    try:
        return _sha_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


# ---------------------------------------------------------------------------------------------------------
# scorecards and history

VERDICT_STYLE = {"accepted": "green", "unanswered": "dim", "not graded": "yellow"}


def _score_style(score: float | None) -> str:
    if score is None:
        return "dim"
    return "bold green" if score >= 80 else "bold yellow" if score >= mock.WEAK_TOPIC else "bold red"


def render_scorecard(console: Console, report: Mapping[str, Any], *, saved: Path | None = None) -> None:
    """The scorecard of a session (at the end of a round and for `tfprep history show`)."""
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    report = complete_report(report)
    zh = report["lang"] == "zh"
    console.print(Rule(Text(f" {report['title']} — scorecard ", style="bold"), style="cyan"))
    table = Table(box=None, padding=(0, 1), header_style="dim")
    for col, kw in (
        ("#", {"justify": "right"}),
        ("question", {"overflow": "fold", "ratio": 1}),
        ("kind", {}),
        ("time", {"justify": "right"}),
        ("verdict", {}),
        ("score", {"justify": "right"}),
    ):
        table.add_column(col, **kw)
    for r in report["questions"]:
        verdict = mock.verdict_of(r)
        style = "green" if r.get("verdict") == "accepted" else VERDICT_STYLE.get(verdict, "")
        title = plain_math(r["title"])
        title = title if len(title) <= 70 else title[:69] + "…"
        table.add_row(
            str(r["number"]),
            title,
            r["kind"],
            mock.fmt_seconds(r["seconds"]) if r["status"] != "unanswered" else "—",
            Text(verdict, style=style),
            Text(mock.fmt_score(r["score"]), style=_score_style(r["score"])),
        )
    console.print(table)
    state = {
        "finished": "complete",
        "time": "complete — time ran out",
        "interrupted": "incomplete — interrupted",
        "quit": "incomplete — ended early",
        "running": "incomplete — not finished",
    }.get(report["ended_by"], report["ended_by"])
    line = Text("overall ", style="bold")
    line.append(f"{mock.fmt_score(report['score'])}/100", style=_score_style(report["score"]))
    line.append(
        f"   {report['answered']}/{len(report['questions'])} answered · "
        f"{mock.fmt_seconds(report['seconds'])} of {report['minutes']} min · {state}",
        style="dim",
    )
    console.print(line)
    if report["topics"]:
        topics = Text("topics  ", style="bold")
        for i, (topic, score) in enumerate(sorted(report["topics"].items(), key=lambda kv: kv[1])):
            if i:
                topics.append(" · ", style="dim")
            topics.append(f"{topic} ")
            topics.append(mock.fmt_score(score), style=_score_style(score))
        console.print(topics)
    weak = report["weak_topics"]
    console.print(
        Text.assemble(
            ("weak    ", "bold"),
            (", ".join(weak), "bold red") if weak else ("none", "green"),
        )
    )
    if report["recommendations"]:
        console.print(Text("接下来练什么" if zh else "practise next", style="bold"))
        for rec in report["recommendations"]:
            console.print(
                Text.assemble("  ", (rec["command"], "bold green"), ("  — " + rec["why"], "dim")),
                soft_wrap=True,
            )
    if report.get("replay"):
        console.print(Text(f"same questions again: {report['replay']}", style="dim"), soft_wrap=True)
    if saved is not None:
        console.print(Text(f"scorecard: {saved}", style="dim"), soft_wrap=True)


def complete_report(report: Mapping[str, Any]) -> dict[str, Any]:
    """A stored report with every key the renderers read (older or partial reports get defaults)."""
    out = dict(report)
    out.setdefault("title", out.get("round", "mock round"))
    out.setdefault("round", "?")
    out.setdefault("lang", "en")
    out.setdefault("seed", 0)
    out.setdefault("minutes", 0)
    out.setdefault("seconds", 0.0)
    out.setdefault("ended_by", "running")
    out.setdefault("score", None)
    out.setdefault("questions", [])
    out.setdefault("answered", sum(1 for q in out["questions"] if q.get("status") != "unanswered"))
    out.setdefault("topics", {})
    out.setdefault("weak_topics", [])
    out.setdefault("recommendations", [])
    out.setdefault("started_at", "")
    return out


def render_history(console: Console, rows: list[dict[str, Any]], tz: Any = None) -> None:
    from rich.table import Table
    from rich.text import Text

    if not rows:
        console.print(
            "No mock sessions yet — start one with [bold]tfprep mock[/] (see [bold]tfprep mock --list[/])."
        )
        return
    table = Table(box=None, padding=(0, 1), header_style="dim")
    id_width = max(len(r["id"]) for r in rows)
    for col in ("id", "date", "round", "score", "answered", "status"):
        table.add_column(
            col,
            justify="right" if col in ("score", "answered") else "left",
            min_width=id_width if col == "id" else None,  # the id is what `history show` needs: never cut
            no_wrap=col in ("date", "status"),
            overflow="fold",
        )
    for r in rows:
        started = datetime.fromisoformat(r["started_at"]).astimezone(tz)
        table.add_row(
            r["id"],
            f"{started:%Y-%m-%d %H:%M}",
            r["round"],
            Text(mock.fmt_score(r["score"]), style=_score_style(r["score"])),
            f"{r['answered']}/{r['questions']}",
            Text("complete", style="green") if r["complete"] else Text("incomplete", style="yellow"),
        )
    console.print(table)
    console.print(Text("tfprep history show ID — a session's scorecard", style="dim"))
