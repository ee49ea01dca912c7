"""Charts for the PDF reports, drawn on the server as SVG with matplotlib (no browser).

The text stays text (`svg.fonttype = "none"`), so the PDF's chart labels can be searched and
copied. Each rater gets a colour *and* a marker shape, so the chart also reads in black and white.
Figures are built with `matplotlib.figure.Figure` directly (not pyplot): no global state, safe in
a worker thread.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

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
STATUS_COLOURS = {
    "deteriorated": "#B91C1C",
    "off_track": "#B91C1C",
    "at_risk": "#B45309",
    "high_intake": "#6B7280",
    "intake": "#6B7280",
    "on_track": "#166534",
    "none": "#9CA3AF",
}


def _svg(fig: Figure) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def _number(x: float, lang: str) -> str:
    text = f"{x:.1f}"
    return text.replace(".", ",") if lang.startswith("nb") else text


def outcome_chart(data: ClientReportData, lang: str = "nb") -> str:
    """The client's outcome chart: ORS per rater, expected change, Target, cut-off, SRS and its
    line. The same series the screen draws; returns an SVG document."""
    fig = Figure(figsize=(6.7, 3.6))
    # A fixed layout (no bbox_inches="tight"): matplotlib then draws the figure once, not twice.
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
    if ax.get_legend_handles_labels()[0]:
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.16),
            ncol=2,
            fontsize=7,
            frameon=False,
        )
    return _svg(fig)


def distribution_chart(distribution: list[tuple[str, str, int]]) -> str:
    """Horizontal bars: how many episodes are in each status. Every bar is labelled with its
    count, so the chart does not rely on colour."""
    rows = [row for row in distribution if row[0] != "none" or row[2]]
    height = 0.3 * len(rows) + 0.7
    fig = Figure(figsize=(6.7, height))
    ax = fig.add_axes((0.22, 0.5 / height, 0.74, 1 - 0.6 / height))
    labels = [str(label) for _, label, _ in rows]
    counts = [count for _, _, count in rows]
    y = list(range(len(rows)))
    ax.barh(y, counts, color=[STATUS_COLOURS.get(s, "#9CA3AF") for s, _, _ in rows])
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    top = max(counts, default=0) or 1
    for k, count in enumerate(counts):
        ax.annotate(str(count), (count, k), xytext=(3, 0), textcoords="offset points", va="center")
    ax.set_xlim(0, top * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("Episodes"))
    return _svg(fig)
