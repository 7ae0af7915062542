"""ui/mock.RoundRunner driven by a script (LineInput) with a fake clock and a fake grader: the flow of a
round, saving as you type, the time limit, quitting, Ctrl-C."""

from __future__ import annotations

import io
import os
import pty
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console

from tfprep import mock
from tfprep.bank.model import Card
from tfprep.grading.report import GradeResult
from tfprep.ui import mock as ui

T0 = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)

CARD = Card(
    id="en.attention.why-sqrt-dk",
    question="Why divide $QK^\\top$ by $\\sqrt{d_k}$?",
    answer="Because $\\mathrm{Var}(q\\cdot k)=d_k$.",
    line=1,
    tags=("attention", "softmax"),
    key_points=("variance of q·k grows like d_k", "large logits saturate the softmax", "vanishing gradients"),
    lang="en",
)
# concept data for CARD (questions/keypoints format): one list of concepts per key point
CONCEPTS = {
    "attention.why-sqrt-dk": (
        (("variance", "var", "方差"), ("d_k", "dk", "dimension")),
        (("logits", "scores"), ("saturate", "one-hot")),
        (("vanishing", "vanish", "tiny"), ("gradient", "grads")),
    )
}
CARD2 = Card(id="en.norm.ln", question="LayerNorm vs BatchNorm?", answer="LN per token.", line=9,
             tags=("normalization",), key_points=("LN normalises each token over its features",), lang="en")  # fmt: skip


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class TickingStream(io.StringIO):
    """A script whose every line takes `step` seconds to type."""

    def __init__(self, text: str, clock: Clock, step: float = 10.0):
        super().__init__(text)
        self.clock, self.step = clock, step

    def readline(self, *args):  # noqa: ANN002, ANN201
        line = super().readline(*args)
        if line:
            self.clock.tick(self.step)
        return line


@pytest.fixture
def attention_drill():
    from tfprep.grading.drills import find_drill

    return find_drill("attention")


def make_plan(*kinds: str, minutes: int = 10) -> mock.Plan:
    questions = []
    for n, kind in enumerate(kinds, 1):
        if kind == "concept":
            c = CARD if n == 1 else CARD2
            questions.append(mock.Question(n, "concept", c.id, c.question, mock.topic_of(c.tags), c.tags, 1.0,
                                           None, "", "new"))  # fmt: skip
        else:
            questions.append(mock.Question(n, "coding", "attention", "Scaled dot-product attention", "attention",
                                           ("attention",), 2.0, 5.0, "", "named"))  # fmt: skip
    return mock.Plan(
        round="t", title="Test round", lang="en", seed=1, minutes=minutes, questions=tuple(questions)
    )


class World:
    """Fake hooks: records what the runner asked of the outside world."""

    def __init__(self, plan: mock.Plan, clock: Clock, verdicts: list[GradeResult] | None = None):
        self.plan, self.clock = plan, clock
        self.verdicts = list(verdicts or [])
        self.graded: list[str] = []
        self.recorded: list[tuple[str, str, float]] = []
        self.rated: list[tuple[str, int, int | None]] = []
        self.saved: list[tuple[dict, bool]] = []

    def hooks(self) -> ui.Hooks:
        def grade(drill, source):  # noqa: ANN001, ANN202
            self.graded.append(source)
            self.clock.tick(5)
            return self.verdicts.pop(0)

        def report(outcomes, ended_by, ended_at):  # noqa: ANN001, ANN202
            return mock.build_report(self.plan, outcomes, session_id="sid", started_at=T0, ended_at=ended_at,
                                     ended_by=ended_by)  # fmt: skip

        return ui.Hooks(
            grade=grade,
            record=lambda drill, path, source, result, seconds: self.recorded.append(
                (drill.slug, result.verdict, seconds)
            ),
            rate=lambda card, rating, ms: self.rated.append((card.id, rating, ms)) or f"rated {rating}",
            labels=lambda card: "1 Again  2 Hard  3 Good  4 Easy",
            save=lambda report, final: self.saved.append((report, final)),
            report=report,
        )


def run(plan, script, tmp_path, clock=None, verdicts=None, step=10.0, drill=None):  # noqa: ANN001, ANN201
    clock = clock or Clock()
    world = World(plan, clock, verdicts)
    out = io.StringIO()
    runner = ui.RoundRunner(
        plan,
        cards={CARD.id: CARD, CARD2.id: CARD2},
        drills={"attention": drill} if drill else {},
        console=Console(file=out, width=100, highlight=False, color_system=None),
        input=ui.LineInput(TickingStream(script, clock, step)),
        folder=tmp_path,
        clock=clock,
        started_at=T0,
        hooks=world.hooks(),
        concepts=CONCEPTS,
    )
    return runner, world, out


