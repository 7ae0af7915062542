"""The live clock: a status line at the bottom of the terminal, redrawn every second while you type.

The lines above scroll as usual (a scroll region, DECSTBM, that leaves the last row to the clock); each tick
saves the cursor, writes the last row and puts the cursor back, so a line being typed is not disturbed. It
runs only when the console is a real terminal; in line mode (a pipe, a script) there is nothing to redraw.
The terminal is given back whole (scroll region reset, last row cleared) when it stops — also on Ctrl-C,
and while an editor has the screen (`paused`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from tfprep.i18n import tr_in
from tfprep.mock.scorecard import fmt_seconds

if TYPE_CHECKING:
    from rich.console import Console

ESC = "\x1b"


class LiveClock:
    def __init__(self, console: Console, remaining: Callable[[], float], lang: str, *, tick: float = 1.0):
        self.console = console
        self.remaining = remaining
        self.lang = lang
        self.tick = tick
        self.context = ""  # e.g. "ByteDance — first round · Q3/10"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rows = 0
        self.enabled = bool(console.is_terminal and not console.is_dumb_terminal)

    # -- drawing ------------------------------------------------------------------------------------------

    def _write(self, text: str) -> None:
        # the console's own lock: a tick never lands in the middle of something Rich is printing
        with self.console._lock:
            self.console.file.write(text)
            self.console.file.flush()

    def _size(self) -> tuple[int, int]:
        try:
            size = os.get_terminal_size(self.console.file.fileno())
            return size.columns, size.lines
        except (OSError, ValueError, AttributeError):
            return self.console.width, self.console.height

    def status(self) -> str:
        left = max(0.0, self.remaining())
        text = tr_in(self.lang, "{t} left", t=fmt_seconds(left))
        return f" {self.context} · {text} " if self.context else f" {text} "

    def _draw(self) -> None:
        from rich.cells import set_cell_size

        cols, rows = self._size()
        if rows < 3:
            return
        region = ""
        if rows != self._rows:  # first draw, or the terminal was resized
            region = f"{ESC}[1;{rows - 1}r"
            self._rows = rows
        left = self.remaining()
        style = "\x1b[1;37;41m" if left < 120 else "\x1b[1;30;46m"
        line = set_cell_size(self.status(), max(1, cols - 1))
        self._write(f"{ESC}7{region}{ESC}8{ESC}7{ESC}[{rows};1H{ESC}[2K{style}{line}{ESC}[0m{ESC}8")

    def _run(self) -> None:
        while not self._stop.wait(self.tick):
            with contextlib.suppress(OSError, ValueError):
                self._draw()

    # -- life -----------------------------------------------------------------------------------------------

    def start(self) -> None:
        if not self.enabled or self._thread is not None:
            return
        self._stop.clear()
        self._write("\n" + f"{ESC}[1A")  # keep the cursor off the last row, which becomes the clock's
        self._rows = 0
        self._draw()
        self._thread = threading.Thread(target=self._run, name="tfprep-mock-clock", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(timeout=2)
        self._thread = None
        _, rows = self._size()
        with contextlib.suppress(OSError, ValueError):
            self._write(f"{ESC}7{ESC}[r{ESC}8{ESC}7{ESC}[{rows};1H{ESC}[2K{ESC}8")
        self._rows = 0

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        running = self._thread is not None
        self.stop()
        try:
            yield
        finally:
            if running:
                self.start()

    def __enter__(self) -> LiveClock:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
