"""`tfprep mock` in a real terminal (pexpect pty): a short round played end to end — one concept answer, one
coding drill graded once — and Ctrl-C in the middle of a typed line."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pexpect
import pytest

from tfprep.paths import Paths
from tfprep.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "mock"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(home: Path, *args: str) -> pexpect.spawn:
    env = {**os.environ, "TFPREP_HOME": str(home), "COLUMNS": "100", "LINES": "40", "TERM": "xterm-256color"}
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    return pexpect.spawn(
        sys.executable, ["-m", "tfprep", "mock", *args], env=env, encoding="utf-8", timeout=30,
        dimensions=(40, 100), cwd=str(ROOT),
    )  # fmt: skip


@pytest.mark.slow
def test_a_short_round_end_to_end(home):
    child = spawn(home, str(FIXTURES / "short.toml"), "--lang", "en", "--seed", "1")
    try:
        child.expect(r"Short test round · Q1/2 · \d+:\d\d left")
        child.expect("Why divide QKᵀ by √dₖ")
        child.expect("an empty line \\(or Ctrl-D\\) ends it")
        child.sendline("The variance of q·k grows like d_k, so large logits saturate the softmax")
        child.sendline("and the gradients vanish; dividing by sqrt(d_k) restores unit variance.")
        child.sendline("")
        child.expect("reference answer")
        child.expect(r"key points: \d/4 covered")
        child.expect("Score yourself")
        child.expect("4 Easy")
        child.send("3")  # one key, no Enter
        child.expect("Good.* — next review in")
        child.expect(r"Short test round · Q2/2 · \d+:\d\d left")
        child.expect("starter written:")
        child.expect(r"(/\S+attention\.py)")
        starter = Path(ANSI.sub("", child.match.group(1)))
        assert starter.parent.parent == home / "sessions"
        assert "raise NotImplementedError" in starter.read_text()
        shutil.copy(ROOT / "solutions" / "attention.py", starter)  # "edit it in your editor"
        child.expect("Enter grade · h hint · s next question")
        child.send("\r")  # grade once (the warm judge was started with the round)
        child.expect("ACCEPTED", timeout=180)  # accepted: the question is done, like in an interview
        child.expect("Short test round — scorecard")
        child.expect("overall")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0

    with Store.open(Paths(home)) as s:
        m = s.latest_mock_session()
        assert m is not None and m.complete and m.round == "short"
        q1, q2 = m.report["questions"]
        assert (q1["status"], q1["self_score"], q1["ref"]) == ("answered", 3, "en.attention.why-sqrt-dk")
        assert q1["covered"] >= 3
        assert q1["answer"].startswith("The variance of q·k grows like d_k")
        assert (q2["status"], q2["verdict"], q2["attempts"], q2["score"]) == (
            "answered",
            "accepted",
            1,
            100.0,
        )
        assert m.score == m.report["score"] and m.score > 80
        assert [(r.card_id, r.rating) for r in s.reviews()] == [("en.attention.why-sqrt-dk", 3)]
        attempts = s.attempts("attention")
        assert [a.verdict for a in attempts] == ["accepted"]
        assert Path(attempts[0].submission_path) == starter and attempts[0].duration_s is not None
    md = (starter.parent / "scorecard.md").read_text(encoding="utf-8")
    assert md.startswith("# Short test round — ")
    assert "| 1 | Why divide $QK^\\top$ by $\\sqrt{d_k}$? | concept |" in md and "Good · " in md
    assert "| 2 | Scaled dot-product attention | coding |" in md and "| accepted | 100 |" in md
    assert "> and the gradients vanish; dividing by sqrt(d_k) restores unit variance." in md


def test_ctrl_c_keeps_the_half_typed_line_and_saves_an_incomplete_session(home):
    child = spawn(home, str(FIXTURES / "concepts.toml"), "--lang", "zh", "--seed", "2")
    try:
        child.expect("空行（或 Ctrl-D）结束")
        child.sendline("方差随 d_k 增大")
        child.send("softmax 会饱和")  # no Enter yet
        child.sendintr()
        child.expect("成绩单")
        child.expect("未完成——被中断")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130
    with Store.open(Paths(home)) as s:
        m = s.latest_mock_session(complete_only=False)
        assert not m.complete and m.report["ended_by"] == "interrupted"
        q1 = m.report["questions"][0]
        assert q1["answer"] == "方差随 d_k 增大\nsoftmax 会饱和"
        assert q1["status"] == "interrupted"
        folder = Path(m.report["folder"])
    assert (
        (folder / "q01-answer.md").read_text(encoding="utf-8").endswith("方差随 d_k 增大\nsoftmax 会饱和\n")
    )
    assert "未完成——被中断" in (folder / "scorecard.md").read_text(encoding="utf-8")