def verdict(v: str, passed: int, total: int = 10) -> GradeResult:
    return GradeResult("attention", v, passed, total, [{"name": "t", "status": "passed"}] * passed)


def test_a_scripted_round_concept_then_coding(tmp_path, attention_drill):
    plan = make_plan("concept", "coding")
    script = (
        "The variance of q·k grows like d_k,\n"
        "so large logits saturate the softmax.\n"
        "\n"  # an empty line ends the answer
        "x\n"  # not a rating: a hint, then asked again
        "3\n"  # Good
        "\n"  # Enter: grade
        "\n"  # grade again
        "s\n"  # next question
    )
    runner, world, out = run(plan, script, tmp_path, verdicts=[verdict("wrong_answer", 4), verdict("accepted", 10)],
                             drill=attention_drill)  # fmt: skip
    report = runner.run()
    text = out.getvalue()
    # the header with the round, question number and time left, at each step
    assert "Test round · Q1/2 · 10:00 left" in text
    assert "Test round · Q1/2 · 9:30 left" in text  # again above the self-score (the answer took 30 s)
    assert "Test round · Q2/2 · 9:10 left" in text
    assert "reference answer" in text and "Var(q·k)=dₖ" in text  # rendered LaTeX
    assert "key points: 2/3 covered" in text
    assert "✓ variance of q·k grows like dₖ" in text and "✗ vanishing gradients" in text
    assert "Check yourself" not in text  # nothing to check: the card has concept data
    assert "press 1-4 to score yourself" in text and "rated 3" in text
    assert "WRONG ANSWER" in text and "ACCEPTED" in text
    # the self-score fed the card's schedule (through the quiz's path: hooks.rate)
    assert world.rated == [(CARD.id, 3, 30000)]
    # the starter was written into the session folder, graded twice; the last verdict counts
    starter = tmp_path / "attention.py"
    assert starter.read_text() == attention_drill.starter.read_text()
    assert len(world.graded) == 2 and [r[:2] for r in world.recorded] == [("attention", "wrong_answer"),
                                                                           ("attention", "accepted")]  # fmt: skip
    q1, q2 = report["questions"]
    assert (q1["status"], q1["self_score"], q1["covered"], q1["seconds"]) == ("answered", 3, 2, 30.0)
    assert (q2["status"], q2["verdict"], q2["attempts"], q2["score"]) == ("answered", "accepted", 2, 100.0)
    assert report["complete"] and report["ended_by"] == "finished"
    # saved when the round started, after each grading and question, and once at the end
    assert world.saved[0][0]["ended_by"] == "running" and [f for _, f in world.saved].count(True) == 1
    assert world.saved[-1] == (report, True)
    # the answer was written to the session folder as typed
    answer = (tmp_path / "q01-answer.md").read_text()
    assert answer.startswith("<!-- en.attention.why-sqrt-dk -->\n# Q1. Why divide")
    assert answer.endswith("The variance of q·k grows like d_k,\nso large logits saturate the softmax.\n")


def test_the_starter_is_never_overwritten(tmp_path, attention_drill):
    (tmp_path / "attention.py").write_text("# my work\n")
    runner, world, out = run(make_plan("coding"), "s\n", tmp_path, drill=attention_drill)
    report = runner.run()
    assert (tmp_path / "attention.py").read_text() == "# my work\n"
    assert "your file is already there (not overwritten)" in out.getvalue()
    assert report["questions"][0]["status"] == "skipped" and report["questions"][0]["score"] == 0.0


def test_time_running_out_closes_the_question_and_leaves_the_rest_unanswered(tmp_path):
    plan = make_plan("concept", "concept", minutes=1)
    # each line takes 25 s: the third line would start after the 60 s limit
    script = "variance grows like d_k\nlarge logits saturate the softmax\nvanishing gradients\n\n4\n"
    runner, world, out = run(plan, script, tmp_path, step=25)
    report = runner.run()
    q1, q2 = report["questions"]
    assert q1["status"] == "timeout" and q1["self_score"] is None
    assert q1["answer"] == "variance grows like d_k\nlarge logits saturate the softmax\nvanishing gradients"
    assert q1["score"] == 100.0  # coverage alone: all three key points
    assert q2["status"] == "unanswered" and q2["score"] == 0.0
    assert report["ended_by"] == "time" and report["complete"] is True
    assert world.rated == []
    assert "time's up" in out.getvalue()


