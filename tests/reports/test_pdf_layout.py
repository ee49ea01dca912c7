"""The PDFs' layout, read from the text boxes poppler finds (`pdftotext -bbox`): no word leaves
the printable area (a chart label cut off at the page edge), no two words sit on each other, and
a table's column headers stay apart ("EffektstørrelseSAES" is two headers run together).

Set KOR_PDF_DUMP=/some/dir to keep the PDFs the tests read, to look at them as images."""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from clients.models import Episode, Rater
from sessions.reports.data import client_report_data, team_report_data
from sessions.reports.pdf import client_report_pdf, team_report_pdf
from tests.conftest import add_meetings, make_client, make_user
from tests.reports.conftest import pdftotext

from .team_fixtures import END, START, closed

MM = 72 / 25.4  # PDF points in a millimetre
MARGIN_X = 16 * MM  # the left and right page margins of _pdf.css
TOLERANCE = 0.5  # points: rounding in poppler's boxes


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Word) -> bool:
        """Boxes that share more than a sliver (glyph boxes of neighbouring lines touch)."""
        dx = min(self.x1, other.x1) - max(self.x0, other.x0)
        dy = min(self.y1, other.y1) - max(self.y0, other.y0)
        return dx > 1.0 and dy > 1.5


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)


def text_boxes(pdf: bytes) -> list[Page]:
    """Every page's words with their boxes, in points from the top left."""
    out = pdftotext(pdf, "-bbox")
    pages = []
    for width, height, body in _PAGE.findall(out):
        words = [
            Word(html.unescape(text), float(a), float(b), float(c), float(d))
            for a, b, c, d, text in _WORD.findall(body)
        ]
        pages.append(Page(float(width), float(height), words))
    return pages


def _dump(name: str, pdf: bytes) -> None:
    folder = os.environ.get("KOR_PDF_DUMP")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(pdf)


def outside_the_printable_area(pages: list[Page]) -> list[tuple[int, Word]]:
    """Words beyond the left or right margin (a figure is as wide as the text, so a chart label
    there has left the chart) or off the page at the top or bottom."""
    return [
        (number, word)
        for number, page in enumerate(pages, 1)
        for word in page.words
        if word.x0 < MARGIN_X - TOLERANCE
        or word.x1 > page.width - MARGIN_X + TOLERANCE
        or word.y0 < -TOLERANCE
        or word.y1 > page.height + TOLERANCE
    ]


def overlapping(pages: list[Page]) -> list[tuple[int, str, str]]:
    found = []
    for number, page in enumerate(pages, 1):
        words = sorted(page.words, key=lambda w: w.y0)
        for i, word in enumerate(words):
            for other in words[i + 1 :]:
                if other.y0 > word.y1:
                    break
                if word.overlaps(other):
                    found.append((number, word.text, other.text))
    return found


def header_words(page: Page, top: Word, stop: str) -> list[Word]:
    """The words of a table's header row: from its first header's word down to (not including)
    the line of the first body row, which starts with `stop`."""
    bottom = next(w for w in page.words if w.text == stop and w.y0 > top.y1)
    return [w for w in page.words if top.y0 - TOLERANCE <= w.y0 and w.y1 <= bottom.y0 + 1]


def fused(words: list[Word], headers: list[str]) -> list[str]:
    """Header words that are not a word of some header (nor a hyphenated piece of one): two
    headers printed without a gap come out as one word."""
    tokens = {t for header in headers for t in header.split()}
    pieces = {t[:i] for t in tokens for i in range(2, len(t))} | {
        t[i:] for t in tokens for i in range(2, len(t))
    }
    found = []
    for word in words:
        text = word.text
        if text in tokens:
            continue
        if text.endswith("-") and text[:-1] in pieces:
            continue
        if text in pieces:
            continue
        found.append(text)
    return found


# --- The client report: a family with three raters and long labels ---------------------------


