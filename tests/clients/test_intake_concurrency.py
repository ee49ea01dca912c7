"""Two intakes at once on PostgreSQL: the same form twice makes one client; two forms get two
numbers of the organisation's sequence."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import RequestFactory

from clients.intake import register_client
from clients.models import Client, ClientLanguage

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="real row locks need PostgreSQL (SQLite serialises all writes anyway)",
    ),
    pytest.mark.django_db(transaction=True),
]


def intake_at_once(alice, north, tokens: list[uuid.UUID]) -> list[Client]:
    barrier = threading.Barrier(len(tokens))
    made: list[Client] = []
    language = ClientLanguage.objects.get(code="nb")

    def register(token):
        request = RequestFactory().post("/clients/new/")
        request.user = alice
        data = {
            "token": token,
            "case_code": "",
            "team": north,
            "helper": alice,
            "birth_year": 1990,
            "age_group": "",
            "language": language,
            "forms_consent": "not_asked",
            "forms_consent_on": None,
            "started_on": datetime.date(2026, 11, 2),
        }
        try:
            barrier.wait()
            made.append(register_client(request, data=data, by=alice)[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert connection.vendor == "postgresql"
    return made


def test_the_same_form_twice_at_once_makes_one_client(org, alice, north):
    org.case_code_pattern = "K-{seq:03d}"
    org.save()
    token = uuid.uuid4()
    made = intake_at_once(alice, north, [token, token])
    assert len(made) == 2 and made[0].pk == made[1].pk
    assert list(Client.objects.values_list("case_code", flat=True)) == ["K-001"]


def test_two_intakes_at_once_get_two_numbers(org, alice, north):
    org.case_code_pattern = "K-{seq:03d}"
    org.save()
    intake_at_once(alice, north, [uuid.uuid4(), uuid.uuid4()])
    assert sorted(Client.objects.values_list("case_code", flat=True)) == ["K-001", "K-002"]