def test_time_running_out_during_a_drill_grades_the_changed_file_once(tmp_path, attention_drill):
    plan = make_plan("coding", "concept", minutes=1)
    clock = Clock()
    (tmp_path / "attention.py").write_text(
        "def scaled_dot_product_attention(q, k, v, mask=None):\n    return q\n"
    )
    runner, world, out = run(plan, "x\nx\nx\nx\nx\nx\nx\n", tmp_path, clock=clock, step=20,
                             verdicts=[verdict("wrong_answer", 3)], drill=attention_drill)  # fmt: skip
    report = runner.run()
    assert "time's up — grading your file as it is" in out.getvalue()
    q1 = report["questions"][0]
    assert (q1["status"], q1["verdict"], q1["attempts"], q1["score"]) == ("timeout", "wrong_answer", 1, 30.0)
    assert report["questions"][1]["status"] == "unanswered"


def test_q_or_the_end_of_the_script_ends_the_round_incomplete(tmp_path):
    plan = make_plan("concept", "concept")
    runner, world, out = run(plan, "some answer\n\nq\n", tmp_path)
    report = runner.run()
    assert report["ended_by"] == "quit" and report["complete"] is False
    assert report["questions"][0]["status"] == "answered" and report["questions"][0]["self_score"] is None
    # the end of the script while waiting for a self-score ends the round the same way
    runner, world, out = run(plan, "some answer\n", tmp_path)
    assert runner.run()["ended_by"] == "quit"


def test_ctrl_c_saves_an_incomplete_session(tmp_path, attention_drill):
    plan = make_plan("concept", "coding", "concept")

    runner, world, out = run(
        plan, "large logits saturate the softmax\n\n3\n\n", tmp_path, drill=attention_drill
    )

    def grade(drill, source):  # noqa: ANN001, ANN202
        raise KeyboardInterrupt

    runner.hooks.grade = grade
    with pytest.raises(KeyboardInterrupt):
        runner.run()
    report, final = world.saved[-1]
    assert final and report["ended_by"] == "interrupted" and report["complete"] is False
    assert [q["status"] for q in report["questions"]] == ["answered", "unanswered", "unanswered"]
    assert runner.report == report


def test_a_half_typed_line_is_kept_on_ctrl_c(tmp_path):
    """On a real terminal, Ctrl-C keeps the line being typed (NOFLSH) and it is saved with the answer."""
    plan = make_plan("concept")
    master, slave = pty.openpty()
    try:
        inp = ui.TerminalInput(slave)
        os.write(master, b"first line\nhalf typed")
        clock = Clock()
        world = World(plan, clock)
        runner = ui.RoundRunner(
            plan, cards={CARD.id: CARD}, drills={}, console=Console(file=io.StringIO(), width=100), input=inp,
            folder=tmp_path, clock=clock, started_at=T0, hooks=world.hooks(),
        )  # fmt: skip
        calls = {"n": 0}

        def remaining() -> float:
            calls["n"] += 1
            if calls["n"] > 3:
                raise KeyboardInterrupt  # as if Ctrl-C arrived while waiting for the rest of the line
            return 0.05

        runner.remaining = remaining
        with pytest.raises(KeyboardInterrupt):
            runner.run()
    finally:
        os.close(master)
        os.close(slave)
    answer = (tmp_path / "q01-answer.md").read_text()
    assert answer.endswith("first line\nhalf typed\n")
    report, _ = world.saved[-1]
    assert report["questions"][0]["answer"] == "first line\nhalf typed"
    assert report["questions"][0]["status"] == "interrupted"


def test_terminal_input_reads_lines_and_recovers_a_partial_line_at_the_deadline():
    master, slave = pty.openpty()
    try:
        inp = ui.TerminalInput(slave)
        os.write(master, "第一行\nsecond\n".encode())
        assert inp.read_line(lambda: 5.0) == ("第一行", False)
        assert inp.read_line(lambda: 5.0) == ("second", False)
        os.write(master, b"not finish")
        assert inp.read_line(lambda: 0.0) == ("not finish", True)  # time is up: what was typed is kept
        os.write(master, b"\x04")  # Ctrl-D at the start of a line ends the answer
        assert inp.read_line(lambda: 5.0) == (None, False)
    finally:
        os.close(master)
        os.close(slave)


