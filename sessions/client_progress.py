"""The client's own view of their progress (issue 14): their outcome scores against the expected
change, in simple words, from the one read model (`episode_outcome`). Nothing the helper wrote
(no reasons, goals or notes), no alliance scores, no other rater's or client's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from clients.models import Episode, Rater
from kor.numbers import decimal
from sessions.outcome import episode_outcome

# The chart's drawing area (an SVG the template draws from these points; no script needed).
WIDTH, HEIGHT, PAD = 320, 180, 24


@dataclass(frozen=True)
class ClientProgress:
    sentences: list[str]
    scores: list[tuple[int, str]]  # (meeting number, score as the page writes numbers)
    line: str  # SVG polyline points of the scores
    expected_line: str  # ... and of the expected change
    dots: list[tuple[str, str]]  # (x, y) as SVG numbers (never the page's decimal comma)
    grid: list[tuple[str, int]]  # (y, score) of the lines at 0, 10, 20, 30, 40
    width: int = WIDTH
    height: int = HEIGHT


def _scale(points, last: int, top: float) -> list[tuple[float, float]]:
    span = max(last - 1, 1)
    return [
        (
            round(PAD + (m - 1) / span * (WIDTH - 2 * PAD), 1),
            round(HEIGHT - PAD - v / top * (HEIGHT - 2 * PAD), 1),
        )
        for m, v in points
    ]


def progress_for(episode: Episode, rater: Rater) -> ClientProgress | None:
    """The rater's own outcome series, or None when there is nothing to show yet."""
    outcome = episode_outcome(episode)
    mine = next((r for r in outcome.raters if r.rater.pk == rater.pk), None)
    if mine is None or not mine.ors:
        return None
    ors = [(p.meeting, p.value) for p in mine.ors]
    expected = [(p.meeting, p.value) for p in mine.expected]
    last = max(m for m, _v in ors + expected)
    top = 40.0
    first, latest = ors[0][1], ors[-1][1]
    sentences = [_("Higher scores mean that life is going better. The most is 40.")]
    if len(ors) == 1:
        sentences.append(
            _("Your first score is %(score)s. Next time you can see how it changes.")
            % {"score": decimal(first)}
        )
    elif latest > first:
        sentences.append(
            _("Your score has gone up, from %(first)s to %(latest)s.")
            % {"first": decimal(first), "latest": decimal(latest)}
        )
    elif latest < first:
        sentences.append(
            _(
                "Your score has gone down, from %(first)s to %(latest)s. "
                "Talk about it with your helper."
            )
            % {"first": decimal(first), "latest": decimal(latest)}
        )
    else:
        sentences.append(
            _("Your score is the same as the first time: %(score)s.") % {"score": decimal(latest)}
        )
    due = [v for m, v in expected if m == ors[-1][0]]
    if len(ors) > 1 and due:
        sentences.append(
            _(
                "People who started where you started have on average come to about %(expected)s "
                "by now (the dashed line)."
            )
            % {"expected": decimal(due[0])}
        )
    points = _scale(ors, last, top)
    return ClientProgress(
        sentences=sentences,
        scores=[(m, decimal(v)) for m, v in ors],
        line=" ".join(f"{x},{y}" for x, y in points),
        expected_line=" ".join(f"{x},{y}" for x, y in _scale(expected, last, top)),
        dots=[(f"{x}", f"{y}") for x, y in points],
        grid=[(f"{_scale([(1, v)], last, top)[0][1]}", v) for v in (0, 10, 20, 30, 40)],
    )
