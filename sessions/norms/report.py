"""The calibration report of a stored model, as the page's table and its charts' data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kor.models import TrajectoryModel
from kor.numbers import decimal
from sessions.statistics import min_clients

SET_NAMES = {
    "adult_short": gettext_lazy("Adults, up to 12 ratings"),
    "adult_long": gettext_lazy("Adults, more than 12 ratings"),
    "youth_short": gettext_lazy("Children and adolescents, up to 12 ratings"),
    "youth_long": gettext_lazy("Children and adolescents, more than 12 ratings"),
}


def _pct(share: float | None) -> str:
    return "" if share is None else decimal(100 * share, 0) + " %"


def calibration_rows(model: TrajectoryModel) -> list[dict[str, Any]]:
    """Per meeting: n, the mean observed score, the mean each model predicted, and the share of
    ratings below each model's 25th-percentile line (about 25 % when the model fits). Meetings
    with fewer ratings than the statistics' "too few" are left out: a share of 3 says nothing."""
    least = min_clients()
    own = [m for m in model.calibration.get("own", {}).get("meetings", []) if m["n"] >= least]
    published = {
        m["meeting"]: m for m in model.calibration.get("published", {}).get("meetings", [])
    }
    rows = []
    for m in own:
        p = published.get(m["meeting"], {})
        rows.append(
            {
                "meeting": m["meeting"],
                "n": m["n"],
                "observed": m.get("mean_observed"),
                "own": m.get("mean_expected"),
                "published": p.get("mean_expected"),
                "own_below": m["share_below"],
                "published_below": p.get("share_below"),
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as the page shows them: numbers in the active language."""
    out = []
    for r in rows:
        out.append(
            {
                "meeting": r["meeting"],
                "n": r["n"],
                "observed": decimal(r["observed"]) if r["observed"] is not None else "",
                "own": decimal(r["own"]) if r["own"] is not None else "",
                "published": decimal(r["published"]) if r["published"] is not None else "",
                "own_below": _pct(r["own_below"]),
                "published_below": _pct(r["published_below"]),
            }
        )
    return out


def summary(model: TrajectoryModel) -> dict[str, Any]:
    own = model.calibration.get("own", {})
    published = model.calibration.get("published", {})
    return {
        "raters": own.get("raters", 0),
        "points": own.get("points", 0),
        "own_below": _pct(own.get("share_below")),
        "published_below": _pct(published.get("share_below")),
        "sets": [{**f, "label": SET_NAMES.get(f["key"], f["key"])} for f in own.get("sets", [])],
        "least": min_clients(),
        "excluded": own.get("excluded", {}),
    }


def chart_data(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What static/js/norms-chart.js draws: the numbers and the translated labels."""
    return {
        "meetings": [r["meeting"] for r in rows],
        "observed": [r["observed"] for r in rows],
        "own": [r["own"] for r in rows],
        "published": [r["published"] for r in rows],
        "own_below": [r["own_below"] for r in rows],
        "published_below": [r["published_below"] for r in rows],
        "labels": {
            "meeting": _("Meeting"),
            "score": _("Mean ORS"),
            "share": _("Share below the 25th percentile line"),
            "observed": _("Observed"),
            "own": _("Own norms (predicted)"),
            "published": _("Published model (predicted)"),
            "own_below": _("Own norms"),
            "published_below": _("Published model"),
            "expected": _("Expected when the model fits (25 %)"),
        },
    }