def test_line_input_actions():
    inp = ui.LineInput(io.StringIO("a line\n\n3\ns\n"))
    assert inp.read_line(lambda: None) == ("a line", False)
    assert inp.read_line(lambda: None) == ("", False)
    assert inp.read_key(lambda: None) == ("3", "3", False)
    assert inp.read_key(lambda: None) == ("", "s", False)
    assert inp.read_key(lambda: None)[0] == "quit"  # end of input
    assert inp.read_line(lambda: None) == (None, False)
    assert inp.read_line(lambda: 0.0) == ("", True)


def test_plain_math_for_one_line_display():
    assert ui.plain_math("Why divide $QK^\\top$ by $\\sqrt{d_k}$?") == "Why divide QKᵀ by √dₖ?"
    assert ui.plain_math("d_k=d_{model}/h, so cost stays", delimited=False) == "dₖ=d_model/h, so cost stays"
    assert ui.plain_math("100% plain text", delimited=False) == "100% plain text"
    assert ui.plain_math("top 5% of x_i", delimited=False) == "top 5% of xᵢ"


def test_render_scorecard_of_a_partial_stored_report():
    out = io.StringIO()
    ui.render_scorecard(Console(file=out, width=100), {"round": "basics", "score": 7.5})
    text = out.getvalue()
    assert "basics — scorecard" in text and "overall 7.5/100" in text


def test_an_empty_answer_is_skipped_but_still_shows_the_reference(tmp_path):
    runner, world, out = run(make_plan("concept"), "\n4\n", tmp_path)
    report = runner.run()
    q1 = report["questions"][0]
    # self-rated Easy, but nothing was said: 0
    assert (q1["status"], q1["self_score"], q1["covered"], q1["score"]) == ("skipped", 4, 0, 0.0)
    assert "empty answer: this question scores 0" in out.getvalue()
    assert "reference answer" in out.getvalue() and world.rated == [(CARD.id, 4, 10000)]
    assert report["answered"] == 0 and report["complete"]


def test_a_script_that_ends_before_an_answer_ends_the_round(tmp_path):
    runner, world, out = run(make_plan("concept", "concept"), "", tmp_path)
    report = runner.run()
    assert [q["status"] for q in report["questions"]] == ["unanswered", "unanswered"]
    assert report["ended_by"] == "quit" and "reference answer" not in out.getvalue()


def test_points_it_cannot_confirm_are_checked_by_the_user_one_key_each(tmp_path):
    plan = make_plan("concept", "concept")  # CARD2 has no concept data: its point can only be checked
    script = (
        "variance grows with dk, and the logits do not saturate\n\n"  # 1 covered, 1 contradicted
        "3\n"
        "LN normalises each token over its own features\n\n"
        "maybe\n"  # neither y nor n: asked again
        "y\n"  # confirmed
        "4\n"
    )
    runner, world, out = run(plan, script, tmp_path)
    report = runner.run()
    text = out.getvalue()
    q1, q2 = report["questions"]
    assert [p["state"] for p in q1["key_points"]] == ["covered", "contradicted", "missed"]
    assert "✗! large logits saturate the softmax" in text and "you said" in text
    assert q1["covered"] == 1 and q1["contradicted"] == 1
    assert "Check yourself: did your answer say it?" in text
    assert q2["key_points"][0]["state"] == "check" and q2["key_points"][0]["confirmed"] is True
    assert q2["covered"] == 1 and q2["score"] == 100.0


def test_a_rejected_check_does_not_count(tmp_path):
    runner, world, out = run(
        make_plan("concept", "concept"), "x\n\n1\nLN normalises each token over features\n\nn\n4\n", tmp_path
    )
    q2 = runner.run()["questions"][1]
    assert q2["key_points"][0]["confirmed"] is False and q2["covered"] == 0
    assert q2["score"] == mock.concept_score(4, 0, 1)


