"""Charts for the PDF reports, drawn on the server as SVG with matplotlib (no browser).

The text stays text (`svg.fonttype = "none"`), so the PDF's chart labels can be searched and
copied. Each rater gets a colour *and* a marker shape, so the chart also reads in black and white.
Figures are built with `matplotlib.figure.Figure` directly (not pyplot): no global state, safe in
a worker thread.
"""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")

from django.utils import translation
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kor.numbers import decimal

from .data import ClientReportData

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

IMPROVED = "#166534"
DETERIORATED = "#B91C1C"


def _svg(fig: Figure) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _number(x: float, lang: str) -> str:
    with translation.override(lang):  # Django's number format of the report's language
        return decimal(x)


def outcome_chart(data: ClientReportData, lang: str = "nb") -> str:
    """The client's outcome chart: ORS per rater, expected change, Target, cut-off, SRS and its
    line. The same series the screen draws; returns an SVG document."""
    # A fixed layout (no bbox_inches="tight"): matplotlib then draws the figure once, not twice.
    fig = Figure(figsize=(6.7, 3.6))
    ax = fig.add_axes((0.08, 0.27, 0.8, 0.7))
    last_meeting = max((m.number for m in data.meetings), default=1)
    x_max = last_meeting
    for k, report in enumerate(data.raters):
        colour, marker = RATER_STYLES[k % len(RATER_STYLES)]
        who = report.label
        if report.ors:
            ax.plot(
                [p.meeting for p in report.ors],
                [p.value for p in report.ors],
                color=colour,
                marker=marker,
                linewidth=2,
                label=f"{report.outcome_form} – {who}",
            )
        if report.expected:
            x_max = max(x_max, report.expected[-1].meeting)
            ax.plot(
                [p.meeting for p in report.expected],
                [p.value for p in report.expected],
                color=colour if len(data.raters) > 1 else EXPECTED,
                linestyle="--",
                linewidth=1.2,
                label=_("Expected change – %(who)s") % {"who": who},
            )
        if report.assessment is not None and report.assessment.target is not None:
            target = report.assessment.target
            ax.axhline(target, color=colour, linestyle=":", linewidth=1.2)
            ax.annotate(
                _("Target %(value)s") % {"value": _number(target, lang)},
                (1, target),
                xycoords=("axes fraction", "data"),
                xytext=(2, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
                color=colour,
                annotation_clip=False,
            )
        if report.srs:
            ax.plot(
                [p.meeting for p in report.srs],
                [p.value for p in report.srs],
                color=SRS if len(data.raters) == 1 else colour,
                marker=marker,
                markerfacecolor="white",
                linestyle="-.",
                linewidth=1,
                label=f"{report.alliance_form} – {who}",
            )

    if data.cutoff is not None:
        ax.axhline(data.cutoff, color=CUTOFF, linewidth=1, alpha=0.8)
        ax.annotate(
            _("Cut-off %(value)s") % {"value": _number(data.cutoff, lang)},
            (0, data.cutoff),
            xycoords=("axes fraction", "data"),
            xytext=(3, 2),
            textcoords="offset points",
            fontsize=7,
            color=CUTOFF,
        )
    if any(r.srs for r in data.raters):
        line = data.settings.srs_cutoff
        ax.axhline(line, color=SRS, linewidth=1, linestyle=(0, (1, 2)))
        ax.annotate(
            _("Alliance line %(value)s") % {"value": _number(line, lang)},
            (0, line),
            xycoords=("axes fraction", "data"),
            xytext=(3, 2),
            textcoords="offset points",
            fontsize=7,
            color=SRS,
        )

    ax.set_xlim(0.5, x_max + 0.5)
    ax.set_ylim(0, 40)
    ax.set_yticks(range(0, 41, 10))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("Meeting"))
    ax.set_ylabel(_("Score (0–40)"))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    entries = len(ax.get_legend_handles_labels()[0])
    # The figure grows with the legend (three entries a rater), so a family's legend fits.
    legend_height = 0.16 * math.ceil(entries / 2) + 0.1
    height = PLOT_HEIGHT + AXIS_LABELS + legend_height + 0.1
    fig.set_size_inches(6.7, height)
    ax.set_position((0.08, (AXIS_LABELS + legend_height) / height, 0.8, PLOT_HEIGHT / height))
    if entries:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, 0),
            bbox_transform=fig.transFigure,
            ncol=2,
            fontsize=7,
            frameon=False,
        )
        # Anchored by its top at the foot of the x-axis label.
        ax.get_legend().set_bbox_to_anchor((0.5, legend_height / height), fig.transFigure)
    return _svg(fig)


def change_chart(changes: list[float], rci: float, lang: str = "nb") -> str:
    """How many clients changed by how much (last minus first score), in bins of 2 points, as on
    the dashboard's statistics page: green from a reliable improvement, red from a reliable
    deterioration, dotted lines at plus and minus the reliable change. Each bar carries its count,
    so the chart does not rely on colour."""
    width = 2
    counts: dict[int, int] = {}
    for change in changes:
        start = int(math.floor(change / width) * width)
        counts[start] = counts.get(start, 0) + 1
    bins = sorted(counts)
    fig = Figure(figsize=(6.7, 2.8))
    ax = fig.add_axes((0.09, 0.2, 0.88, 0.75))
    colours = [
        IMPROVED if b >= rci else DETERIORATED if b + width <= -rci else "#6B7280" for b in bins
    ]
    ax.bar(
        [b + width / 2 for b in bins],
        [counts[b] for b in bins],
        width=width * 0.95,
        color=colours,
    )
    for b in bins:
        ax.annotate(
            str(counts[b]),
            (b + width / 2, counts[b]),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            fontsize=7,
        )
    for x in (-rci, rci):
        ax.axvline(x, color="#1b1f24", linestyle=":", linewidth=1)
    ax.annotate(
        _("Reliable change ±%(rci)s") % {"rci": _number(rci, lang)},
        (rci, 1),
        xycoords=("data", "axes fraction"),
        xytext=(3, -10),
        textcoords="offset points",
        fontsize=7,
    )
    low = min([*bins, -int(rci) - width])
    high = max([b + width for b in bins] + [int(rci) + width])
    ax.set_xlim(low - 1, high + 1)
    ax.set_xticks(range(low, high + 1, width))
    ax.set_ylim(0, max(counts.values(), default=1) * 1.15 + 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("Change in ORS from first to last meeting"))
    ax.set_ylabel(_("Clients"))
    return _svg(fig)
