"""`tfprep stats`: what you reviewed, what is due, how well you remember."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import typer

from tfprep.cli.app import app


def collect_stats() -> dict[str, Any]:
    """The statistics of the review database in TFPREP_HOME (zeros when there is none yet)."""
    from datetime import datetime

    from tfprep import srs
    from tfprep.cli.quiz import local_tz
    from tfprep.paths import Paths
    from tfprep.store import Store

    cards: list[srs.CardRow] = []
    reviews: list[srs.ReviewRow] = []
    store = Store.open_existing(Paths.from_env())
    if store is not None:
        with store:
            cards = [srs.CardRow(c.id, c.due, c.tags, c.deck) for c in store.cards()]
            reviews = [
                srs.ReviewRow(r.card_id, r.rating, r.reviewed_at, r.prev_state) for r in store.reviews()
            ]
    return srs.compute_stats(cards, reviews, datetime.now(UTC), local_tz())


@app.command()
def stats(
    json_out: bool = typer.Option(False, "--json", help="Print the numbers as one JSON object."),
) -> None:
    """Your reviews: totals, what is due (today and the next 7 days), retention per topic, streak, heatmap.

    **True retention** is the share of reviews of cards past their learning steps (not new, not relearning)
    that you rated Hard, Good or Easy — how often you remembered a card when it came due. Aim near the
    quiz's `--retention` (0.9 by default).

    **Streak** counts consecutive days with at least one review, up to today (a streak is kept until the day
    ends). The heatmap shows reviews per day over the last 16 weeks, Monday on top.

    `--json` keys: reviews, cards, due, due_now, reviews_today, retention, retention_reviews, streak,
    forecast [{date, due}], topics {tag: {cards, reviews, retention, retention_reviews}}, heatmap
    [{date, reviews}], next_due, today. Cram sessions are not counted.

    Example: `tfprep stats --json`
    """
    data = collect_stats()
    if json_out:
        import json

        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    from tfprep.cli.quiz import local_tz
    from tfprep.ui.stats import render_stats

    render_stats(Console(highlight=False), data, local_tz())
