"""Intake: a helper or leader registers a new client from the caseload."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import CaseCodeSequence, Client, Episode, Rater
from kor.models import AuditEvent

URL = "/clients/new/"


def intake_data(team_, helper, **overrides) -> dict:
    data = {
        "token": str(uuid.uuid4()),
        "case_code": "N-100",
        "birth_year": "1990",
        "age_group": "",
        "team": team_.pk,
        "responsible_helper": helper.pk,
        "language": "nb",
        "forms_consent": "yes",
        "forms_consent_on": "2026-11-02",
        "started_on": "2026-11-02",
    }
    return data | overrides


def test_it_shows_the_new_client_link_on_the_caseload(login, alice):
    page = login(alice).get(reverse("caseload")).content.decode()
    assert f'href="{URL}"' in page
    assert "Ny klient" in page


def test_it_offers_the_form_with_me_as_responsible_helper(login, alice, bob):
    response = login(alice).get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["responsible_helper"].value() == alice.pk
    assert {pk for pk, _label in form.fields["responsible_helper"].choices} == {alice.pk, bob.pk}


def test_it_registers_a_client_with_the_first_episode(login, alice, north):
    response = login(alice).post(URL, intake_data(north, alice))
    client = Client.objects.get(case_code="N-100")
    assert response.status_code == 302
    assert response["Location"] == reverse("client_detail", args=[client.pk])
    assert client.responsible_helper == alice
    assert client.team == north
    assert client.language_id == "nb"
    assert client.forms_consent == "yes"
    assert client.forms_consent_on == datetime.date(2026, 11, 2)
    episode = client.episodes.get()
    # A past start date is kept: paper forms from that day can be entered.
    assert episode.started_on == datetime.date(2026, 11, 2)
    assert episode.age_group == "adult"
    assert episode.raters.get().relation == Rater.Relation.CLIENT


def test_it_audits_the_intake_with_the_fields(login, alice, north):
    login(alice).post(URL, intake_data(north, alice))
    client = Client.objects.get(case_code="N-100")
    row = AuditEvent.objects.get(action="create", object_type="clients.client")
    assert row.client_id == client.pk
    assert row.user == alice
    assert row.detail["after"]["case_code"] == "N-100"
    assert row.detail["after"]["birth_year"] == 1990
    assert row.detail["after"]["forms_consent_on"] == "2026-11-02"
    assert AuditEvent.objects.filter(action="create", object_type="clients.episode").count() == 1


def test_it_takes_an_age_group_when_the_birth_year_is_unknown(login, alice, north):
    login(alice).post(URL, intake_data(north, alice, birth_year="", age_group="adolescent"))
    client = Client.objects.get(case_code="N-100")
    assert client.birth_year is None
    assert client.episodes.get().age_group == "adolescent"


def test_it_lets_a_leader_register_for_a_helper_of_the_team(login, carol, alice, north):
    response = login(carol).post(URL, intake_data(north, alice))
    client = Client.objects.get(case_code="N-100")
    assert client.responsible_helper == alice
    assert response["Location"] == reverse("client_detail", args=[client.pk])


def test_it_generates_the_code_from_the_organisations_pattern(login, alice, north, org):
    org.case_code_pattern = "{year}-{seq:04d}"
    org.save()
    year = timezone.localdate().year
    page = login(alice).get(URL).content.decode()
    assert f"{year}-0001" in page  # the hint; nothing is taken yet
    assert not CaseCodeSequence.objects.exists()
    Client.objects.create(  # typed by hand earlier: the sequence skips it
        organisation=org,
        team=north,
        responsible_helper=alice,
        case_code=f"{year}-0001",
        birth_year=1980,
    )
    login(alice).post(URL, intake_data(north, alice, case_code=""))
    login(alice).post(URL, intake_data(north, alice, case_code=""))
    codes = set(Client.objects.values_list("case_code", flat=True))
    assert codes == {f"{year}-0001", f"{year}-0002", f"{year}-0003"}


def test_it_refuses_a_case_code_in_use(login, alice, north, client_n1):
    response = login(alice).post(URL, intake_data(north, alice, case_code="n-001"))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["case_code"] == [
        "Saksnummeret n-001 er allerede i bruk i organisasjonen din. Velg et annet."
    ]
    assert 'value="n-001"' in response.content.decode()  # what was typed is kept
    assert Client.objects.count() == 1


def test_a_double_submit_makes_one_client(login, alice, north):
    browser = login(alice)
    data = intake_data(north, alice)
    first = browser.post(URL, data)
    second = browser.post(URL, data)
    assert Client.objects.filter(case_code="N-100").count() == 1
    assert Episode.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


BAD = [
    ("case_code", "", "Skriv saksnummeret."),
    ("case_code", "N 1!", "Bruk bare bokstaver"),
    ("birth_year", "1800", "Skriv et fødselsår fra"),
    ("birth_year", "", "Skriv fødselsåret, eller velg en aldersgruppe"),
    ("age_group", "child", "Fødselsåret gir en annen aldersgruppe"),
    ("team", "999999", "Velg et gyldig valg"),
    ("responsible_helper", "999999", "Velg et gyldig valg"),
    ("language", "xx", "Velg et gyldig valg"),
    ("forms_consent", "maybe", "Velg et gyldig valg"),
    ("forms_consent_on", "", "Skriv datoen klienten svarte."),
    ("forms_consent_on", "2999-01-01", "Datoen kan ikke være fram i tid."),
    ("started_on", "", "Skriv dagen forløpet startet."),
    ("started_on", "2999-01-01", "Et forløp kan ikke starte fram i tid."),
    ("started_on", "1985-01-01", "Forløpet kan ikke starte før klientens fødselsår."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD, ids=[f"{f}={v}" for f, v, _m in BAD])
def test_it_says_what_is_wrong_next_to_the_field(login, alice, north, field, value, message):
    response = login(alice).post(URL, intake_data(north, alice, **{field: value}))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page  # the message sits with its field
    assert 'value="N-100"' in page or field == "case_code"
    assert not Client.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_it_refuses_a_helper_of_another_team(login, alice, dave, north):
    response = login(alice).post(URL, intake_data(north, dave))
    assert response.status_code == 400
    assert not Client.objects.exists()


def test_it_refuses_a_team_the_user_is_not_in(login, alice, south, dave):
    response = login(alice).post(URL, intake_data(south, alice))
    assert response.status_code == 400
    assert "team" in response.context["form"].errors
    assert not Client.objects.exists()


def test_an_organisation_administrator_takes_in_no_client(login, olga, north, alice):
    browser = login(olga)
    assert browser.get(URL).status_code == 404
    assert browser.post(URL, intake_data(north, alice)).status_code == 404
    assert not Client.objects.exists()


def test_it_asks_no_name_where_names_are_not_shown(login, alice, north, org):
    browser = login(alice)
    assert 'name="name"' not in browser.get(URL).content.decode()
    browser.post(URL, intake_data(north, alice, name="Kari Nordmann"))
    assert Client.objects.get().name == ""
    org.show_client_names = True
    org.save()
    assert 'name="name"' in browser.get(URL).content.decode()
    browser.post(URL, intake_data(north, alice, case_code="N-101", name="Kari Nordmann"))
    assert Client.objects.get(case_code="N-101").name == "Kari Nordmann"
    # The name never goes into the audit trail.
    rows = AuditEvent.objects.filter(object_type="clients.client", action="create")
    assert all("Kari" not in str(row.detail) for row in rows)