def _form(meeting, rater, instrument: str, total: float | None):
    from sessions.models import FormResponse

    if total is None:
        return FormResponse.objects.create(
            meeting=meeting,
            rater=rater,
            instrument=instrument,
            status=FormResponse.Status.DECLINED,
            declined_reason="test",
        )
    tenths = round(total * 10)
    items = [tenths // 4 + (1 if i < tenths % 4 else 0) for i in range(4)]
    return FormResponse.objects.create(
        meeting=meeting,
        rater=rater,
        instrument=instrument,
        total=tenths,
        **{f"item{i + 1}": item for i, item in enumerate(items)},
    )


def rate(episode, rater, outcome: list[float | None], alliance: list[float]) -> None:
    """The rater's forms in the episode's meetings 1, 2, ... (None: declined), by the forms rule."""
    from sessions.outcome import refresh_episode
    from sessions.services import forms_for

    for k, meeting in enumerate(episode.meetings.order_by("number")[: len(outcome)]):
        outcome_form, alliance_form = forms_for(episode, rater, meeting)
        _form(meeting, rater, outcome_form, outcome[k])
        if k < len(alliance):
            _form(meeting, rater, alliance_form, alliance[k])
    refresh_episode(episode)


@pytest.fixture
def family(org, north, alice):
    """A client of 12 with their mother and their teacher rating too, all at the same meetings."""
    client = make_client(org, north, alice, "N-FAMILIE-2026", age_group="child", birth_year=2014)
    episode = client.episodes.get()
    add_meetings(episode, ors=[14.2, 16.0, None, 19.8, 22.5, 27.1], srs=[30.0, 33.5, 36.0])
    raters = [
        (Rater.Relation.MOTHER, "Mor (Kari Nordmann-Halvorsen, bor i Tromsø)"),
        (Rater.Relation.TEACHER, "Kontaktlærer på Storgata ungdomsskole"),
    ]
    for k, (relation, label) in enumerate(raters):
        rater = Rater.objects.create(episode=episode, relation=relation, label=label)
        rate(episode, rater, [8.5 + 3 * k, 12.0, 15.5, None, 18.0 + k, 19.0], [34.0, 38.0])
    return client


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_no_word_of_the_family_report_leaves_the_page_or_its_chart(family, lang):
    data = client_report_data(family)
    assert len(data.raters) == 3
    pdf = client_report_pdf(data, printed_by="Alice Helper", lang=lang)
    _dump(f"client-{lang}.pdf", pdf)
    pages = text_boxes(pdf)
    text = " ".join(w.text for page in pages for w in page.words)

    # The target labels, the longest words at the chart's right edge, are all there...
    target = "Forventet" if lang == "nb" else "Target"
    assert text.count(target) >= 3
    # ...and inside.
    assert outside_the_printable_area(pages) == []
    assert overlapping(pages) == []


# --- The team report: several helpers, in English and bokmål ---------------------------------

HEADERS = {
    "en": [
        "Helper",
        "Active clients",
        "Off track or deteriorated",
        "Closed (counted)",
        "Effect size",
        "SAES",
        "Reliable improvement",
        "Clinically significant change",
        "Reliable deterioration",
        "Reached Target",
        "Dropout",
    ],
}


@pytest.fixture
def helpers_team(org, north, carol):
    names = [
        ("ingrid", "Ingrid Marie", "Kristiansen-Lund"),
        ("ola", "Ola", "Nordmann"),
        ("sigrid", "Sigrid", "Bjørnstad-Haugen"),
    ]
    for k, (username, first, last) in enumerate(names):
        helper = make_user(username, org, north)
        helper.first_name, helper.last_name = first, last
        helper.save()
        closed(org, north, helper, f"T-{k}1", [12.0, 18.0 + k, 22.0])
        closed(org, north, helper, f"T-{k}2", [20.0, 27.0], "goal_reached")
        closed(org, north, helper, f"T-{k}3", [25.0, 18.0], "dropout")
        open_client = make_client(org, north, helper, f"T-{k}4")
        add_meetings(open_client.episodes.get(), ors=[14.0, 13.0, 12.5, 12.0])
    assert Episode.objects.filter(client__team=north).count() == 12
    return north


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_team_reports_helper_table_keeps_its_headers_apart(carol, helpers_team, lang):
    data = team_report_data(helpers_team, START, END, episodes=Episode.objects.visible_to(carol))
    pdf = team_report_pdf(data, printed_by="Carol Leader", lang=lang)
    _dump(f"team-{lang}.pdf", pdf)
    pages = text_boxes(pdf)

    assert outside_the_printable_area(pages) == []
    assert overlapping(pages) == []
    page = next(p for p in pages if any(w.text == "Ingrid" for w in p.words))
    first = "Helper" if lang == "en" else "Hjelper"
    tops = [w for w in page.words if w.text == first]
    assert len(tops) == 2  # the clients and the outcomes per helper
    words = [w for top in tops for w in header_words(page, top, "Ingrid")]
    assert len(words) >= 11
    assert fused(words, _headers(lang)) == []


def _headers(lang: str) -> list[str]:
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override(lang):
        return [gettext(h) for h in HEADERS["en"]]
