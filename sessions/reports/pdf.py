"""Render the reports to PDF with WeasyPrint: tagged PDF/UA-1 with a title and a language.

The HTML is rendered in the report's language (`translation.override`), so a report printed in
English by a Norwegian-speaking user is English throughout, engine reasons included. The chart is
an SVG image (text kept as text), so the PDF's words can be searched and copied.
"""

from __future__ import annotations

import base64
import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from kor.numbers import decimal
from sessions.completion import MAX_MISSING

from . import charts
from .data import ClientReportData, TeamReportData

LANGUAGES = ("nb", "en")
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# One font configuration for the process: loading fonts is most of a small report's cost.
_fonts: FontConfiguration | None = None


def _font_config() -> FontConfiguration:
    global _fonts
    if _fonts is None:
        _fonts = FontConfiguration()
    return _fonts


class _DataOnlyFetcher(URLFetcher):
    """Resources come only from data: URIs in the report itself (the chart): a report never
    reaches the network or the file system, and one fetcher for the process spares building
    an SSL context per report (50 ms)."""

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise ValueError(f"reports load no external resources: {url[:60]}")
        meta, _, payload = url[5:].partition(",")
        media_type = meta.split(";")[0] or "text/plain"
        body = base64.b64decode(payload) if meta.endswith(";base64") else payload.encode()
        return URLFetcherResponse(url, body, {"Content-Type": media_type}, 200)


_fetcher: _DataOnlyFetcher | None = None


def _url_fetcher() -> _DataOnlyFetcher:
    global _fetcher
    if _fetcher is None:
        _fetcher = _DataOnlyFetcher(fail_on_errors=True)
    return _fetcher


def report_language(lang: str | None) -> str:
    lang = (lang or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return lang if lang in LANGUAGES else "nb"


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _client_context(data: ClientReportData, lang: str) -> dict:
    has_ratings = any(r.ors or r.srs for r in data.raters)
    return {
        "data": data,
        "chart": _data_uri(charts.outcome_chart(data, lang)) if has_ratings else "",
        "chart_alt": _chart_alt(data),
    }


def _chart_alt(data: ClientReportData) -> str:
    """The chart in words, for a screen reader: every rater's first and latest score (numbers in
    the language the report is rendered in, by Django's formats)."""
    parts = []
    for rater in data.raters:
        if rater.ors:
            first, last = rater.ors[0].value, rater.ors[-1].value
            text = _("%(who)s: %(form)s from %(first)s to %(last)s over %(n)s ratings") % {
                "who": rater.label,
                "form": rater.outcome_form,
                "first": decimal(first),
                "last": decimal(last),
                "n": len(rater.ors),
            }
            if rater.target is not None:
                text += ", " + _("Target %(value)s") % {"value": decimal(rater.target)}
            if rater.threshold:
                # where off track begins at the latest rating, or at the first meeting it applies
                last = rater.ors[-1].meeting
                point = next((p for p in rater.threshold if p.meeting == last), rater.threshold[0])
                text += ", " + _("off track below %(value)s at meeting %(meeting)s") % {
                    "value": decimal(point.value),
                    "meeting": point.meeting,
                }
            parts.append(text)
    return _("Outcome chart.") + " " + "; ".join(parts) + ("." if parts else "")


def _change_alt(changes: list[float], rci: float, lang: str) -> str:
    improved = sum(1 for c in changes if c >= rci)
    worse = sum(1 for c in changes if c <= -rci)
    return _(
        "Change from first to last score for %(n)s clients: %(improved)s with a reliable "
        "improvement, %(worse)s with a reliable deterioration, the rest in between."
    ) % {"n": len(changes), "improved": improved, "worse": worse}


_stylesheets: dict[str, CSS] = {}


def _stylesheet() -> CSS:
    """The reports' style sheet, parsed once per language (it holds the word "Page")."""
    lang = translation.get_language() or "nb"
    if lang not in _stylesheets:
        css = render_to_string("reports/_pdf.css", {"page_word": _("Page")})
        _stylesheets[lang] = CSS(string=css, font_config=_font_config())
    return _stylesheets[lang]


def _document(html: str) -> Document:
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher()).render(
        stylesheets=[_stylesheet()], font_config=_font_config(), **PDF_OPTIONS
    )


def write_pdf(document: Document) -> bytes:
    return document.write_pdf(**PDF_OPTIONS)


def _printed(printed_by: str, lang: str) -> dict:
    return {
        "lang": lang,
        "printed_by": printed_by,
        "printed_at": timezone.localtime(timezone.now()),
    }


def client_report_document(
    data: ClientReportData, *, printed_by: str, lang: str = "nb"
) -> Document:
    lang = report_language(lang)
    with translation.override(lang):
        context = _client_context(data, lang) | _printed(printed_by, lang)
        context["title"] = _("Progress report %(code)s") % {"code": data.client.case_code}
        return _document(render_to_string("reports/client_report.html", context))


def client_report_pdf(data: ClientReportData, *, printed_by: str, lang: str = "nb") -> bytes:
    return write_pdf(client_report_document(data, printed_by=printed_by, lang=lang))


def combine(documents: list[Document], *, title: str, lang: str) -> Document:
    """Several rendered reports as one document, each keeping its own page numbers."""
    combined = documents[0].copy([page for document in documents for page in document.pages])
    combined.metadata.title = title
    combined.metadata.lang = report_language(lang)
    return combined


def team_report_pdf(data: TeamReportData, *, printed_by: str, lang: str = "nb") -> bytes:
    lang = report_language(lang)
    with translation.override(lang):
        context = {
            "data": data,
            "chart": _data_uri(charts.change_chart(data.bins, data.settings.rci))
            if data.changes
            else "",
            "chart_alt": _change_alt(data.changes, data.settings.rci, lang),
            "title": _("Team report %(team)s, %(start)s – %(end)s")
            % {"team": data.team.name, "start": _date(data.start), "end": _date(data.end)},
            "max_missing_pct": round(100 * MAX_MISSING),
        } | _printed(printed_by, lang)
        return write_pdf(_document(render_to_string("reports/team_report.html", context)))


def _date(day: datetime.date) -> str:
    return day.isoformat()
