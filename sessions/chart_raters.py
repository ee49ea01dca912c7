"""Parts of the outcome chart for the off-track band and for families with several raters.

- The band: between a rater's expected line and the off-track threshold (from the read model,
  `RaterOutcome.threshold`), so a helper can show the client where "off track" begins.
- Several raters: one toggle per rater above the chart (static/js/chart-raters.js shows or hides
  that rater's traces), and a short key of line styles instead of one legend entry per rater and
  series, which grew with every rater until it overlapped the axis title.
- The text alternative of the expected line and the band: a table per meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

from kor.numbers import decimal
from sessions.outcome import EpisodeOutcome, RaterOutcome

KEY_COLOUR = "#4b5563"
# A value of a trace's `customdata`, already rounded as `kor.numbers.decimal` rounds, written by
# Plotly with the separators of the page's language (the layout's `separators`): the hover texts
# of a chart cost the server nothing per point.
HOVER_NUMBER = "%{customdata:.1f}"


def band_trace(result: RaterOutcome, colour: str, name: str, meta: dict) -> dict[str, Any]:
    """One closed shape: along the threshold, then back along the expected line above it."""
    lower = result.threshold
    start = lower[0].meeting
    upper = [p for p in result.expected if p.meeting >= start]
    # Each point's label and value for the hover: the value rounded here, written by the browser.
    head = f"%{{meta.name}}, {_('meeting')} %{{x}}: "  # the name from `meta`, not the template
    below = head + _("off track below %(value)s") % {"value": HOVER_NUMBER} + "<extra></extra>"
    expected = head + _("expected %(value)s") % {"value": HOVER_NUMBER} + "<extra></extra>"
    return {
        "type": "scatter",
        "mode": "lines",
        "meta": {**meta, "name": name},
        "name": _("off track below the band (%(who)s)") % {"who": name},
        "x": [p.meeting for p in lower] + [p.meeting for p in reversed(upper)],
        "y": [p.value for p in lower] + [p.value for p in reversed(upper)],
        "customdata": [round(p.value, 1) for p in lower]
        + [round(p.value, 1) for p in reversed(upper)],
        "hovertemplate": [below] * len(lower) + [expected] * len(upper),
        # Each point's label on hover, not the trace's name over the whole band (Plotly's
        # default for a filled shape without `text`).
        "hoveron": "points",
        "fill": "toself",
        "fillcolor": _rgba(colour, 0.12),
        "line": {"color": colour, "width": 1, "dash": "dot"},
    }


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def key_traces(outcome: EpisodeOutcome) -> list[dict[str, Any]]:
    """The legend for several raters: what each line style means, once (the rater is told by
    colour and marker in the toggles above the chart). They draw nothing."""
    forms = "/".join(dict.fromkeys(r.outcome_form for r in outcome.raters if r.outcome_form))
    alliance = "/".join(dict.fromkeys(r.alliance_form for r in outcome.raters if r.alliance_form))
    entries = [
        (forms or "ORS", {"mode": "lines+markers", "line": {"width": 3}}),
        (alliance or "SRS", {"mode": "lines+markers", "line": {"width": 2, "dash": "dot"}}),
        (_("expected change"), {"mode": "lines", "line": {"width": 2, "dash": "dash"}}),
        (
            _("off track below the band"),
            {
                "mode": "lines",
                "fill": "toself",
                "fillcolor": _rgba(KEY_COLOUR, 0.15),
                "line": {"width": 1, "dash": "dot"},
            },
        ),
        (_("Target"), {"mode": "lines", "line": {"width": 1, "dash": "longdashdot"}}),
        (_("not rated"), {"mode": "markers", "marker": {"symbol": "x-thin-open", "size": 12}}),
    ]
    traces = []
    for name, style in entries:
        trace = {
            "type": "scatter",
            "name": escape(name),
            "x": [None],
            "y": [None],
            "hoverinfo": "skip",
            **style,
        }
        trace["line"] = {"color": KEY_COLOUR, **trace.get("line", {})}
        trace["marker"] = {
            "color": KEY_COLOUR,
            "line": {"color": KEY_COLOUR, "width": 2},
            **trace.get("marker", {}),
        }
        traces.append(trace)
    return traces


@dataclass
class Toggle:
    """A button that shows or hides one rater's traces (aria-pressed: shown)."""

    rater_id: int
    label: str
    index: int  # the rater's colour and marker (CSS class chart-rater-<index>)
    status_label: str


def toggles(outcome: EpisodeOutcome, colours: int) -> list[Toggle]:
    return [
        Toggle(r.rater.pk, str(r.label), k % colours, r.status_label)
        for k, r in enumerate(outcome.raters)
        if r.outcome or r.alliance
    ]


@dataclass
class ExpectedRow:
    number: int
    cells: list[str] = field(default_factory=list)


def expected_table(outcome: EpisodeOutcome, several: bool) -> tuple[list[str], list[ExpectedRow]]:
    """The expected line and the off-track threshold per meeting, for each rater who has one:
    the chart's band in words. "–" where the threshold does not apply yet (before the third
    rating)."""
    columns: list[str] = []
    cells: dict[tuple[int, int], str] = {}
    meetings: set[int] = set()
    for result in outcome.raters:
        if not result.expected:
            continue
        who = f" – {result.label}" if several else ""
        columns += [_("Expected") + who, _("Off track below") + who]
        expected_at = len(columns) - 2
        for p in result.expected:
            cells[(p.meeting, expected_at)] = decimal(p.value)
            meetings.add(p.meeting)
        for p in result.threshold:
            cells[(p.meeting, expected_at + 1)] = decimal(p.value)
    rows = [
        ExpectedRow(m, [cells.get((m, c), "–") for c in range(len(columns))])
        for m in sorted(meetings)
    ]
    return columns, rows
