"""The audit log: an entry for every kind of access, append-only in the database, reviewable."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction

from kor.models import AuditEvent
from tests.conftest import PASSWORD


def _last(**filters) -> AuditEvent:
    return AuditEvent.objects.filter(**filters).order_by("-id").first()


def test_it_logs_reading_a_client(login, alice, client_n1):
    login(alice).get(f"/clients/{client_n1.pk}/", REMOTE_ADDR="10.1.2.3")
    event = _last(action="view", client_id=client_n1.pk)
    assert event.user == alice
    assert event.organisation_id == alice.organisation_id
    assert event.object_type == "clients.client"
    assert event.object_id == str(client_n1.pk)
    assert event.ip == "10.1.2.3"
    assert event.path == f"/clients/{client_n1.pk}/"


def test_it_logs_exports(login, alice, client_n1):
    c = login(alice)
    c.get(f"/clients/{client_n1.pk}/export.json")
    c.get(f"/clients/{client_n1.pk}/export.pdf")
    formats = sorted(
        e.detail["format"]
        for e in AuditEvent.objects.filter(action="export", client_id=client_n1.pk)
    )
    assert formats == ["json", "pdf"]


def test_it_logs_anonymising_and_erasing(login, alice, client_n1):
    c = login(alice)
    c.post(f"/clients/{client_n1.pk}/anonymise/", {"anon-confirm": "N-001"})
    assert _last(action="anonymise").client_id == client_n1.pk
    c.post(f"/clients/{client_n1.pk}/erase/", {"erase-confirm": f"ANON-{client_n1.pk}"})
    erased = _last(action="delete")
    assert erased.client_id == client_n1.pk
    assert erased.detail["erased"] is True


def test_it_logs_logins_failures_and_logouts(client, alice):
    client.post("/login/", {"username": "alice", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    failed = _last(action="login_failed")
    assert failed.user is None
    assert failed.detail["username"] == "alice"
    assert failed.ip == "10.9.9.9"
    assert failed.organisation_id == alice.organisation_id

    client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert _last(action="login").user == alice
    client.post("/logout/")
    assert _last(action="logout").user == alice


def test_it_logs_a_write_in_the_same_transaction(login, alice, client_n1):
    # A view that fails after writing leaves neither the row nor its audit entry.
    from django.test import RequestFactory

    from kor.audit import audit

    request = RequestFactory().get("/")
    request.user = alice
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit(request, "update", client_n1)
        raise RuntimeError("the save failed")
    assert AuditEvent.objects.count() == before


def test_the_database_refuses_to_change_or_delete_an_entry(login, alice, client_n1):
    login(alice).get(f"/clients/{client_n1.pk}/")
    event = _last(action="view")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="create")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM kor_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_a_leader_reviews_a_clients_trail(login_verified, login, alice, carol, client_n1):
    login(alice).get(f"/clients/{client_n1.pk}/")
    response = login_verified(carol).get(f"/audit/clients/{client_n1.pk}/")
    assert response.status_code == 200
    assert "N-001" in response.text
    assert "Alice" in response.text
    # Reading the trail is itself in the trail.
    assert _last(user=carol, action="view").detail["review"] == "audit_log"


def test_a_leader_reviews_a_users_trail(login_verified, login, alice, carol, client_n1):
    login(alice).get(f"/clients/{client_n1.pk}/")
    response = login_verified(carol).get(f"/audit/users/{alice.pk}/")
    assert response.status_code == 200
    assert f"/audit/clients/{client_n1.pk}/" in response.text


def test_a_leader_cannot_review_another_teams_client_or_helper(
    login_verified, erin, dave, client_n1, alice
):
    c = login_verified(erin)
    assert c.get(f"/audit/clients/{client_n1.pk}/").status_code == 404
    assert c.get(f"/audit/users/{alice.pk}/").status_code == 404
    assert c.get(f"/audit/users/{dave.pk}/").status_code == 200


def test_an_org_admin_reviews_the_whole_organisation(login_verified, login, olga, alice, client_n1):
    login(alice).get(f"/clients/{client_n1.pk}/")
    c = login_verified(olga)
    assert c.get(f"/audit/clients/{client_n1.pk}/").status_code == 200
    assert c.get(f"/audit/users/{alice.pk}/").status_code == 200


def test_an_org_admin_sees_nothing_of_another_organisation(login_verified, olga, client_x1, oscar):
    c = login_verified(olga)
    assert c.get(f"/audit/clients/{client_x1.pk}/").status_code == 404
    assert c.get(f"/audit/users/{oscar.pk}/").status_code == 404


def test_a_helper_reviews_nothing(login, alice, client_n1):
    c = login(alice)
    assert c.get("/audit/").status_code == 403
    assert c.get(f"/audit/clients/{client_n1.pk}/").status_code == 403
    assert c.get("/audit/export.csv").status_code == 403


def test_it_exports_the_trail_as_csv(login_verified, login, alice, carol, client_n1):
    login(alice).get(f"/clients/{client_n1.pk}/")
    response = login_verified(carol).get(f"/audit/export.csv?client={client_n1.pk}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {"view"} <= {r["action"] for r in rows}
    assert {r["case_code"] for r in rows} == {"N-001"}
    assert any(r["user"] == "alice" for r in rows)
    assert _last(user=carol, action="export").detail["review"] == "audit_log"


def test_the_export_defuses_spreadsheet_formulas(login_verified, login, alice, carol, client_n1):
    type(alice).objects.filter(pk=alice.pk).update(username="=HYPERLINK(1)")
    alice.refresh_from_db()
    login(alice).get(f"/clients/{client_n1.pk}/")
    response = login_verified(carol).get(f"/audit/export.csv?client={client_n1.pk}")
    text = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in text


@pytest.mark.django_db(transaction=True)
def test_emptying_the_whole_database_still_works(alice, client_n1):
    # Transactional tests end with `flush`, which must get past the append-only triggers
    # (and put them back: the next test's refusals above depend on it).
    AuditEvent.objects.create(user=alice, action="view", client_id=client_n1.pk)
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    event = AuditEvent.objects.create(action="view")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_clinical_admin_pages_are_for_superusers_and_audited(client, org, client_n1):
    from tests.conftest import make_user
    from tests.security.conftest import verify

    staff = make_user("sam", org, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_client"))
    client.force_login(staff)
    verify(client, staff)
    assert client.get(f"/admin/clients/client/{client_n1.pk}/change/").status_code == 403

    root = make_user("root", org, is_staff=True, is_superuser=True)
    client.force_login(root)
    verify(client, root)
    assert client.get(f"/admin/clients/client/{client_n1.pk}/change/").status_code == 200
    event = _last(user=root, action="view")
    assert event.client_id == client_n1.pk
    assert event.detail["admin"] == "clients_client_change"


def test_the_header_links_the_audit_log_for_reviewers_only(login, alice, carol):
    assert "/audit/" not in login(alice).get("/caseload/").text
    assert "/audit/" in login(carol).get("/team/").text


def test_a_list_page_can_log_every_client_it_shows(alice, client_n1, org, north):
    from django.test import RequestFactory

    from kor.audit import audit_many
    from tests.conftest import make_client

    other = make_client(org, north, alice, "N-002")
    request = RequestFactory().get("/caseload/", REMOTE_ADDR="10.0.0.1")
    request.user = alice
    assert audit_many(request, "view", [client_n1, other.episodes.get()], page="caseload") == 2
    events = AuditEvent.objects.filter(path="/caseload/")
    assert sorted(events.values_list("client_id", flat=True)) == sorted([client_n1.pk, other.pk])
    assert {e.ip for e in events} == {"10.0.0.1"}


@pytest.mark.parametrize(
    "hops, forwarded, expected",
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy of ours: the header is the sender's word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged first entry is ignored
        (2, "203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (1, "not-an-address", "10.0.0.2"),
        (2, "203.0.113.9", "10.0.0.2"),
    ],
)
def test_the_address_comes_only_from_our_own_proxies(settings, hops, forwarded, expected):
    from django.test import RequestFactory

    from kor.audit import client_address

    settings.PROXY_HOPS = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
