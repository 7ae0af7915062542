"""Reading the quiz's actions: one key (no Enter) on a terminal, one line per action otherwise.

Actions: "reveal" (Enter/space), "1"-"4", "undo" (u), "quit" (q, Esc, Ctrl-D, or end of input).

On a terminal the keys are read in cbreak mode (no echo, no line buffering, Ctrl-C still interrupts); the
terminal's previous mode is restored when the reader closes — also on an error, Ctrl-C, SIGTERM, and after a
suspend (Ctrl-Z / `fg` puts cbreak mode back).
"""

from __future__ import annotations

import os
import signal
import sys
from typing import IO

REVEAL, UNDO, QUIT = "reveal", "undo", "quit"
RATINGS = ("1", "2", "3", "4")


def action_of_key(key: str) -> str | None:
    """The action of one keypress (None = ignore it)."""
    if key in ("\r", "\n", " "):
        return REVEAL
    if key in RATINGS:
        return key
    if key in ("u", "U"):
        return UNDO
    if key in ("q", "Q", "\x04", "\x1b"):
        return QUIT
    return None


def action_of_line(line: str) -> str | None:
    """The action of one scripted line (empty = reveal; `again/hard/good/easy` also accepted)."""
    word = line.strip().lower()
    if word in ("", "r", "reveal", "show"):
        return REVEAL
    named = {"again": "1", "hard": "2", "good": "3", "easy": "4"}
    if word in RATINGS:
        return word
    if word in named:
        return named[word]
    if word in ("u", "undo"):
        return UNDO
    if word in ("q", "quit", "exit"):
        return QUIT
    return None


class LineReader:
    """One action per line of a stream (scripts, pipes, tests). End of input = quit."""

    interactive = False

    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream if stream is not None else sys.stdin

    def __enter__(self) -> LineReader:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read(self) -> tuple[str, str]:
        """(action or "" when unknown, the raw line)."""
        line = self.stream.readline()
        if line == "":
            return QUIT, ""
        return action_of_line(line) or "", line.rstrip("\n")


class KeyReader:
    """Single keypresses from a terminal in cbreak mode; the terminal mode is restored on exit."""

    interactive = True

    def __init__(self, fd: int | None = None):
        self.fd = sys.stdin.fileno() if fd is None else fd
        self._saved: list | None = None
        self._old_handlers: dict[int, object] = {}

    def _cbreak(self) -> None:
        import tty

        tty.setcbreak(self.fd)

    def __enter__(self) -> KeyReader:
        import termios

        self._saved = termios.tcgetattr(self.fd)
        try:
            self._cbreak()
            self._install(signal.SIGTERM, self._on_term)
            if hasattr(signal, "SIGCONT"):
                self._install(signal.SIGCONT, self._on_cont)
        except BaseException:
            self.restore()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def _install(self, signum: int, handler: object) -> None:
        import contextlib

        with contextlib.suppress(ValueError):  # not the main thread: keep the defaults
            self._old_handlers[signum] = signal.signal(signum, handler)

    def _on_term(self, signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # unwinds through `finally`, which restores the terminal

    def _on_cont(self, signum: int, frame: object) -> None:
        import contextlib
        import termios

        with contextlib.suppress(termios.error):
            self._cbreak()

    def restore(self) -> None:
        import termios

        for signum, handler in self._old_handlers.items():
            signal.signal(signum, handler)
        self._old_handlers.clear()
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def read(self) -> tuple[str, str]:
        """(action or "" when the key means nothing here, the key)."""
        while True:
            try:
                data = os.read(self.fd, 64)
            except InterruptedError:  # pragma: no cover - PEP 475 retries, kept for old kernels
                continue
            if not data:
                return QUIT, ""
            key = data.decode("utf-8", "replace")
            if key.startswith("\x1b") and len(key) > 1:
                return "", key  # an arrow or function key: not ours
            return action_of_key(key[:1]) or "", key


def reader_for(stream: IO[str] | None = None) -> KeyReader | LineReader:
    """A key reader when stdin is a terminal, a line reader otherwise."""
    stream = stream if stream is not None else sys.stdin
    try:
        if stream.isatty():
            return KeyReader(stream.fileno())
    except (AttributeError, ValueError, OSError):
        pass
    return LineReader(stream)
