"""Reading a round's input with a deadline, in a terminal and in line mode alike.

- `TerminalInput` (stdin is a terminal): answers typed line by line with the terminal's own line editing (an
  empty line or Ctrl-D ends an answer); single keys elsewhere (cbreak, `keys.KeyReader`). Reads wait with
  `select` until the round's deadline; when time runs out in the middle of a line, the characters typed so
  far are recovered too (and on Ctrl-C, thanks to NOFLSH).
- `LineInput` (a pipe, a script): one line per action. A reader thread feeds a queue, so a read waits with
  the same deadline as in a terminal: the clock fires on time, not when the next line arrives. The thread
  reads a line only when one is asked for (no read-ahead): a line that arrives after time ran out is kept
  for the next read.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from typing import IO

from tfprep.ui import keys

Remaining = Callable[[], "float | None"]  # seconds left in the round (None = no limit)
_EOF = object()


class LineInput:
    """One line per action (scripts, pipes, tests). End of input: an answer ends, a key read quits."""

    interactive = False

    def __init__(self, stream: IO[str] | None = None):
        self.stream = stream if stream is not None else sys.stdin
        self.partial = ""
        self._lines: queue.Queue[object] = queue.Queue()
        self._wanted = threading.Semaphore(0)  # one release = read one more line
        self._asked = False  # a line was asked for and has not been taken yet
        self._eof = False
        self._thread: threading.Thread | None = None

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._pump, name="tfprep-mock-input", daemon=True)
            self._thread.start()

    def _pump(self) -> None:
        while True:
            self._wanted.acquire()
            try:
                line = self.stream.readline()
            except (OSError, ValueError):  # the stream was closed under us
                line = ""
            self._lines.put(line if line else _EOF)
            if not line:
                return

    def _next(self, remaining: Remaining) -> tuple[str | None, bool]:
        """(the next line without its newline or None at end of input, whether time ran out first)."""
        left = remaining()
        if left is not None and left <= 0:
            return "", True
        if self._eof:
            return None, False
        self._start()
        if not self._asked:
            self._asked = True
            self._wanted.release()
        try:
            item = self._lines.get(timeout=None if left is None else left)
        except queue.Empty:
            return "", True
        self._asked = False
        if item is _EOF:
            self._eof = True
            return None, False
        assert isinstance(item, str)
        return item.rstrip("\n").rstrip("\r"), False

    def read_line(self, remaining: Remaining) -> tuple[str | None, bool]:
        return self._next(remaining)

    @contextlib.contextmanager
    def key_mode(self) -> Iterator[None]:
        yield

    def read_key(self, remaining: Remaining) -> tuple[str, str, bool]:
        """(action, the line stripped, whether time ran out first). End of input = quit."""
        line, timed_out = self._next(remaining)
        if timed_out:
            return "", "", True
        if line is None:
            return keys.QUIT, "", False
        return keys.action_of_line(line) or "", line.strip(), False

    def suspend(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def answer_mode(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def pending(self) -> str:
        return ""

    def flush(self) -> None:
        return None


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
            ready, _, _ = select.select([self.fd], [], [], None if left is None else min(left, 0.5))
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

    def answer_mode(self) -> contextlib.AbstractContextManager[None]:
        """While an answer is typed: Ctrl-C keeps the typed-ahead text (NOFLSH) even between two reads."""
        return self._noflush()

    def pending(self) -> str:
        """Whatever was typed and not read yet (Ctrl-C came between two reads)."""
        text = (self._buf + self._drain()).rstrip("\n")
        self._buf = ""
        return text

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
                    self.partial = text  # the caller moves to a fresh line before printing
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
