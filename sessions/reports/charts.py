"""Charts for the PDF reports, drawn on the server as SVG with matplotlib (no browser).

The text stays text (`svg.fonttype = "none"`), so the PDF's chart labels can be searched and
copied. Each rater gets a colour *and* a marker shape, so the chart also reads in black and white.
Figures are built with `matplotlib.figure.Figure` directly (not pyplot): no global state, safe in
a worker thread.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

from django.utils.translation import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kor.numbers import decimal
from kor.outcomes import ChangeBin

from .data import ClientReportData
from .svg import lean

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "kor",  # stable ids: the same data gives the same SVG
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

# Colour-blind-safe (Okabe-Ito), with a different marker for each rater.
RATER_STYLES = [
    ("#0072B2", "o"),
    ("#D55E00", "s"),
    ("#009E73", "^"),
    ("#CC79A7", "D"),
    ("#E69F00", "v"),
    ("#56B4E9", "P"),
]
EXPECTED = "#555555"
CUTOFF = "#B91C1C"
SRS = "#6A3D9A"
# Heights in inches of the outcome chart's parts.
PLOT_HEIGHT = 2.5
AXIS_LABELS = 0.45
# Widths in inches: the figure, the y-axis and its title on the left, the gap before the labels
# at the right-hand end of the Target lines.
WIDTH = 6.7
LEFT = 0.54
LABEL_GAP = 0.12
# The legend: two columns of labels wrapped at this many characters (a rater's label may be a
# long name), each entry a row of this height, each further line of a label this much more.
LEGEND_CHARS = 44
LEGEND_ROW = 0.16
LEGEND_LINE = 0.12
# Target labels of several raters closer than this (in score points) are moved apart.
LABEL_SPACING = 2.0

IMPROVED = "#166534"
DETERIORATED = "#B91C1C"


def _svg(fig: Figure) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return lean(out.getvalue())


@dataclass(frozen=True)
class Series:
    """One line of the client's chart, as data: what the screen's figure draws as well."""

    rater: int  # index of the rater in data.raters
    kind: str  # "outcome", "alliance", "expected" or "threshold" (where off track begins)
    label: str
    x: list[int]
    y: list[float]


def chart_series(data: ClientReportData) -> list[Series]:
    """Every line of the outcome chart, straight from the read model."""
    out = []
    for k, report in enumerate(data.raters):
        who = report.label
        lines = (
            ("outcome", report.ors, f"{report.outcome_form} – {who}"),
            ("expected", report.expected, _("Expected change – %(who)s") % {"who": who}),
            ("threshold", report.threshold, _("Off track below the band – %(who)s") % {"who": who}),
            ("alliance", report.srs, f"{report.alliance_form} – {who}"),
        )
        for kind, points, label in lines:
            if points:
                out.append(
                    Series(k, kind, label, [p.meeting for p in points], [p.value for p in points])
                )
    return out


def outcome_chart(data: ClientReportData, lang: str = "nb") -> str:
    """The client's outcome chart: ORS per rater, expected change, Target, cut-off, SRS and its
    line. The same series the screen draws; returns an SVG document."""
    # A fixed layout (no bbox_inches="tight"): matplotlib then draws the figure once, not twice.
    fig = Figure(figsize=(WIDTH, 3.6))
    ax = fig.add_axes((LEFT / WIDTH, 0.27, 0.8, 0.7))
    several = len(data.raters) > 1
    series = chart_series(data)
    for line in series:
        colour, marker = RATER_STYLES[line.rater % len(RATER_STYLES)]
        if line.kind == "threshold":
            _band(ax, line, series, colour if several else EXPECTED)
            continue
        style = {
            "outcome": {"color": colour, "marker": marker, "linewidth": 2},
            "expected": {
                "color": colour if several else EXPECTED,
                "linestyle": "--",
                "linewidth": 1.2,
            },
            "alliance": {
                "color": colour if several else SRS,
                "marker": marker,
                "markerfacecolor": "white",
                "linestyle": "-.",
                "linewidth": 1,
            },
        }[line.kind]
        ax.plot(line.x, line.y, label=line.label, **style)
    _reference_lines(ax, data)
    ax.set_xlim(0.5, data.outcome.chart_end + 0.5)
    ax.set_ylim(0, 40)
    ax.set_yticks(range(0, 41, 10))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("Meeting"))
    ax.set_ylabel(_("Score (0–40)"))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    right = _target_lines(fig, ax, data)
    _legend(fig, ax, right)
    return _svg(fig)


def _band(ax, line: Series, series: list[Series], colour: str) -> None:
    """The off-track band: between the rater's expected line and the threshold under it, shaded
    and hatched (it reads in black and white too), as the screen draws it."""
    expected = next(s for s in series if s.rater == line.rater and s.kind == "expected")
    upper = dict(zip(expected.x, expected.y, strict=True))
    ax.fill_between(
        line.x,
        line.y,
        [upper[x] for x in line.x],
        facecolor=colour,
        alpha=0.15,
        hatch="///",
        edgecolor=colour,
        linewidth=0,
        label=line.label,
    )
    ax.plot(line.x, line.y, color=colour, linestyle=":", linewidth=1)


def _target_lines(fig: Figure, ax, data: ClientReportData) -> float:
    """Each rater's Target as a dotted line labelled at its right-hand end, outside the plot.
    Labels of close Targets are stacked apart (a family's Targets are often within a point or
    two). Returns the right margin in inches that holds the widest label, measured, so no label
    leaves the figure in any language ("Forventet sluttskår 25,6" is twice "Target 25.6")."""
    targets = [
        (report.target, RATER_STYLES[k % len(RATER_STYLES)][0])
        for k, report in enumerate(data.raters)
        if report.target is not None
    ]
    if not targets:
        return LABEL_GAP
    labels = []
    previous = None
    for target, colour in sorted(targets, key=lambda t: -t[0]):
        ax.axhline(target, color=colour, linestyle=":", linewidth=1.2)
        y = target if previous is None else min(target, previous - LABEL_SPACING)
        previous = y
        labels.append(
            ax.annotate(
                _("Target %(value)s") % {"value": decimal(target)},
                (1, y),
                xycoords=("axes fraction", "data"),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
                color=colour,
                annotation_clip=False,
            )
        )
    renderer = FigureCanvasAgg(fig).get_renderer()
    widest = max(label.get_window_extent(renderer).width for label in labels) / fig.dpi
    return widest + LABEL_GAP


def _reference_lines(ax, data: ClientReportData) -> None:
    """The clinical cut-off, and the alliance line where anyone rated the alliance."""
    lines = []
    if data.cutoff is not None:
        lines.append((data.cutoff, _("Cut-off %(value)s"), CUTOFF, "-"))
    if any(r.srs for r in data.raters):
        lines.append((data.settings.srs_cutoff, _("Alliance line %(value)s"), SRS, (0, (1, 2))))
    for y, text, colour, dash in lines:
        ax.axhline(y, color=colour, linewidth=1, linestyle=dash, alpha=0.8)
        ax.annotate(
            text % {"value": decimal(y)},
            (0, y),
            xycoords=("axes fraction", "data"),
            xytext=(3, 2),
            textcoords="offset points",
            fontsize=7,
            color=colour,
        )


def _legend(fig: Figure, ax, right: float) -> None:
    """The legend under the plot in two columns, labels wrapped; the figure grows with it (three
    entries a rater), so a family's legend fits, and the plot leaves `right` inches free."""
    handles, labels = ax.get_legend_handles_labels()
    labels = [textwrap.fill(label, LEGEND_CHARS) for label in labels]
    legend_height = _legend_height(labels) + 0.1
    height = PLOT_HEIGHT + AXIS_LABELS + legend_height + 0.1
    fig.set_size_inches(WIDTH, height)
    ax.set_position(
        (
            LEFT / WIDTH,
            (AXIS_LABELS + legend_height) / height,
            1 - (LEFT + right) / WIDTH,
            PLOT_HEIGHT / height,
        )
    )
    if labels:
        # Anchored by its top at the foot of the x-axis label.
        ax.legend(
            handles,
            labels,
            loc="upper center",
            bbox_to_anchor=(0.5, legend_height / height),
            bbox_transform=fig.transFigure,
            ncol=2,
            fontsize=7,
            frameon=False,
        )


