"""What each audit row says, written through the one writer (kor.audit.record / record_many).

These rows were once built by hand in seven places; each test pins one of them whole (who, which
organisation, what, which client, from where, the detail), so moving them to the writer changed
nothing a reviewer reads. Then the writer itself, with and without a request.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from clients.models import Client, ReportJob
from kor.audit import record, record_many
from kor.models import AuditEvent
from sessions.services import record_form
from tests.conftest import PASSWORD
from tests.reports.team_fixtures import END, START, build_north

FIELDS = (
    "user_id",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "client_id",
    "ip",
    "path",
    "detail",
)


def rows(**filters) -> list[dict]:
    events = AuditEvent.objects.filter(**filters).order_by("id")
    return [{f: getattr(e, f) for f in FIELDS} for e in events]


def row(**values) -> dict:
    empty = dict.fromkeys(FIELDS, None) | {"object_type": "", "object_id": "", "path": ""}
    return empty | {"detail": {}} | values


# --- Logging in --------------------------------------------------------------------------------


def test_a_login_names_the_person_and_not_the_next_page(client, alice):
    client.post("/login/?next=/caseload/", {"username": "alice", "password": PASSWORD})

    assert rows(action="login") == [
        row(user_id=alice.pk, organisation_id=alice.organisation_id, action="login",
            ip="127.0.0.1", path="/login/")
    ]  # fmt: skip


def test_a_failed_login_names_the_typed_name_and_its_organisation(client, alice):
    client.post("/login/", {"username": "alice", "password": "nope"}, REMOTE_ADDR="10.0.0.7")
    client.post("/login/", {"username": "nobody", "password": "nope"}, REMOTE_ADDR="10.0.0.7")

    assert rows(action="login_failed") == [
        row(organisation_id=alice.organisation_id, action="login_failed", ip="10.0.0.7",
            path="/login/", detail={"username": "alice"}),
        row(action="login_failed", ip="10.0.0.7", path="/login/", detail={"username": "nobody"}),
    ]  # fmt: skip


def test_a_logout_is_recorded(login, alice):
    login(alice).post("/logout/")

    assert rows(action="logout") == [
        row(user_id=alice.pk, organisation_id=alice.organisation_id, action="logout",
            ip="127.0.0.1", path="/logout/")
    ]  # fmt: skip


def test_a_wrong_second_step_code_is_recorded(client, carol):
    TOTPDevice.objects.create(user=carol, name="app", confirmed=True)
    client.force_login(carol)
    client.post("/account/two-factor/?next=/team/", {"token": "000000"})

    assert rows(detail__second_factor="wrong_code") == [
        row(user_id=carol.pk, organisation_id=carol.organisation_id, action="login",
            ip="127.0.0.1", path="/account/two-factor/", detail={"second_factor": "wrong_code"})
    ]  # fmt: skip


def test_an_administrators_reset_through_the_django_admin_is_refused_and_recorded(
    login, olga, carol
):
    # /admin/ is for superusers only; an organisation administrator resets a second step in
    # the product (tests/orgadmin), never here.
    olga.is_staff = True
    olga.save()
    TOTPDevice.objects.create(user=carol, name="phone", confirmed=True)
    login(olga).post(
        "/admin/kor/user/?o=1",
        {"action": "reset_second_factor", "_selected_action": [carol.pk]},
    )

    assert TOTPDevice.objects.filter(user=carol).exists()
    assert rows(action="update", object_type="kor.user") == [
        row(user_id=olga.pk, organisation_id=olga.organisation_id, action="update",
            object_type="kor.user", object_id=str(olga.pk), ip="127.0.0.1",
            path="/admin/kor/user/?o=1",
            detail={"administration": "admin_refused", "admin": "kor_user_changelist"})
    ]  # fmt: skip


# --- Forms -----------------------------------------------------------------------------------


def test_a_form_recorded_without_a_request_names_who_entered_it(alice, client_n1):
    from sessions.models import Meeting

    episode = client_n1.episodes.get()
    meeting = Meeting.objects.create(
        episode=episode, number=1, date=datetime.date(2026, 1, 5), helper=alice
    )
    recorded = record_form(
        meeting=meeting,
        rater=episode.raters.get(),
        instrument="ORS",
        items=[50, 50, 50, 50],
        by=alice,
    )

    assert rows(object_type="therapy_sessions.formresponse") == [
        row(user_id=alice.pk, organisation_id=alice.organisation_id, action="create",
            object_type="therapy_sessions.formresponse", object_id=str(recorded.response.pk),
            client_id=client_n1.pk, detail={"instrument": "ORS", "status": "completed"})
    ]  # fmt: skip


# --- Reports -----------------------------------------------------------------------------------


def test_a_downloaded_team_report_leaves_a_row_per_client_it_shows(
    login, org, north, alice, bob, carol
):
    north_clients = build_north(org, north, alice, bob)
    browser = login(carol)
    browser.post(
        "/reports/team/",
        {
            "team": north.pk,
            "period_start": START.isoformat(),
            "period_end": END.isoformat(),
            "kind": "team",
            "language": "en",
        },
    )
    job = ReportJob.objects.get()
    b"".join(browser.get(f"/reports/jobs/{job.pk}/download/?x=1").streaming_content)

    f = north_clients["F"]
    common = {
        "user_id": carol.pk,
        "organisation_id": org.pk,
        "action": "print",
        "ip": "127.0.0.1",
        "path": f"/reports/jobs/{job.pk}/download/?x=1",
        "detail": {"report": "team", "job": str(job.pk), "team": north.pk},
    }
    assert rows(action="print") == [
        row(**common, object_type="clients.reportjob", object_id=str(job.pk)),
        row(**common, object_type="clients.client", object_id=str(f.pk), client_id=f.pk),
    ]


def test_the_client_report_command_leaves_a_row_without_a_person(tmp_path, client_n1):
    out = tmp_path / "n1.pdf"
    call_command("client_report", "N-001", "-o", str(out), stdout=None)

    assert rows(action="print") == [
        row(organisation_id=client_n1.organisation_id, action="print",
            object_type="clients.client", object_id=str(client_n1.pk), client_id=client_n1.pk,
            path="manage.py client_report",
            detail={"report": "client", "lang": "nb", "output": str(out)})
    ]  # fmt: skip


def test_the_team_report_command_leaves_a_row_for_the_team_and_each_client(
    tmp_path, org, north, alice, bob
):
    f = build_north(org, north, alice, bob)["F"]
    out = tmp_path / "north.pdf"
    call_command(
        "team_report", "North", "--from", "2026-01-01", "--to", "2026-12-31", "-o", str(out)
    )

    common = {
        "organisation_id": org.pk,
        "action": "print",
        "path": "manage.py team_report",
        "detail": {"report": "team", "from": "2026-01-01", "to": "2026-12-31"},
    }
    assert rows(action="print") == [
        row(**common, object_type="kor.team", object_id=str(north.pk)),
        row(**common, object_type="clients.client", object_id=str(f.pk), client_id=f.pk),
    ]


# --- The writer ------------------------------------------------------------------------------


@pytest.fixture
def request_of(alice):
    def _request(user, path="/clients/7/?tab=goals", ip="10.1.2.3"):
        request = RequestFactory().get(path, REMOTE_ADDR=ip)
        request.user = user
        return request

    return _request


def test_record_with_a_request_says_where_it_came_from(request_of, alice, client_n1):
    record("view", client_n1, user=alice, request=request_of(alice), page="client")

    assert rows() == [
        row(user_id=alice.pk, organisation_id=alice.organisation_id, action="view",
            object_type="clients.client", object_id=str(client_n1.pk), client_id=client_n1.pk,
            ip="10.1.2.3", path="/clients/7/?tab=goals", detail={"page": "client"})
    ]  # fmt: skip


def test_record_without_a_request_has_no_address(alice, client_n1):
    episode = client_n1.episodes.get()
    record("update", episode, user=alice, reason="test")

    assert rows() == [
        row(user_id=alice.pk, organisation_id=alice.organisation_id, action="update",
            object_type="clients.episode", object_id=str(episode.pk), client_id=client_n1.pk,
            detail={"reason": "test"})
    ]  # fmt: skip


def test_record_names_no_one_for_an_anonymous_visitor(request_of, org):
    from django.contrib.auth.models import AnonymousUser

    record("view", None, user=AnonymousUser(), request=request_of(AnonymousUser()))

    assert rows() == [row(action="view", ip="10.1.2.3", path="/clients/7/?tab=goals")]


def test_record_many_writes_one_row_per_object_in_one_insert(
    request_of, alice, client_n1, django_assert_num_queries
):
    episode = client_n1.episodes.get()
    with django_assert_num_queries(1):
        count = record_many(
            "view", [client_n1, episode, Client(pk=99)], user=alice, request=request_of(alice)
        )

    assert count == 3
    assert [(r["object_type"], r["client_id"]) for r in rows()] == [
        ("clients.client", client_n1.pk),
        ("clients.episode", client_n1.pk),
        ("clients.client", 99),
    ]
    assert {r["path"] for r in rows()} == {"/clients/7/?tab=goals"}
