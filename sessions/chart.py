"""The outcome panel of an episode: status, flags with reasons, the chart as a Plotly figure, and
the same numbers as a table (the chart's text alternative).

Everything shown comes from the read model (`sessions.outcome.episode_outcome`): this module only
turns it into the figure and the table, so the screen draws what the PDF draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from clients.models import Episode
from kor.numbers import decimal
from sessions.chart_raters import (
    HOVER_NUMBER,
    ExpectedRow,
    Toggle,
    band_trace,
    expected_table,
    key_traces,
    toggles,
)
from sessions.decline import describe
from sessions.forms import item_labels
from sessions.outcome import EpisodeOutcome, RaterOutcome, Rating

# Dark enough for AA contrast on white; every series also differs by marker and dash, so
# nothing depends on colour alone.
COLOURS = ["#1d4ed8", "#7c2d12", "#166534", "#6b21a8", "#0f766e", "#9d174d"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "star", "cross"]


@dataclass
class RaterPanel:
    rater: Any
    status: str
    status_label: str
    flags: list[str]
    reasons: list[str]
    expected: float | None
    target: float | None


@dataclass
class Row:
    number: int
    date: Any
    cells: list[str] = field(default_factory=list)


@dataclass
class Panel:
    episode: Episode
    status: str
    status_label: str
    raters: list[RaterPanel]
    figure: dict[str, Any]
    columns: list[str]
    rows: list[Row]
    flag_labels: list[str]
    toggles: list[Toggle] = field(default_factory=list)  # one per rater, when there are several
    expected_columns: list[str] = field(default_factory=list)
    expected_rows: list[ExpectedRow] = field(default_factory=list)


@dataclass(frozen=True)
class Style:
    colour: str
    symbol: str
    name: str  # the series' name in the legend, escaped (Plotly reads a little HTML)
    decimals: int
    rater: int | None  # the rater's id, carried in each trace's `meta` (for tests and tools)

    def meta(self, kind: str) -> dict[str, Any]:
        return {"rater": self.rater, "kind": kind}


def flag_label(code: str) -> str:
    # Looked up at render time so the label follows the page's language.
    return {"alliance_alert": _("alliance alert"), "erratic": _("erratic scores")}.get(code, code)


def separators() -> str:
    """Plotly's `separators` (decimal, then thousands) from Django's formats of the language."""
    return get_format("DECIMAL_SEPARATOR") + get_format("THOUSAND_SEPARATOR")


def number(value: float, decimals: int = 1) -> str:
    """A score as the page's language writes it (decimal comma in Norwegian)."""
    return decimal(value, decimals)


def outcome_panel(outcome: EpisodeOutcome) -> Panel:
    several = sum(1 for r in outcome.raters if r.outcome or r.alliance) > 1
    traces: list[dict[str, Any]] = []
    for index, result in enumerate(outcome.raters):
        traces += rater_traces(result, index, several, outcome)
    traces += reference_lines(outcome)
    if several:
        traces += key_traces(outcome)
        # the key and the toggles name the series instead (the reference lines keep theirs)
        for trace in traces:
            trace["showlegend"] = "rater" not in trace.get("meta", {})
    columns, rows = table(outcome, several)
    expected_columns, expected_rows = expected_table(outcome, several)
    return Panel(
        episode=outcome.episode,
        status=outcome.status,
        status_label=outcome.status_label,
        raters=[rater_panel(r) for r in outcome.raters],
        figure={
            "data": traces,
            "layout": layout(outcome, several, legend_entries(traces)),
            "config": {"displayModeBar": False, "responsive": True},
        },
        columns=columns,
        rows=rows,
        flag_labels=[flag_label(code) for code in outcome.flags],
        toggles=toggles(outcome, len(COLOURS)) if several else [],
        expected_columns=expected_columns,
        expected_rows=expected_rows,
    )


def rater_panel(result: RaterOutcome) -> RaterPanel:
    a = result.assessment
    return RaterPanel(
        rater=result.rater,
        status=result.status,
        status_label=result.status_label,
        flags=[flag_label(code) for code in sorted(result.flags)],
        reasons=result.reason_texts,
        expected=a.expected if a else None,
        target=result.target,
    )


def series_name(result: RaterOutcome, form: str, several: bool) -> str:
    return f"{form} – {result.label}" if several else form


