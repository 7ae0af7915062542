"""`tfprep stats`: what you reviewed, what is due, how well you remember."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import typer

from tfprep.cli.app import app


def collect_stats() -> dict[str, Any]:
    """The statistics of the review database in TFPREP_HOME (zeros when there is none yet): the cards'
    (`srs.compute_stats`) and the drills' with the retention curves (`progress`)."""
    from datetime import datetime

    from tfprep import drill_schedule, progress, srs
    from tfprep.cli.quiz import local_tz
    from tfprep.paths import Paths
    from tfprep.store import Store

    now = datetime.now(UTC)
    cards: list[srs.CardRow] = []
    reviews: list[srs.ReviewRow] = []
    drills: dict[str, Any] = {"rows": [], "reviews": 0, "due": 0, "retention": None}
    card_states: list = []
    drill_states: dict = {}
    card_reviews: list = []
    drill_reviews: list = []
    store = Store.open_existing(Paths.from_env())
    if store is not None:
        from tfprep.cli.studyloop import all_drills
        from tfprep.practice import drill_states as states_of

        with store:
            stored = store.cards()
            cards = [srs.CardRow(c.id, c.due, c.tags, c.deck) for c in stored]
            card_states = [srs.state_from_json(c.state) for c in stored]
            card_reviews = store.reviews()
            reviews = [srs.ReviewRow(r.card_id, r.rating, r.reviewed_at, r.prev_state) for r in card_reviews]
            drill_states = states_of(store)
            drill_reviews = store.drill_reviews()
            rows = progress.drill_history(
                [d.slug for d in all_drills()], store.attempts(), drill_reviews, drill_states
            )
        end = srs.day_end(now, local_tz())
        share, n = srs.retention_of(
            srs.ReviewRow(r.drill, r.rating, r.reviewed_at, r.prev_state) for r in drill_reviews
        )
        drills = {
            "rows": rows,
            "reviews": len(drill_reviews),
            "due": len(drill_schedule.due_drills(drill_states, now, end)),
            "retention": share,
            "retention_reviews": n,
        }
    data = srs.compute_stats(cards, reviews, now, local_tz())
    data["drills"] = {"retention_reviews": 0, **drills}
    data["memory_curve"] = {
        "cards": progress.memory_curve(srs.make_scheduler(fuzz=False), card_states, now),
        "drills": progress.memory_curve(
            drill_schedule.make_scheduler(fuzz=False), drill_states.values(), now
        ),
    }
    data["retention_by_interval"] = {
        "cards": progress.retention_by_interval(card_reviews),
        "drills": progress.retention_by_interval(drill_reviews),
    }
    return data


@app.command()
def stats(
    json_out: bool = typer.Option(False, "--json", help="Print the numbers as one JSON object."),
    lang: str = typer.Option(None, "--lang", metavar="zh|en", help="UI language (default from $LANG)."),
) -> None:
    """Your reviews: totals, what is due (today and the next 7 days), retention per topic, streak, heatmap.

    **True retention** is the share of reviews of cards past their learning steps (not new, not relearning)
    that you rated Hard, Good or Easy — how often you remembered a card when it came due. Aim near the
    quiz's `--retention` (0.9 by default).

    **Streak** counts consecutive days with at least one review, up to today (a streak is kept until the day
    ends). The heatmap shows reviews per day over the last 16 weeks, Monday on top.

    **Drills** are scheduled too: per drill, its attempts, rated practices, first-try rate (accepted on the
    first grade without a hint) and time to solve (median, best, and a sparkline, oldest → newest).
    **Memory** is FSRS's predicted recall of what you have learnt (cards and drills), now and if you stopped
    reviewing for 1-30 days; **retention by interval** is what you really remembered, by days since the
    previous review.

    `--json` keys: reviews, cards, due, due_now, reviews_today, retention, retention_reviews, streak,
    forecast [{date, due}], topics {tag: {cards, reviews, retention, retention_reviews}}, heatmap
    [{date, reviews}], next_due, today; drills {rows [{drill, attempts, solves, practices, first_try_rate,
    solve_s [seconds], median_solve_s, best_solve_s, last_rating, last_reason, last_reviewed, due}],
    reviews, due, retention, retention_reviews}; memory_curve {cards, drills: [{days, retrievability}]};
    retention_by_interval {cards, drills: [{bucket, reviews, retention}]}. Cram sessions are not counted.

    Example: `tfprep stats --json`
    """
    from tfprep.cli.common import pick_lang

    pick_lang(lang)
    data = collect_stats()
    if json_out:
        import json

        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    from tfprep.cli.quiz import local_tz
    from tfprep.ui.stats import render_stats

    render_stats(Console(highlight=False), data, local_tz())