def test_hints_only_when_asked_and_counted(tmp_path, attention_drill):
    result = verdict("wrong_answer", 2)
    result.hint = "a hint the grader offers"
    result.mistake = {"key": "no-scale", "en": "you forgot the 1/sqrt(d_k) scale", "zh": "忘了缩放"}
    runner, world, out = run(
        make_plan("coding"), "\nh\nh\ns\n", tmp_path, verdicts=[result], drill=attention_drill
    )
    report = runner.run()
    text = out.getvalue()
    graded = text.index("WRONG ANSWER")
    first_hint = text.index("hint 1/")
    assert "a hint the grader offers" not in text  # never unasked
    assert "you forgot the 1/sqrt(d_k) scale" in text[first_hint:]  # the named mistake, on request
    assert "likely mistake" not in text[graded:first_hint]
    assert "hint 2/" in text
    row = report["questions"][0]
    assert row["hints"] == 2 and report["hints"] == 2 and "2 hint(s)" in mock.verdict_of(row)


def test_a_chain_moves_to_the_follow_up_once_accepted(tmp_path):
    from tfprep.grading.drills import find_drill

    drills = {"attention": find_drill("attention"), "multihead": find_drill("multihead")}
    q = mock.Question(1, "coding", "attention", "Attention", "attention", ("attention",), 2.0, 20.0, "", "",
                      stages=(("attention", "A", ""), ("multihead", "M", "now make it multi-head")))  # fmt: skip
    plan = mock.Plan(round="t", title="Test round", lang="en", seed=1, minutes=30, questions=(q,))
    clock = Clock()
    world = World(plan, clock, [verdict("accepted", 10), verdict("wrong_answer", 3)])
    out = io.StringIO()
    runner = ui.RoundRunner(
        plan, cards={}, drills=drills, console=Console(file=out, width=100), folder=tmp_path, clock=clock,
        input=ui.LineInput(TickingStream("\n\ns\n", clock)), started_at=T0, hooks=world.hooks(),
    )  # fmt: skip
    report = runner.run()
    text = out.getvalue()
    assert "Follow-up: now make it multi-head" in text and "stage 2/2" in text
    assert (tmp_path / "attention.py").exists() and (tmp_path / "multihead.py").exists()
    row = report["questions"][0]
    assert (row["reached"], row["accepted"]) == (2, 1)
    assert row["score"] == round((100 + 30) / 2, 1)
    assert [r[:2] for r in world.recorded] == [("attention", "accepted"), ("multihead", "wrong_answer")]


def test_line_mode_times_out_on_time_even_when_no_line_comes(tmp_path):
    """A pipe that stays open and silent: the round still ends when its time is up (the real clock)."""
    import time

    plan = make_plan("concept", minutes=1)
    r, w = os.pipe()
    try:
        stream = os.fdopen(r, "r")
        world = World(plan, Clock())
        started = datetime.now(UTC) - timedelta(seconds=59.3)  # 0.7 s left
        out = io.StringIO()
        runner = ui.RoundRunner(
            plan, cards={CARD.id: CARD}, drills={}, console=Console(file=out, width=100), folder=tmp_path,
            input=ui.LineInput(stream), clock=lambda: datetime.now(UTC), started_at=started, hooks=world.hooks(),
        )  # fmt: skip
        os.write(w, b"variance grows like d_k\n")  # typed, then silence
        t0 = time.monotonic()
        report = runner.run()
        took = time.monotonic() - t0
    finally:
        os.close(w)
    assert took < 5  # not waiting for a line that never comes
    assert report["ended_by"] == "time" and report["questions"][0]["status"] == "timeout"
    assert report["questions"][0]["answer"] == "variance grows like d_k"
    assert out.getvalue().count("time's up") == 1


def test_the_live_clock_draws_on_the_last_row_and_gives_the_terminal_back():
    from tfprep.ui.mock.clock import LiveClock

    out = io.StringIO()
    console = Console(file=out, width=80, height=24, force_terminal=True)
    left = {"s": 125.0}
    clock = LiveClock(console, lambda: left["s"], "zh", tick=0.02)
    clock.context = "字节跳动 一面 · 第 1/12 题"
    with clock:
        import time

        time.sleep(0.1)
        left["s"] = 59.0
        time.sleep(0.1)
    text = out.getvalue()
    assert "\x1b[1;23r" in text  # a scroll region that leaves the last row to the clock
    assert "\x1b[24;1H" in text and "剩余 2:05" in text and "剩余 0:59" in text
    assert "\x1b[1;37;41m" in text  # red under two minutes
    assert text.endswith("\x1b8") and "\x1b[r" in text  # the whole screen given back at the end
    # not a terminal: nothing drawn
    plain = io.StringIO()
    with LiveClock(Console(file=plain, width=80), lambda: 60.0, "en"):
        pass
    assert plain.getvalue() == ""
