"""The quiz in a real terminal (pexpect pty): one key per action, no Enter; and the key reader's tty handling."""

from __future__ import annotations

import os
import sys
import termios

import pexpect
import pytest

from tfprep.ui import keys

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def spawn(home, bank, *args):
    env = {**os.environ, "TFPREP_HOME": str(home), "COLUMNS": "100", "LINES": "40", "TERM": "xterm-256color"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "tfprep", "quiz", "--bank", str(bank), *args],
        env=env,
        encoding="utf-8",
        timeout=15,
        dimensions=(40, 100),
    )


def test_quiz_in_a_real_terminal(home, quiz_bank):
    child = spawn(home, quiz_bank)
    try:
        child.expect("Why divide QKᵀ by √d_k")
        child.expect("Enter: show answer")
        child.send("3")  # a rating before the answer is shown is refused, nothing is saved
        child.expect("press Enter to see the answer first")
        child.send("\r")  # Enter: reveal
        child.expect("answer")
        child.expect("√dₖ")  # LaTeX `\frac{1}{\sqrt{d_k}}` rendered as Unicode
        child.expect(r"1 .*Again.* <1m .*2 .*Hard.* <6m .*3 .*Good.* <10m .*4 .*Easy.* \d+d")
        child.send("3")  # one key, no Enter
        child.expect("Good.* — next later in this session")  # feedback above the next card
        child.expect("What does the causal mask do")
        child.send("\r")
        child.expect("masked_fill")
        child.send("u")  # undo the Good: the first card again
        child.expect("undid .*Good")
        child.expect("Why divide QKᵀ")
        child.send("\r")
        child.expect("Easy")
        child.send("4")
        child.expect("What does the causal mask do")
        child.send("q")
        child.expect("summary")
        child.expect(r"reviewed .*1.* \(1 card\)")
        child.expect("next due: in")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0

    from tfprep.paths import Paths
    from tfprep.store import Store

    with Store.open(Paths(home)) as s:
        assert [(r.card_id, r.rating) for r in s.reviews()] == [("fx.attention.sqrt-dk", 4)]


def test_ctrl_c_shows_the_summary_and_exits_130(home, quiz_bank):
    child = spawn(home, quiz_bank)
    try:
        child.expect("Enter: show answer")
        child.send("\r")
        child.expect("Easy")
        child.send("4")
        child.expect("causal mask")
        child.sendintr()
        child.expect("summary")
        child.expect("interrupted")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130


# -- the key reader on a pty ---------------------------------------------------------------------------


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    yield master, slave
    os.close(master)
    os.close(slave)


def test_key_reader_reads_single_keys_in_cbreak_mode_and_restores(pty_pair):
    master, slave = pty_pair
    before = termios.tcgetattr(slave)
    assert before[3] & termios.ICANON
    with keys.KeyReader(slave) as reader:
        mode = termios.tcgetattr(slave)
        assert not mode[3] & termios.ICANON and not mode[3] & termios.ECHO
        os.write(master, b"3")
        assert reader.read() == ("3", "3")
        os.write(master, b"\r")
        assert reader.read()[0] == keys.REVEAL
        os.write(master, b"\x1b[A")  # an arrow key: ignored
        assert reader.read()[0] == ""
        os.write(master, b"u")
        assert reader.read()[0] == keys.UNDO
        os.write(master, b"q")
        assert reader.read()[0] == keys.QUIT
    assert termios.tcgetattr(slave) == before


def test_key_reader_restores_the_terminal_on_error(pty_pair):
    _, slave = pty_pair
    before = termios.tcgetattr(slave)
    with pytest.raises(KeyboardInterrupt), keys.KeyReader(slave):
        raise KeyboardInterrupt
    assert termios.tcgetattr(slave) == before


def test_reader_for_picks_lines_when_not_a_terminal(tmp_path):
    import io

    reader = keys.reader_for(io.StringIO("\n3\nagain\nbogus\n"))
    assert isinstance(reader, keys.LineReader)
    assert [reader.read()[0] for _ in range(5)] == [keys.REVEAL, "3", "1", "", keys.QUIT]
