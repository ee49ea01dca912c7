"""The outcome panel of an episode: status, flags with reasons, the chart as data, and the same
numbers as a table (the chart's text alternative). A fixed number of queries, however many
meetings the episode has."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

from clients.models import AgeGroup, Episode, Rater
from kor.outcomes import is_high_intake
from sessions.forms import item_labels, lang_is_nb
from sessions.models import ALLIANCE_INSTRUMENTS, OUTCOME_INSTRUMENTS, FormResponse, Meeting
from sessions.outcome import engine_config

# Dark enough for AA contrast on white; every series also differs by marker and dash, so
# nothing depends on colour alone.
COLOURS = ["#1d4ed8", "#7c2d12", "#166534", "#6b21a8", "#0f766e", "#9d174d"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "star", "cross"]


@dataclass
class RaterPanel:
    rater: Rater
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
    raters: list[RaterPanel]
    figure: dict[str, Any]
    columns: list[str]
    rows: list[Row]
    flag_labels: list[str]


def flag_label(code: str) -> str:
    # Looked up at render time so the label follows the page's language.
    return {"alliance_alert": _("alliance alert"), "erratic": _("erratic scores")}.get(code, code)


def _formatter(nb: bool):
    """Numbers to one decimal, with the decimal comma on a Norwegian page."""

    def fmt(value: float, decimals: int = 1) -> str:
        text = f"{value:.{decimals}f}"
        return text.replace(".", ",") if nb else text

    return fmt


def outcome_panel(episode: Episode) -> Panel:
    settings, model = engine_config(episode.client.organisation)
    raters = list(episode.raters.all())
    responses = list(
        FormResponse.objects.filter(meeting__episode=episode)
        .select_related("meeting")
        .order_by("meeting__number", "rater_id", "instrument")
    )
    nb = lang_is_nb()
    _fmt = _formatter(nb)
    young = episode.age_group == AgeGroup.YOUNG_CHILD
    word_meeting, word_not_rated = _("meeting"), _("not rated")
    cutoff = settings.cutoff(episode.age_group)
    by_rater: dict[int, list[FormResponse]] = defaultdict(list)
    meetings: dict[int, Any] = {}
    for number, date in (
        Meeting.objects.filter(episode=episode).order_by().values_list("number", "date")
    ):
        meetings[number] = date
    for response in responses:
        by_rater[response.rater_id].append(response)
    last_number = max(meetings, default=0)
    several = len([r for r in raters if by_rater.get(r.pk)]) > 1

    traces: list[dict[str, Any]] = []
    panels: list[RaterPanel] = []
    columns: list[str] = []
    cells: dict[tuple[int, str], str] = {}
    for index, rater in enumerate(raters):
        colour, symbol = COLOURS[index % len(COLOURS)], SYMBOLS[index % len(SYMBOLS)]
        # Plotly reads a small HTML subset in names and hover texts: escape what people typed.
        who = escape(str(rater))
        assessment = rater.assessment or {}
        panels.append(
            RaterPanel(
                rater=rater,
                status=rater.status,
                status_label=rater.get_status_display(),
                flags=[flag_label(code) for code in assessment.get("flags", [])],
                reasons=[r["nb" if nb else "en"] for r in assessment.get("reasons", [])],
                expected=assessment.get("expected"),
                target=assessment.get("target"),
            )
        )
        rows = by_rater.get(rater.pk, [])
        if not rows:
            continue
        for kind, instruments in (
            ("outcome", OUTCOME_INSTRUMENTS),
            ("alliance", ALLIANCE_INSTRUMENTS),
        ):
            series = [r for r in rows if r.instrument in instruments]
            if not series:
                continue
            code = series[0].instrument
            name = f"{code} – {who}" if several else code
            column = f"{code} – {rater}" if several else code  # escaped by the template
            columns.append(column)
            done = [r for r in series if r.is_completed]
            labels = [label for _key, label in item_labels(code)]
            decimals = 0 if young else 1
            for r in series:
                if r.is_completed:
                    cells[(r.meeting.number, column)] = _fmt(r.total / 10, decimals)
                else:
                    text = r.get_status_display()
                    cells[(r.meeting.number, column)] = (
                        f"{text} ({r.declined_reason})" if r.declined_reason else str(text)
                    )
            hover = [
                f"{name}, {word_meeting} {r.meeting.number}: "
                f"<b>{_fmt(r.total / 10, decimals)}</b><br>"
                + "<br>".join(
                    f"{label}: {_fmt(value / 10, decimals)}"
                    for label, value in zip(labels, r.items, strict=False)
                    if value is not None
                )
                for r in done
            ]
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": name,
                    "x": [r.meeting.number for r in done],
                    "y": [r.total / 10 for r in done],
                    "text": hover,
                    "hovertemplate": "%{text}<extra></extra>",
                    "line": {
                        "color": colour,
                        "width": 3 if kind == "outcome" else 2,
                        "dash": "solid" if kind == "outcome" else "dot",
                    },
                    "marker": {
                        "symbol": symbol if kind == "outcome" else f"{symbol}-open",
                        "size": 10,
                        "color": colour,
                    },
                }
            )
            skipped = [r for r in series if not r.is_completed]
            if skipped:
                traces.append(
                    {
                        "type": "scatter",
                        "mode": "markers",
                        "name": f"{name}: {word_not_rated}",
                        "x": [r.meeting.number for r in skipped],
                        "y": [0.6 if not young else 0.2] * len(skipped),
                        "text": [
                            f"{name}, {word_meeting} {r.meeting.number}: {r.get_status_display()}"
                            + (f" – {escape(r.declined_reason)}" if r.declined_reason else "")
                            for r in skipped
                        ],
                        "hovertemplate": "%{text}<extra></extra>",
                        "marker": {
                            "symbol": "x-thin-open",
                            "size": 12,
                            "color": colour,
                            "line": {"width": 2, "color": colour},
                        },
                    }
                )
            if kind == "outcome" and done and not young:
                intake = done[0].total / 10
                if is_high_intake(intake, settings):
                    continue
                n = len(done)
                coefficients = model.coefficients(episode.age_group, n, settings)
                # The expected score for each rating this rater has given, at the meeting where
                # it was given, then three meetings ahead (declined forms do not advance it).
                xs = [r.meeting.number for r in done]
                xs += [max(xs[-1], last_number) + k for k in (1, 2, 3)]
                ys = [round(coefficients.etr(intake, k), 2) for k in range(1, len(xs) + 1)]
                goal = round(coefficients.target(intake), 1)
                traces.append(
                    {
                        "type": "scatter",
                        "mode": "lines",
                        "name": _("expected (%(who)s)") % {"who": name},
                        "x": xs,
                        "y": ys,
                        "hovertemplate": _("expected") + ": %{y:.1f}<extra></extra>",
                        "line": {"color": colour, "width": 2, "dash": "dash"},
                    }
                )
                traces.append(
                    {
                        "type": "scatter",
                        "mode": "lines",
                        "name": _("Target %(value)s (%(who)s)")
                        % {"value": _fmt(goal), "who": name},
                        "x": [1, xs[-1]],
                        "y": [goal, goal],
                        "hovertemplate": _("Target") + ": %{y:.1f}<extra></extra>",
                        "line": {"color": colour, "width": 1, "dash": "longdashdot"},
                    }
                )

    x_end = max(last_number + 3, 4)
    if not young:
        if cutoff is not None:
            traces.append(
                _hline(
                    _("clinical cut-off %(value)s") % {"value": _fmt(cutoff)},
                    cutoff,
                    x_end,
                    "#374151",
                    "longdash",
                )
            )
        traces.append(
            _hline(
                _("alliance line %(value)s") % {"value": _fmt(settings.srs_cutoff)},
                settings.srs_cutoff,
                x_end,
                "#6b7280",
                "dot",
            )
        )
    figure = {
        "data": traces,
        "layout": {
            "margin": {"l": 48, "r": 12, "t": 12, "b": 48},
            "height": 420,
            "font": {"family": "system-ui, sans-serif", "size": 14, "color": "#1b1f24"},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "xaxis": {
                "title": {"text": _("Meeting")},
                "dtick": 1,
                "range": [0.5, x_end + 0.5],
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
            "legend": {"orientation": "h", "y": -0.25, "yanchor": "top"},
            "hovermode": "closest",
            "showlegend": True,
        },
        "config": {"displayModeBar": False, "responsive": True},
    }
    table_rows = [
        Row(number, meetings[number], [cells.get((number, c), "–") for c in columns])
        for number in sorted(meetings)
    ]
    return Panel(
        episode=episode,
        raters=panels,
        figure=figure,
        columns=columns,
        rows=table_rows,
        flag_labels=[flag_label(code) for code in episode.flags],
    )


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
