"""The words the walk-through stumbled on (issue 13), as a helper and a leader see them in
bokmål: one word for the alliance alert, a filter label that reads as Norwegian, a team page
title that is not "Team Familieteamet, Rask psykisk helsehjelp", the chart's caption and the
legend for forms not filled in, and the team report's glossary."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from clients.models import Episode
from kor.models import Membership, Team
from sessions.reports.data import team_report_data
from sessions.reports.pdf import team_report_pdf
from tests.conftest import add_meetings, make_client, make_user
from tests.reports.conftest import pdf_text

NB = {"accept-language": "nb"}


@pytest.fixture
def family_team(org):
    return Team.objects.create(organisation=org, name="Familieteamet")


@pytest.fixture
def rask(org):
    return Team.objects.create(organisation=org, name="Rask psykisk helsehjelp")


@pytest.fixture
def leader_of_two(org, family_team, rask):
    leader = make_user("lise", org, family_team, Membership.Role.LEADER)
    Membership.objects.create(user=leader, team=rask, role=Membership.Role.LEADER)
    return leader


def test_the_team_page_of_a_leader_of_two_teams_names_both_in_plain_words(login, leader_of_two):
    page = login(leader_of_two).get(reverse("team_dashboard"), headers=NB).text

    assert "Teamoversikt: Familieteamet og Rask psykisk helsehjelp" in page
    assert "Team Familieteamet, Rask" not in page


def test_the_caseload_filter_and_the_alliance_flag_read_as_norwegian(login, alice, client_n1):
    # An alliance (SRS) below the line: the client gets the alliance alert.
    add_meetings(client_n1.episodes.get(), ors=[14.0, 15.0], srs=[28.0, 30.0])
    page = login(alice).get(reverse("caseload"), headers=NB).text

    assert "Minst antall uker siden siste møte" in page
    assert "Ingen møter på minst" not in page
    assert "alliansevarsel" in page
    assert "allianse-varsel" not in page


def test_the_meeting_chart_says_what_its_lines_and_crosses_are(login, alice, client_n1):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[14.0, None, 16.0], srs=[36.0, 37.0, 38.0])
    meeting = episode.meetings.get(number=3)
    page = login(alice).get(reverse("meeting_detail", args=[meeting.pk]), headers=NB).text

    assert "Heltrukne linjer: skår på endringsskjemaet" in page
    assert "endringsskårer" not in page and "samtaleskårer" not in page
    # The crosses of a declined form, in the chart's legend.
    assert "ikke fylt ut" in page
    assert "ikke vurdert" not in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("nb", ["Slik leser du tallene", "SAES (alvorlighetsjustert effektstørrelse)", "Frafall"]),
        ("en", ["How to read the figures", "SAES (severity-adjusted effect size)", "Dropout"]),
    ],
)
def test_the_team_report_explains_its_figures(org, north, alice, carol, lang, words):
    client = make_client(org, north, alice, "N-100")
    add_meetings(client.episodes.get(), ors=[12.0, 20.0])
    Episode.objects.filter(client=client).update(
        ended_on=datetime.date(2026, 5, 1), end_reason="mutual"
    )
    data = team_report_data(
        north,
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
        episodes=Episode.objects.visible_to(carol),
    )
    text = " ".join(pdf_text(team_report_pdf(data, printed_by="Carol", lang=lang)).split())

    for word in words:
        assert word in text
