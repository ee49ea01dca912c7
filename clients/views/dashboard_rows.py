"""The rows of the dashboard's table, written out here rather than by the template engine.

A page has 50 rows of 11 or 12 cells. Through the template engine (a context lookup, an escape
and a localisation for each cell) they took most of the page's time; written out here from the
episodes the page's query read, a small part. The markup is the one the template had
(templates/clients/dashboard.html keeps the table around the rows), every value escaped as the
template escapes; the words are translated and the links built once per page, not per row.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.formats import get_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from clients import dashboard as dash
from clients import review_marks
from clients.models import AgeGroup, Episode, Status

_TOKEN = 987654321  # a stand-in id for building links once per page

# One row, as the template wrote it (whitespace included); `team` is its cell or nothing.
ROW = """
      <tr data-episode="{pk}" class="row-{status}">
        <td class="case-code"><a href="{client_url}">{case_code}</a></td>
        {team}
        <td>{age}</td>
        <td>{helper}</td>
        <td>{meetings}</td>
        <td>{weeks}</td>
        <td>{ors}</td>
        <td>{srs}</td>
        <td class="status-cell"><span class="badge status-{status}">{status_label}</span></td>
        <td>{flags}</td>
        <td>{review}</td>
        <td>{supervision}</td>
      </tr>
    """


def escape(value: Any) -> str:
    """What the template's autoescape writes for a value (django.utils.html.escape is this
    same call, behind a check for lazy arguments that costs more than the escape itself)."""
    return html.escape(str(value))


def number_format() -> Callable[[Any], str]:
    """Numbers as the template's `{{ value }}` writes them (`localize`), with the language's
    decimal separator read once per page instead of once per number."""
    if settings.USE_THOUSAND_SEPARATOR:
        return localize  # grouping by the language's rules: Django's own, number by number
    separator = get_format("DECIMAL_SEPARATOR")

    def plain(value: Any) -> str:
        if isinstance(value, Decimal):
            return f"{value:f}".replace(".", separator)
        return str(value)

    return plain


@dataclass(frozen=True)
class Words:
    """What every row repeats, translated and built once per page."""

    status: Mapping[str, str]
    age: Mapping[str, str]
    flag: Mapping[str, str]
    review: Mapping[str, str]
    client_url: str
    mark_url: str
    supervision_url: str
    bring: str
    marked: str
    no_meeting: str
    no_flags: str
    number: Callable[[Any], str]

    @classmethod
    def of_page(cls) -> Words:
        def translated(labels: Mapping) -> dict[str, str]:
            return {value: str(label) for value, label in labels.items()}

        return cls(
            status=translated(dict(Status.choices)),
            age=translated(dict(AgeGroup.choices)),
            flag=translated(dash.FLAG_LABELS),
            review=translated(review_marks.REVIEW_LABELS),
            client_url=reverse("client_detail", args=[_TOKEN]),
            mark_url=reverse("supervision_mark", args=[_TOKEN]),
            supervision_url=escape(reverse("supervision")),
            bring=escape(pgettext("dashboard", "Bring to supervision")),
            marked=escape(pgettext("dashboard", "on the list")),
            no_meeting=escape(pgettext("dashboard", "no meeting yet")),
            no_flags=escape(pgettext("dashboard", "none")),
            number=number_format(),
        )


def rows_html(
    episodes: list[Episode], today: datetime.date, *, show_team: bool
) -> list[SafeString]:
    """The table's rows for the episodes of `clients.dashboard_page.with_rows`, in their order."""
    words = Words.of_page()
    return [_row(episode, today, show_team, words) for episode in episodes]


def _row(episode: Episode, today: datetime.date, show_team: bool, words: Words) -> SafeString:
    number = words.number
    client = episode.client
    status = episode.status
    case_code = escape(client.case_code)
    client_url = escape(words.client_url.replace(str(_TOKEN), str(episode.client_id)))
    weeks = dash.weeks_since(episode.last_meeting_on, today)
    flags = [words.flag.get(f, f) for f in episode.flags]
    review = review_marks.review_state(episode.review_spell, episode.review_after)
    if episode.in_supervision:
        supervision = (
            f'<a href="{words.supervision_url}" class="badge supervision-marked">{words.marked}</a>'
        )
    else:
        mark_url = escape(words.mark_url.replace(str(_TOKEN), str(episode.pk)))
        supervision = (
            f'<a href="{mark_url}">{words.bring}'
            f'<span class="visually-hidden"> {case_code}</span></a>'
        )
    written = ROW.format(
        pk=escape(number(episode.pk)),
        status=escape(status),
        client_url=client_url,
        case_code=case_code,
        team=f"<td>{escape(client.team.name)}</td>" if show_team else "",
        age=escape(words.age.get(episode.age_group, episode.age_group)),
        helper=escape(client.responsible_helper),
        meetings=escape(number(episode.meeting_count)),
        weeks=(
            f'<span class="muted">{words.no_meeting}</span>'
            if weeks is None
            else escape(number(weeks))
        ),
        ors=_score(episode.latest_ors, number),
        srs=_score(episode.latest_srs, number),
        status_label=escape(words.status.get(status, status)),
        flags="".join(f'<span class="badge flag">{escape(label)}</span> ' for label in flags)
        or f'<span class="visually-hidden">{words.no_flags}</span>',
        review=(
            f'<a href="{client_url}" class="badge review-{escape(review)}">'
            f"{escape(words.review.get(review, ''))}"
            f'<span class="visually-hidden"> {case_code}</span></a>'
            if review
            else ""
        ),
        supervision=supervision,
    )
    return mark_safe(written)


def _score(value: Decimal | None, number: Callable[[Any], str]) -> str:
    return "–" if value is None else escape(number(value))
