"""A mock round in the terminal, one job per module: reading input with a deadline (input), the live clock
(clock), the round's loop (runner), a concept question (concept), a coding question or chain (coding), and
the scorecard and history tables (scorecard)."""

from tfprep.ui.mock.input import LineInput, TerminalInput, input_for
from tfprep.ui.mock.mathtext import plain_math
from tfprep.ui.mock.runner import Hooks, RoundRunner
from tfprep.ui.mock.scorecard import complete_report, render_history, render_scorecard

__all__ = [
    "Hooks",
    "LineInput",
    "RoundRunner",
    "TerminalInput",
    "complete_report",
    "input_for",
    "plain_math",
    "render_history",
    "render_scorecard",
]
