"""`tfprep` with no arguments: what is due and what to do next."""

from __future__ import annotations


def show_dashboard() -> None:
    from rich.console import Console

    Console().print("tfprep — run [bold]tfprep quiz[/] to review cards, [bold]tfprep drill list[/] to code.")
