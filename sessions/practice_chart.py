"""What the "My practice" page draws and lists: each figure per quarter for the helper and the
team, with its interval and n, and "too few" where the statistics page would say so.

The server decides what is shown (too few: no point, no value); the script (static/js/practice.js)
only draws the JSON made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sessions import statistics as stats


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: Any
    explain: Any
    share: bool  # a percentage with a Wilson interval; else a value with a t/bootstrap one
    decimals: int


FIGURES = (
    Figure(
        "effect_size",
        pgettext_lazy("dashboard", "Effect size"),
        _("Average change from the first to the last score, divided by the spread of the first "
          "scores (pre-post). Interval: bootstrap over clients."),
        False,
        2,
    ),
    Figure(
        "saes",
        pgettext_lazy("statistics", "Severity-adjusted effect size (SAES)"),
        _("The last scores against the expected end score for each client's first score: 0 is "
          "as expected, above 0 better. Interval: t distribution."),
        False,
        2,
    ),
    Figure(
        "reliable_improvement",
        pgettext_lazy("dashboard", "Reliable improvement"),
        _("Clients whose score rose by the reliable change or more."),
        True,
        0,
    ),
    Figure(
        "reliable_deterioration",
        pgettext_lazy("dashboard", "Reliable deterioration"),
        _("Clients whose score fell by the reliable change or more."),
        True,
        0,
    ),
    Figure(
        "reached_target",
        pgettext_lazy("dashboard", "Reached target"),
        pgettext_lazy(
            "statistics",
            "Clients whose last score reached the expected end score for their first score.",
        ),
        True,
        0,
    ),
    Figure(
        "dropout",
        pgettext_lazy("dashboard", "Dropout"),
        pgettext_lazy(
            "statistics",
            "Episodes the client ended before reaching the target, of those with a known end.",
        ),
        True,
        0,
    ),
    Figure(
        "mean_alliance",
        _("Mean alliance"),
        _("Each client's average alliance score (SRS), averaged over the clients: each client "
          "counts once. Interval: t distribution."),
        False,
        1,
    ),
    Figure(
        "alliance_alerts",
        _("Alliance alerts"),
        _("Clients who had an alliance alert at some meeting (a low or falling SRS), of those "
          "with an alliance score."),
        True,
        0,
    ),
    Figure(
        "off_track_recovered",
        _("Off-track clients recovered"),
        _("Of the clients who were off track or deteriorated at some meeting, those whose last "
          "score was on track again or at the target."),
        True,
        0,
    ),
)  # fmt: skip


def cell(figures: dict[str, Any], figure: Figure) -> dict[str, Any]:
    """One figure of one period: value, interval and n, or too few (value and interval hidden
    from the chart; the table still opens the number, as the statistics page does)."""
    data = figures[figure.key]
    value = data["pct"] if figure.share else data["value"]
    n = data["n"]
    return {
        "value": value,
        "low": data["low"],
        "high": data["high"],
        "n": n,
        "count": data.get("count"),
        "too_few": n < stats.min_clients(),
        "share": figure.share,
        "decimals": figure.decimals,
    }


def figure_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Per figure: the last 12 months (helper, team) and the quarters (helper, team)."""
    out = []
    for figure in FIGURES:
        quarters = [
            {"period": q["period"], "own": cell(q["own"], figure), "team": cell(q["team"], figure)}
            for q in data["quarters"]
        ]
        drawn = any(
            not c["too_few"] and c["value"] is not None
            for q in quarters
            for c in (q["own"], q["team"])
        )
        out.append(
            {
                "figure": figure,
                "year": {w: cell(data["year"][w], figure) for w in ("own", "team")},
                "quarters": quarters,
                "drawn": drawn,  # some quarter has enough clients to draw a point
            }
        )
    return out


def _series(cells: list[dict[str, Any]]) -> dict[str, list[Any]]:
    def shown(c, key):
        return None if c["too_few"] or c[key] is None else round(c[key], 3)

    return {
        "y": [shown(c, "value") for c in cells],
        "low": [shown(c, "low") for c in cells],
        "high": [shown(c, "high") for c in cells],
        "n": [c["n"] for c in cells],
    }


def chart_data(sections: list[dict[str, Any]], own_label: str, team_label: str) -> dict[str, Any]:
    """The JSON for the charts: one per figure, the helper's line and the team's."""
    quarters = [q["period"] for q in sections[0]["quarters"]] if sections else []
    return {
        "x": [q.label for q in quarters],
        "ticks": [q.tick for q in quarters],
        "separators": get_format("DECIMAL_SEPARATOR") + get_format("THOUSAND_SEPARATOR"),
        "labels": {"own": own_label, "team": team_label, "n": "n"},
        "figures": [
            {
                "key": s["figure"].key,
                "unit": "%" if s["figure"].share else "",
                "own": _series([q["own"] for q in s["quarters"]]),
                "team": _series([q["team"] for q in s["quarters"]]),
            }
            for s in sections
        ],
    }


def practice_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Per period of practice: its stretches (before, during, after) and a row per figure."""
    out = []
    for item in data["practice"]:
        stretches = item["stretches"]
        out.append(
            {
                "period": item["period"],
                "stretches": [(key, period) for key, (period, _figures) in stretches.items()],
                "rows": [
                    {
                        "figure": figure,
                        "cells": [cell(figures, figure) for _period, figures in stretches.values()],
                    }
                    for figure in FIGURES
                ],
            }
        )
    return out
