"""Every read of a client's data is in that client's trail and in the review of the client's
organisation (issue 12, finding 5): list screens write one row per client they show, a
superuser's admin read goes to the client's organisation, the hand-over page is audited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from clients.models import Episode, SupervisionMark
from kor.models import AuditEvent
from sessions.models import Meeting
from tests.conftest import add_meetings, make_client, make_user
from tests.security.conftest import verify

pytestmark = pytest.mark.django_db


def _trail(browser, client) -> str:
    """The client's audit page, as their team leader reads it."""
    return browser.get(reverse("client_audit", args=[client.pk])).content.decode()


def test_a_leader_opening_the_dashboard_is_in_each_shown_clients_trail(
    login, carol, org, north, alice, bob
):
    shown = [make_client(org, north, helper, f"N-{n}") for n, helper in enumerate([alice, bob])]
    for client in shown:
        add_meetings(client.episodes.get(), ors=[12.0, 14.0])
    browser = login(carol)
    assert browser.get(reverse("team_dashboard")).status_code == 200
    for client in shown:
        row = AuditEvent.objects.get(user=carol, client_id=client.pk, action="view")
        assert row.detail["screen"] == "team_dashboard"
        assert row.organisation_id == org.pk
        assert "team_dashboard" in _trail(browser, client) or "/team/" in _trail(browser, client)


def test_the_helpers_caseload_writes_one_row_per_client(login, alice, org, north, client_n1):
    second = make_client(org, north, alice, "N-002")
    login(alice).get(reverse("caseload"))
    rows = AuditEvent.objects.filter(user=alice, action="view", detail__screen="caseload")
    assert sorted(rows.values_list("client_id", flat=True)) == sorted([client_n1.pk, second.pk])


def test_an_unchanged_poll_writes_nothing(login, carol, client_n1):
    browser = login(carol)
    first = browser.get(reverse("team_dashboard"))
    before = AuditEvent.objects.count()
    again = browser.get(
        reverse("team_dashboard") + first.context["poll_url"], headers={"HX-Request": "true"}
    )
    assert again.status_code == 204
    assert AuditEvent.objects.count() == before


def test_the_supervision_list_writes_one_row_per_client(login, carol, client_n1, alice):
    episode = client_n1.episodes.get()
    SupervisionMark.objects.create(
        episode=episode, marked_by=alice, note="", status_then=episode.status
    )
    login(carol).get(reverse("supervision"))
    row = AuditEvent.objects.get(user=carol, detail__screen="supervision")
    assert row.client_id == client_n1.pk


def test_statistics_record_each_client_whose_scores_entered_the_figures(
    login, carol, org, north, alice
):
    closed = make_client(org, north, alice, "C-1")
    add_meetings(closed.episodes.get(), ors=[10.0, 20.0], first_date=datetime.date(2026, 3, 2))
    Episode.objects.filter(client=closed).update(
        ended_on=datetime.date(2026, 4, 1), end_reason="mutual"
    )
    still_open = make_client(org, north, alice, "O-1")
    add_meetings(still_open.episodes.get(), ors=[10.0, 12.0])
    login(carol).get(reverse("statistics") + "?start=2026-03-01&end=2026-06-30")
    rows = AuditEvent.objects.filter(user=carol, detail__screen="statistics")
    # The open episode is only a head count (active, off track): its scores are not read.
    assert list(rows.values_list("client_id", flat=True)) == [closed.pk]


def test_a_superusers_admin_read_is_in_the_clients_organisation_review(
    client, login, carol, olga, client_n1, other_org
):
    root = make_user("root", other_org, is_staff=True, is_superuser=True)
    client.force_login(root)
    verify(client, root)
    assert client.get(f"/admin/clients/client/{client_n1.pk}/change/").status_code == 200
    row = AuditEvent.objects.get(user=root, action="view", client_id=client_n1.pk)
    assert row.organisation_id == client_n1.organisation_id != other_org.pk
    # The client's organisation sees it: the administrator in the log, the leader in the trail.
    client.logout()
    assert "root" in login(olga).get(reverse("audit_log")).content.decode().lower()
    assert "clients_client_change" in _trail(login(carol), client_n1)


def test_the_hand_over_page_is_audited(login, alice, client_n1):
    episode = client_n1.episodes.get()
    meeting = Meeting.objects.create(
        episode=episode, number=1, date=datetime.date(2026, 3, 1), helper=alice
    )
    rater = episode.raters.get()
    browser = login(alice)
    browser.post(reverse("handover_start", args=[meeting.pk, rater.pk, "ORS"]))
    before = AuditEvent.objects.filter(detail__screen="handover").count()
    page = browser.get(reverse("handover", args=[meeting.pk, rater.pk, "ORS"]))
    assert page.status_code == 200
    row = AuditEvent.objects.filter(detail__screen="handover").get()
    assert before == 0
    assert row.user == alice and row.client_id == client_n1.pk
    assert row.detail["instrument"] == "ORS"
