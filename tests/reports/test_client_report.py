"""The client's progress report: what the PDF says, in both languages, for every kind of case."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation

from clients.models import Goal, Rater
from kor.models import AuditEvent
from sessions.reports.data import client_report_data
from sessions.reports.pdf import _chart_alt, client_report_pdf
from tests.conftest import add_meetings, make_client

from .conftest import pdf_info, pdf_objects, pdf_text

ORS = [14.2, 16.0, 15.1, 14.8, 15.5, 16.1]
SRS = [33.0, 35.2, 36.0, 34.9, 36.5, 37.0]


def _pdf(client, lang="en", **kwargs) -> bytes:
    return client_report_pdf(client_report_data(client, **kwargs), printed_by="Alice", lang=lang)


@pytest.fixture
def off_track(client_n1):
    episode = client_n1.episodes.get()
    Goal.objects.create(episode=episode, text="Sleep through the night", set_on=episode.started_on)
    add_meetings(episode, ors=ORS, srs=SRS)
    return client_n1


def test_it_shows_the_code_every_meetings_totals_the_status_and_the_reasons(off_track):
    text = pdf_text(_pdf(off_track))

    assert "Progress report: N-001" in text
    assert "Sleep through the night" in text
    for total in ORS + SRS:
        assert f"{total:.1f}" in text
    episode = off_track.episodes.get()
    episode.refresh_from_db()
    assert episode.status == "off_track"
    assert "off track" in text
    # The engine's own plain-language reason, with its numbers.
    reason = episode.assessment["reasons"][0]["en"]
    assert reason.startswith("ORS 16.1 at meeting 6")
    assert reason.split(";")[0] in " ".join(text.split())
    assert "Reliable change: no" in text
    assert "Printed" in text and "by Alice" in text
    assert re.search(r"Page 1 / \d", text)


def test_it_draws_the_chart_with_searchable_text(off_track):
    text = pdf_text(_pdf(off_track))
    # Labels inside the SVG chart are text, not outlines.
    assert "Expected change – the client" in text
    assert "Cut-off 25.0" in text
    assert "Alliance line 36.0" in text
    assert re.search(r"Target \d\d\.\d", text)


def test_it_renders_in_norwegian(off_track):
    text = pdf_text(_pdf(off_track, lang="nb"))

    assert "Fremdriftsrapport: N-001" in text
    assert "Møter" in text
    assert "ikke i rute" in text
    assert "16,1" in text  # decimal comma
    assert "ved møte 6" in text  # the engine's reason in Norwegian
    assert "Side 1 / " in text


def test_its_chart_and_chart_text_use_the_decimal_comma_in_norwegian(off_track):
    text = pdf_text(_pdf(off_track, lang="nb"))
    assert "25,0" in text and "36,0" in text  # cut-off and alliance line, inside the SVG
    assert "25.0" not in text and "36.0" not in text
    data = client_report_data(off_track)
    for lang, first in (("nb", "14,2"), ("en", "14.2")):
        with translation.override(lang):
            assert f"ORS {'fra' if lang == 'nb' else 'from'} {first}" in _chart_alt(data)


def test_it_is_an_accessible_tagged_pdf_with_title_and_language(off_track):
    pdf = _pdf(off_track, lang="en")
    info = pdf_info(pdf)
    objects = pdf_objects(pdf)

    assert re.search(r"Tagged:\s+yes", info)
    assert re.search(r"Title:\s+Progress report N-001", info)
    assert b"/Lang (en)" in objects
    assert b"pdfuaid:part" in objects
    assert b"/Figure" in objects and b"/Alt" in objects  # the chart has a text alternative


def test_it_shows_declined_forms_as_declined(client_n1):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[18.0, None, 21.5], srs=[36.0, None, 38.0])
    text = pdf_text(_pdf(client_n1))

    assert "declined: test" in text
    assert "1 form declined." in text
    assert "18.0" in text and "21.5" in text


def test_it_reports_a_client_with_only_an_intake(client_n1):
    add_meetings(client_n1.episodes.get(), ors=[19.4], srs=[37.0])
    text = pdf_text(_pdf(client_n1))

    assert "intake" in text
    assert "First rating: ORS 19.4" in text
    # Milestones need two ratings: none are claimed after the first.
    assert "Reliable change: no" not in text


def test_it_reports_a_client_with_no_meetings_yet(client_n1):
    text = pdf_text(_pdf(client_n1))

    assert "N-001" in text
    assert "No meetings yet." in text


def _rate(episode, rater, instrument, totals):
    """The rater's forms in the episode's meetings 1, 2, ... (which must exist)."""
    from sessions.models import FormResponse, Meeting

    meetings = Meeting.objects.filter(episode=episode).order_by("number")
    for meeting, total in zip(meetings, totals, strict=False):
        tenths = round(total * 10)
        items = [tenths // 4] * 3 + [tenths - 3 * (tenths // 4)]
        FormResponse.objects.create(
            meeting=meeting,
            rater=rater,
            instrument=instrument,
            **{f"item{k}": value for k, value in enumerate(items, 1)},
            total=tenths,
        )


def test_it_reports_a_family_with_three_raters(org, north, alice):
    from sessions.outcome import refresh_episode

    client = make_client(org, north, alice, "F-007", birth_year=2016, age_group="child")
    episode = client.episodes.get()
    mother = Rater.objects.create(episode=episode, relation=Rater.Relation.MOTHER, label="Mum")
    father = Rater.objects.create(episode=episode, relation=Rater.Relation.FATHER, label="Dad")
    add_meetings(episode, ors=[20.0, 24.5, 27.0], srs=[35.0, 36.0, 38.0])
    _rate(episode, mother, "CORS", [15.0, 16.2, 14.0])
    _rate(episode, mother, "SRS", [30.0, 32.5, 33.0])
    _rate(episode, father, "CORS", [18.0, 23.2, 25.1])
    refresh_episode(episode)
    data = client_report_data(client)
    text = pdf_text(client_report_pdf(data, printed_by="Alice", lang="en"))

    assert [r.rater for r in data.raters] == list(episode.raters.order_by("pk"))
    for who in ("CORS – the client", "CORS – Mum", "CORS – Dad", "SRS – Mum"):
        assert who in text
    for total in ("20.0", "24.5", "27.0", "15.0", "16.2", "14.0", "18.0", "23.2", "25.1", "32.5"):
        assert total in text
    assert "Cut-off 28.0" in text  # the children's cut-off
    # Each rater's status in words, the same as the cached one on the rater.
    with translation.override("en"):
        for rater in episode.raters.all():
            assert f"{str(rater).capitalize()}: {rater.get_status_display()}" in text


def test_it_reads_a_client_in_a_constant_number_of_queries(
    client_n1, django_assert_max_num_queries
):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[15.0, 16.0, 17.0])
    with django_assert_max_num_queries(8) as few:
        client_report_data(client_n1)
    add_meetings(episode, ors=[18.0 + k for k in range(12)], srs=[36.0] * 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = client_report_data(client_n1)
    assert len(data.meetings) == 15


def test_it_shows_the_name_only_where_the_organisation_allows(client_n1, org):
    client_n1.name = "Kari Nordmann"
    client_n1.save()
    assert "Kari Nordmann" not in pdf_text(_pdf(client_n1))

    org.show_client_names = True
    org.save()
    client_n1.refresh_from_db()
    assert "Kari Nordmann" in pdf_text(_pdf(client_n1))


# -- the download ---------------------------------------------------------------------------


def test_it_downloads_the_report_from_the_client_page(login, alice, off_track):
    response = login(alice).get(f"/clients/{off_track.pk}/report.pdf?lang=en")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "N-001" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert "Progress report: N-001" in pdf_text(response.content)


def test_it_logs_the_printing(login, alice, off_track):
    login(alice).get(f"/clients/{off_track.pk}/report.pdf")

    event = AuditEvent.objects.get(action="print")
    assert event.user == alice
    assert event.client_id == off_track.pk
    assert event.detail["report"] == "client"


def test_it_lets_the_team_leader_print(login, carol, off_track):
    assert login(carol).get(f"/clients/{off_track.pk}/report.pdf").status_code == 200


@pytest.mark.parametrize("persona", ["dave", "erin", "oscar", "olga"])
def test_it_is_404_for_a_client_the_user_may_not_see(request, login, off_track, persona):
    user = request.getfixturevalue(persona)
    response = login(user).get(f"/clients/{off_track.pk}/report.pdf")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="print").exists()


def test_it_is_404_for_another_clients_episode(login, alice, off_track, client_s1):
    other = client_s1.episodes.get()
    response = login(alice).get(f"/clients/{off_track.pk}/report.pdf?episode={other.pk}")
    assert response.status_code == 404


def test_it_reports_an_earlier_episode_when_asked(login, alice, client_n1):
    first = client_n1.episodes.get()
    add_meetings(first, ors=[12.3, 13.4])
    first.ended_on = first.started_on + datetime.timedelta(days=30)
    first.save()
    from clients.models import Episode

    Episode.objects.create(
        client=client_n1, started_on=datetime.date(2026, 6, 1), age_group="adult"
    )
    latest = pdf_text(login(alice).get(f"/clients/{client_n1.pk}/report.pdf?lang=en").content)
    earlier = pdf_text(
        login(alice).get(f"/clients/{client_n1.pk}/report.pdf?lang=en&episode={first.pk}").content
    )
    assert "12.3" not in latest
    assert "12.3" in earlier and "13.4" in earlier


def test_it_needs_a_login(client, off_track):
    response = client.get(f"/clients/{off_track.pk}/report.pdf")
    assert response.status_code == 302


def test_the_client_page_link_offers_the_report_in_both_languages(client_n1):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("nb"):
        html = render_to_string("reports/_client_report_link.html", {"client": client_n1})
    assert f'href="/clients/{client_n1.pk}/report.pdf"' in html
    assert "Last ned rapport (PDF)" in html
    assert f'href="/clients/{client_n1.pk}/report.pdf?lang=en"' in html