def rater_traces(
    result: RaterOutcome, index: int, several: bool, outcome: EpisodeOutcome
) -> list[dict[str, Any]]:
    """The rater's outcome and alliance series, the forms not filled, the expected line and the
    Target."""
    colour, symbol = COLOURS[index % len(COLOURS)], SYMBOLS[index % len(SYMBOLS)]
    decimals = 0 if outcome.young else 1
    traces = []
    for kind, ratings, form in (
        ("outcome", result.outcome, result.outcome_form),
        ("alliance", result.alliance, result.alliance_form),
    ):
        if not ratings:
            continue
        name = escape(series_name(result, form, several))
        style = Style(colour, symbol, name, decimals, result.rater.pk)
        traces.append(scores_trace(ratings, style, kind))
        skipped = [r for r in ratings if not r.completed]
        if skipped:
            y = 0.2 if outcome.young else 0.6
            traces.append(not_rated_trace(skipped, style, y, str(result.rater)))
    if result.expected:
        name = escape(series_name(result, result.outcome_form, several))
        style = Style(colour, symbol, name, 1, result.rater.pk)
        traces += expected_traces(result, style)
        if result.threshold:
            # first, so the rater's own lines are drawn over it
            traces.insert(0, band_trace(result, colour, name, style.meta("band")))
    return traces


def scores_trace(ratings: list[Rating], style: Style, kind: str) -> dict[str, Any]:
    done = [r for r in ratings if r.completed]
    outcome = kind == "outcome"
    templates = {r.instrument: hover_template(r.instrument, style) for r in done}
    return {
        "type": "scatter",
        "mode": "lines+markers",
        # The name in `meta`, for the hover: a label typed for a rater stays out of the template
        # (Plotly would read "%{...}" in it as a field of its own).
        "meta": {**style.meta(kind), "name": style.name},
        "name": style.name,
        "x": [r.meeting for r in done],
        "y": [r.total for r in done],
        # The items, for the hover; the browser writes them in the page's language (`layout`).
        "customdata": [r.items for r in done],
        "hovertemplate": (
            next(iter(templates.values()))
            if len(templates) == 1
            else [templates[r.instrument] for r in done]
        ),
        "line": {
            "color": style.colour,
            "width": 3 if outcome else 2,
            "dash": "solid" if outcome else "dot",
        },
        "marker": {
            "symbol": style.symbol if outcome else f"{style.symbol}-open",
            "size": 10,
            "color": style.colour,
        },
    }


def hover_template(instrument: str, style: Style) -> str:
    """The total and each item of a form, as Plotly writes them on hover: `%{y:.1f}` with the
    separators of the page's language (`layout`). Scores are stored in tenths, so nothing is
    rounded there that the table would round otherwise."""
    places = f".{style.decimals}f"
    # No <b>: Plotly writes it as an inline style, which the Content-Security-Policy blocks.
    lines = [f"%{{meta.name}}, {_('meeting')} %{{x}}: %{{y:{places}}}"]
    lines += [
        f"{label}: %{{customdata[{index}]:{places}}}"
        for index, (_key, label) in enumerate(item_labels(instrument))
    ]
    return "<br>".join(lines) + "<extra></extra>"


def not_rated_trace(skipped: list[Rating], style: Style, y: float, who: str) -> dict[str, Any]:
    """Declined and not-offered forms as crosses at the foot of the chart, with the reason."""
    texts = []
    for r in skipped:
        head = f"{style.name}, {_('meeting')} {r.meeting}"
        reason = describe(r.reason_code, r.reason, who)
        texts.append(f"{head}: {r.status_label}" + (f" – {escape(reason)}" if reason else ""))
    return {
        "type": "scatter",
        "mode": "markers",
        "meta": style.meta("not_rated"),
        "name": f"{style.name}: {_('not rated')}",
        "x": [r.meeting for r in skipped],
        "y": [y] * len(skipped),
        "text": texts,
        "hovertemplate": "%{text}<extra></extra>",
        "marker": {
            "symbol": "x-thin-open",
            "size": 12,
            "color": style.colour,
            "line": {"width": 2, "color": style.colour},
        },
    }