def _legend_height(labels: list[str]) -> float:
    """Inches for the legend's longer column; matplotlib fills the columns top to bottom, the
    first ones one entry longer when the count is odd."""
    rows = -(-len(labels) // 2)
    columns = (labels[:rows], labels[rows:])
    return max(
        (len(column) * LEGEND_ROW + sum(label.count("\n") for label in column) * LEGEND_LINE)
        for column in columns
    )


def change_chart(bins: list[ChangeBin], rci: float) -> str:
    """How many clients changed by how much (last minus first score), in the bins the engine
    makes (`kor.outcomes.change_histogram`), as on the dashboard's statistics page: green from a
    reliable improvement, red from a reliable deterioration, dotted lines at plus and minus the
    reliable change. Each bar carries its count, so the chart does not rely on colour."""
    fig = Figure(figsize=(6.7, 2.8))
    ax = fig.add_axes((0.09, 0.2, 0.88, 0.75))
    colours = {"improved": IMPROVED, "deteriorated": DETERIORATED, "neither": "#6B7280"}
    middles = [(b.start + b.end) / 2 for b in bins]
    ax.bar(
        middles,
        [b.count for b in bins],
        width=[(b.end - b.start) * 0.95 for b in bins],
        color=[colours[b.kind] for b in bins],
    )
    for middle, b in zip(middles, bins, strict=True):
        ax.annotate(
            str(b.count),
            (middle, b.count),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            fontsize=7,
        )
    for x in (-rci, rci):
        ax.axvline(x, color="#1b1f24", linestyle=":", linewidth=1)
    ax.annotate(
        _("Reliable change ±%(rci)s") % {"rci": decimal(rci)},
        (rci, 1),
        xycoords=("data", "axes fraction"),
        # Left of the line, between the two: right of it there may be only a point or two of
        # axis (small changes), and the label then ran off the figure.
        xytext=(-3, -10),
        textcoords="offset points",
        ha="right",
        fontsize=7,
    )
    width = 2
    low = int(min([*(b.start for b in bins), -int(rci) - width]))
    high = int(max([*(b.end for b in bins), int(rci) + width]))
    ax.set_xlim(low - 1, high + 1)
    ax.set_xticks(range(low, high + 1, width))
    ax.set_ylim(0, max((b.count for b in bins), default=1) * 1.15 + 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("Change in ORS from first to last meeting"))
    ax.set_ylabel(_("Clients"))
    return _svg(fig)
