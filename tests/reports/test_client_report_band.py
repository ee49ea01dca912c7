"""The client PDF shows where "off track" begins and what the next meeting needs, as the screen
does (both from the read model)."""

from __future__ import annotations

import pytest
from django.utils import translation

from sessions.outcome import episode_outcome
from sessions.reports.data import client_report_data
from sessions.reports.pdf import _chart_alt, client_report_pdf
from tests.conftest import add_meetings

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def off_track(client_n1):
    # ORS 20.0, declined, 20.0, 21.0: off track at meeting 4 (the third rating).
    add_meetings(client_n1.episodes.get(), ors=[20.0, None, 20.0, 21.0])
    return client_n1


def test_the_pdf_chart_has_the_band_in_its_legend_and_the_advice_in_words(off_track):
    data = client_report_data(off_track)
    pdf = client_report_pdf(data, printed_by="Alice", lang="en")
    text = " ".join(pdf_text(pdf).split())
    assert "Off track below the band – the client" in text
    assert "ORS 21.0 at meeting 4 is 20% of the expected change" in text
    assert "At the next meeting (meeting 5), ORS needs to be at least 23.3" in text


def test_the_chart_text_names_where_off_track_begins(off_track):
    data = client_report_data(off_track)
    [rater] = episode_outcome(off_track.episodes.get()).raters
    # the threshold at the latest rating (meeting 4, the third rating): 20 + 0.5 * 5.118882
    assert rater.threshold[0].meeting == 4 and rater.threshold[0].value == 22.56
    with translation.override("en"):
        assert "off track below 22.6 at meeting 4" in _chart_alt(data)


def test_in_norwegian(off_track):
    pdf = client_report_pdf(client_report_data(off_track), printed_by="Alice", lang="nb")
    text = " ".join(pdf_text(pdf).split())
    assert "Ikke i rute under feltet – klienten" in text
    assert "Ved neste møte (møte 5) trengs ORS på minst 23,3" in text