def expected_traces(result: RaterOutcome, style: Style) -> list[dict[str, Any]]:
    line = result.expected
    traces = [
        {
            "type": "scatter",
            "mode": "lines",
            "meta": style.meta("expected"),
            "name": _("expected (%(who)s)") % {"who": style.name},
            "x": [p.meeting for p in line],
            "y": [p.value for p in line],
            # rounded here as `decimal` rounds, written by the browser (HOVER_NUMBER)
            "customdata": [round(p.value, 1) for p in line],
            "hovertemplate": _("expected") + f": {HOVER_NUMBER}<extra></extra>",
            "line": {"color": style.colour, "width": 2, "dash": "dash"},
        }
    ]
    if result.target is not None:
        goal = number(result.target)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "meta": style.meta("target"),
                "name": _("Target %(value)s (%(who)s)") % {"value": goal, "who": style.name},
                "x": [1, line[-1].meeting],
                "y": [result.target, result.target],
                "hovertemplate": _("Target") + f": {goal}<extra></extra>",
                "line": {"color": style.colour, "width": 1, "dash": "longdashdot"},
            }
        )
    return traces


def reference_lines(outcome: EpisodeOutcome) -> list[dict[str, Any]]:
    """The clinical cut-off and the alliance line (none for the pictorial forms)."""
    if outcome.young:
        return []
    end = outcome.chart_end
    lines = []
    if outcome.cutoff is not None:
        name = _("clinical cut-off %(value)s") % {"value": number(outcome.cutoff)}
        lines.append(_hline(name, outcome.cutoff, end, "#374151", "longdash"))
    srs_line = outcome.settings.srs_cutoff
    name = _("alliance line %(value)s") % {"value": number(srs_line)}
    lines.append(_hline(name, srs_line, end, "#6b7280", "dot"))
    return lines


def _hline(name: str, y: float, x_end: int, colour: str, dash: str) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": [0.5, x_end + 0.5],
        "y": [y, y],
        "hoverinfo": "skip",
        "line": {"color": colour, "width": 1.5, "dash": dash},
    }


def legend_entries(traces: list[dict[str, Any]]) -> int:
    return sum(1 for t in traces if t.get("showlegend", True))


def layout(outcome: EpisodeOutcome, several: bool = False, entries: int = 0) -> dict[str, Any]:
    young = outcome.young
    return {
        # The legend sits above the plot (Plotly widens the top margin for it), so however many
        # rows it takes it cannot run into the "Meeting" axis title below.
        "margin": {"l": 48, "r": 12, "t": 12, "b": 48},
        # Room for the legend even where it takes a row an entry (the chart beside the forms on
        # a laptop); where it takes fewer rows the plot gets the height.
        "height": 380 + 22 * entries,
        "font": {"family": "system-ui, sans-serif", "size": 14, "color": "#1b1f24"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": {
            "title": {"text": _("Meeting")},
            "dtick": 1,
            "range": [0.5, outcome.chart_end + 0.5],
            "gridcolor": "#e5e7eb",
            "zeroline": False,
        },
        "yaxis": {
            "title": {"text": _("Total")},
            "range": [0, 4.5 if young else 40.5],
            "dtick": 1 if young else 5,
            "gridcolor": "#e5e7eb",
            "zeroline": False,
        },
        "legend": {
            "orientation": "h",
            "font": {"size": 12},
            "x": 0,
            "xanchor": "left",
            "y": 1.02,
            "yanchor": "bottom",
            # The key of several raters names line styles, not traces: clicking it would hide
            # nothing useful, the toggles do that.
            **({"itemclick": False, "itemdoubleclick": False} if several else {}),
        },
        "hovermode": "closest",
        "separators": separators(),
        "showlegend": True,
    }


def table(outcome: EpisodeOutcome, several: bool) -> tuple[list[str], list[Row]]:
    """One column per rater and kind of form, one row per meeting; "–" where nothing was filled."""
    decimals = 0 if outcome.young else 1
    columns: list[str] = []
    cells: dict[tuple[int, str], str] = {}
    for result in outcome.raters:
        for ratings, form in (
            (result.outcome, result.outcome_form),
            (result.alliance, result.alliance_form),
        ):
            if not ratings:
                continue
            column = series_name(result, form, several)  # escaped by the template
            columns.append(column)
            for r in ratings:
                cells[(r.meeting, column)] = cell(r, decimals, str(result.rater))
    rows = [
        Row(m.number, m.date, [cells.get((m.number, c), "–") for c in columns])
        for m in outcome.meetings
    ]
    return columns, rows


def cell(rating: Rating, decimals: int, who: str) -> str:
    if rating.completed:
        return number(rating.total, decimals)
    reason = describe(rating.reason_code, rating.reason, who)
    return f"{rating.status_label} ({reason})" if reason else rating.status_label
