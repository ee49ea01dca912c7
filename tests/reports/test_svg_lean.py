"""The chart's SVG made leaner for WeasyPrint keeps every mark and word (sessions.reports.svg)."""

import io
import re

import matplotlib
from matplotlib.figure import Figure

from sessions.reports.svg import lean


def _chart() -> str:
    fig = Figure(figsize=(3, 2))
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.plot([1, 2, 3], [10, 20, 15], marker="o", label="CORS – klienten")
    ax.legend()
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text as text, as the reports draw it
        fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def test_markers_become_paths_and_the_words_stay():
    svg = _chart()
    leaner = lean(svg)
    assert "<use" in svg and "<use" not in leaner
    assert "metadata" not in leaner
    # every marker is still drawn, now as a path at its point
    assert leaner.count("translate(") == svg.count("<use")
    texts = re.compile(r"<(?:ns0:)?text [^>]*>([^<]*)<")
    assert texts.findall(leaner) == texts.findall(svg)
    assert "CORS – klienten" in texts.findall(leaner)
    assert leaner.count("<ns0:g") < svg.count("<g")
    # styles become attributes, but for the two matplotlib's `*` rule sets as well
    assert "font-size: " not in leaner and 'font-size="' in leaner
    assert re.findall(r'style="([^"]*)"', leaner) and all(
        {p.split(":")[0].strip() for p in style.split(";")} <= {"stroke-linejoin", "stroke-linecap"}
        for style in re.findall(r'style="([^"]*)"', leaner)
    )


def test_an_svg_it_does_not_know_is_left_as_it_is():
    # text drawn as glyph paths: the <use>s carry a transform of their own
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        fig = Figure(figsize=(1, 1))
        fig.text(0.5, 0.5, "10")
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    assert lean(out.getvalue()) == out.getvalue()
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<defs><circle id="c" r="2"/></defs><use xlink:href="#c" x="1" y="1"/></svg>'
    )
    assert lean(svg) == svg  # a <use> of a circle
