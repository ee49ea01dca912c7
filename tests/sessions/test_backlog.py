"""Paper and backlog: an episode from a past date, meetings dated in the past and numbered in date
order, a meeting created only when its date is confirmed, deleting an empty meeting, and
withdrawing a form entered by mistake (kept in history, out of the series)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from clients.models import Episode
from kor.models import AuditEvent
from sessions.chart import outcome_panel
from sessions.models import FormResponse, Meeting, WithdrawnForm
from sessions.outcome import episode_outcome
from sessions.services import record_form, start_meeting
from tests.conftest import add_meetings

pytestmark = pytest.mark.django_db

OUTSIDERS = ["carol", "dave", "oscar", "olga"]


def client_ors(episode: Episode) -> list[float]:
    """The client's outcome series as the read model gives it to the chart."""
    return [point.value for point in episode_outcome(episode).raters[0].ors]


@pytest.fixture
def episode(client_n1) -> Episode:
    return client_n1.episodes.get()


def numbers_and_dates(episode) -> list[tuple[int, str]]:
    rows = Meeting.objects.filter(episode=episode).order_by("number")
    return [(m.number, m.date.isoformat()) for m in rows]


# --- An episode from a past date ------------------------------------------------------------------


def test_an_episode_starts_on_a_past_date(login_en, alice, client_n1, episode):
    episode.delete()
    response = login_en(alice).post(
        reverse("episode_start", args=[client_n1.pk]), {"started_on": "2025-11-03"}
    )
    assert response.status_code == 302
    new = client_n1.episodes.get()
    assert new.started_on == datetime.date(2025, 11, 3)
    assert AuditEvent.objects.get(action="create", object_type="clients.episode").detail == {
        "started_on": "2025-11-03"
    }


@pytest.mark.parametrize(
    "value, message",
    [
        ("2099-01-01", "Et forløp kan ikke starte fram i tid."),
        ("2026-01-31", "Klientens forrige forløp ble avsluttet 01.02.2026"),
        ("", "Skriv datoen forløpet startet."),
        ("i går", "Skriv en dato, for eksempel 2026-03-01."),
    ],
)
def test_a_bad_start_date_is_named_beside_the_field(
    login, alice, client_n1, episode, value, message
):
    Episode.objects.filter(pk=episode.pk).update(
        ended_on=datetime.date(2026, 2, 1), end_reason="planned"
    )
    response = login(alice).post(
        reverse("episode_start", args=[client_n1.pk]), {"started_on": value}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html[html.index('id="id_started_on-error"') :][:200]
    assert f'value="{value}"' in html
    assert client_n1.episodes.count() == 1


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_only_a_helper_on_the_case_starts_an_episode(
    request, login_en, client_n1, episode, persona
):
    episode.delete()
    browser = login_en(request.getfixturevalue(persona))
    response = browser.post(
        reverse("episode_start", args=[client_n1.pk]), {"started_on": "2026-01-05"}
    )
    assert response.status_code == 404
    assert not client_n1.episodes.exists()


# --- A meeting created only when its date is confirmed -------------------------------------------


def test_start_meeting_opens_a_page_and_creates_nothing(login_en, alice, client_n1, episode):
    browser = login_en(alice)
    html = browser.get(reverse("client_detail", args=[client_n1.pk])).content.decode()
    assert f'action="{reverse("meeting_new", args=[episode.pk])}"' in html
    response = browser.get(
        reverse("meeting_new", args=[episode.pk]), {"date": "2026-02-01", "format": "individual"}
    )
    assert response.status_code == 200
    assert "It will be meeting 1." in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_new_meeting_page_says_where_a_paper_meeting_falls(login_en, alice, episode):
    add_meetings(episode, ors=[20.0, 22.0], first_date=datetime.date(2026, 1, 5))
    response = login_en(alice).get(
        reverse("meeting_new", args=[episode.pk]), {"date": "2026-01-08", "format": "individual"}
    )
    assert "It will be meeting 2; the later meetings move up by one." in response.content.decode()


def test_a_future_date_is_said_before_confirming(login, alice, episode):
    response = login(alice).get(
        reverse("meeting_new", args=[episode.pk]), {"date": "2099-01-01", "format": "individual"}
    )
    assert "Et møte kan ikke ha en dato fram i tid." in response.content.decode()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_only_a_helper_on_the_case_opens_a_new_meeting(request, login_en, episode, persona):
    browser = login_en(request.getfixturevalue(persona))
    assert browser.get(reverse("meeting_new", args=[episode.pk])).status_code == 404


def test_a_rejected_confirmation_shows_the_page_again_with_the_value(login, alice, episode):
    response = login(alice).post(
        reverse("meeting_start", args=[episode.pk]), {"date": "2025-12-31", "format": "individual"}
    )
    html = response.content.decode()
    assert 'id="id_date-error"' in html and 'value="2025-12-31"' in html
    assert "Bekreft og åpne skjemaene" in html
    assert not Meeting.objects.exists()


# --- Numbers follow the dates -------------------------------------------------------------------


def test_a_paper_meeting_between_two_others_renumbers_them(login_en, alice, episode):
    add_meetings(episode, ors=[20.0, 24.0, 26.0], first_date=datetime.date(2026, 1, 5))
    response = login_en(alice).post(
        reverse("meeting_start", args=[episode.pk]), {"date": "2026-01-15", "format": "individual"}
    )
    paper = Meeting.objects.get(date=datetime.date(2026, 1, 15))
    assert response["Location"] == reverse("meeting_detail", args=[paper.pk])
    assert numbers_and_dates(episode) == [
        (1, "2026-01-05"),
        (2, "2026-01-12"),
        (3, "2026-01-15"),
        (4, "2026-01-19"),
    ]
    event = AuditEvent.objects.get(action="create", object_type="therapy_sessions.meeting")
    assert event.detail["number"] == 3
    moved = event.detail["renumbered"]
    assert moved[str(paper.pk)] == [4, 3] and [3, 4] in moved.values()


def test_the_series_and_chart_follow_the_dates_after_a_paper_form(alice, episode):
    add_meetings(episode, ors=[20.0, 26.0], first_date=datetime.date(2026, 1, 5))
    paper = start_meeting(
        episode=episode, date=datetime.date(2026, 1, 6), format="individual", helper=alice
    )
    rater = episode.raters.get()
    record_form(meeting=paper, rater=rater, instrument="ORS", items=[55, 55, 55, 55], by=alice)
    assert paper.number == 2
    assert client_ors(episode) == [20.0, 22.0, 26.0]
    episode.refresh_from_db()
    assert str(episode.latest_ors) == "26.0" and episode.meeting_count == 3
    panel = outcome_panel(episode_outcome(episode))
    assert [row.date.isoformat() for row in panel.rows] == [
        "2026-01-05",
        "2026-01-06",
        "2026-01-12",
    ]


def test_meeting_numbers_stay_unique(alice, episode):
    rater = episode.raters.get()
    for day in (20, 5, 12, 5, 1):
        meeting = start_meeting(
            episode=episode, date=datetime.date(2026, 1, day), format="individual", helper=alice
        )
        # Paper forms go in as each meeting is entered (an empty repeat is a double submit).
        record_form(meeting=meeting, rater=rater, instrument="ORS", items=[50] * 4, by=alice)
    numbers = list(Meeting.objects.filter(episode=episode).values_list("number", flat=True))
    assert sorted(numbers) == [1, 2, 3, 4, 5]
    dates = [d for _n, d in numbers_and_dates(episode)]
    assert dates == sorted(dates)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            episode=episode, number=3, date=datetime.date(2026, 1, 2), helper=alice
        )


# --- Deleting an empty meeting ------------------------------------------------------------------


def test_an_empty_meeting_is_deleted_and_the_later_ones_move_down(login_en, alice, episode):
    add_meetings(episode, ors=[20.0], first_date=datetime.date(2026, 1, 5))
    stray = start_meeting(
        episode=episode, date=datetime.date(2026, 1, 6), format="individual", helper=alice
    )
    add_meetings(episode, ors=[22.0], first_date=datetime.date(2026, 1, 19))
    browser = login_en(alice)
    html = browser.get(reverse("meeting_detail", args=[stray.pk])).content.decode()
    assert "Delete this empty meeting" in html
    response = browser.post(reverse("meeting_delete", args=[stray.pk]))
    assert response.status_code == 302
    assert numbers_and_dates(episode) == [(1, "2026-01-05"), (2, "2026-01-19")]
    event = AuditEvent.objects.get(action="delete", detail__what="empty_meeting")
    assert event.detail["before"]["number"] == 2 and event.object_id == str(stray.pk)
    episode.refresh_from_db()
    assert episode.meeting_count == 2


def test_a_meeting_with_forms_is_not_deleted(login_en, alice, episode):
    add_meetings(episode, ors=[20.0])
    meeting = Meeting.objects.get()
    browser = login_en(alice)
    assert (
        "Delete this empty meeting"
        not in browser.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    )
    response = browser.post(reverse("meeting_delete", args=[meeting.pk]), follow=True)
    assert "has forms and was not deleted" in response.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_only_a_helper_on_the_case_deletes_a_meeting(request, login_en, alice, episode, persona):
    meeting = start_meeting(
        episode=episode, date=datetime.date(2026, 1, 6), format="individual", helper=alice
    )
    browser = login_en(request.getfixturevalue(persona))
    assert browser.post(reverse("meeting_delete", args=[meeting.pk])).status_code == 404
    assert Meeting.objects.filter(pk=meeting.pk).exists()


# --- Withdrawing a form entered by mistake -------------------------------------------------------


@pytest.fixture
def three(episode) -> FormResponse:
    """Three meetings, ORS 20, 30 (the mistake), 22; returns the mistaken form."""
    add_meetings(episode, ors=[20.0, 30.0, 22.0], srs=[38.0, 38.0, 38.0])
    return FormResponse.objects.get(instrument="ORS", total=300)


def withdraw_url(form: FormResponse) -> str:
    return reverse("form_withdraw", args=[form.meeting_id, form.rater_id, form.instrument])


def test_a_withdrawn_form_leaves_the_series_and_is_kept_with_its_reason(
    login_en, alice, episode, three
):
    browser = login_en(alice)
    html = browser.get(reverse("meeting_detail", args=[three.meeting_id])).content.decode()
    assert withdraw_url(three) in html
    response = browser.post(withdraw_url(three), {"reason": "Registrert på feil klient"})
    assert response.status_code == 302
    assert not FormResponse.objects.filter(pk=three.pk).exists()
    kept = WithdrawnForm.objects.get()
    assert (kept.total, kept.meeting_number, kept.reason) == (300, 2, "Registrert på feil klient")
    assert kept.withdrawn_by == alice and kept.item1 == three.item1
    assert client_ors(episode) == [20.0, 22.0]
    panel = outcome_panel(episode_outcome(episode))
    assert "30.0" not in str(panel.figure) and "30,0" not in str(panel.rows)
    event = AuditEvent.objects.get(action="delete", detail__what="withdraw_form")
    assert event.detail["before"]["total"] == 300 and event.detail["reason"]
    # The meeting page lists it, out of the chart.
    html = browser.get(reverse("meeting_detail", args=[three.meeting_id])).content.decode()
    assert "Withdrawn forms" in html and "Registrert på feil klient" in html


def test_a_withdrawal_needs_a_reason(login, alice, three):
    response = login(alice).post(withdraw_url(three), {"reason": "  "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv hvorfor skjemaet trekkes tilbake" in html
    assert FormResponse.objects.filter(pk=three.pk).exists() and not WithdrawnForm.objects.exists()


def test_a_double_withdrawal_keeps_one_copy(login_en, alice, three):
    browser = login_en(alice)
    browser.post(withdraw_url(three), {"reason": "feil"})
    response = browser.post(withdraw_url(three), {"reason": "feil"}, follow=True)
    assert "already been withdrawn" in response.content.decode()
    assert WithdrawnForm.objects.count() == 1


def test_the_slot_can_be_filled_again_after_a_withdrawal(login_en, alice, episode, three):
    login_en(alice).post(withdraw_url(three), {"reason": "feil tall"})
    record_form(
        meeting=three.meeting, rater=three.rater, instrument="ORS", items=[52] * 4, by=alice
    )
    assert client_ors(episode) == [20.0, 20.8, 22.0]
    assert WithdrawnForm.objects.count() == 1


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_only_a_helper_on_the_case_withdraws(request, login_en, three, persona):
    browser = login_en(request.getfixturevalue(persona))
    assert browser.get(withdraw_url(three)).status_code == 404
    assert browser.post(withdraw_url(three), {"reason": "x"}).status_code == 404
    assert FormResponse.objects.filter(pk=three.pk).exists() and not WithdrawnForm.objects.exists()


def test_htmx_asks_where_a_changed_date_falls(login_en, alice, episode):
    add_meetings(episode, ors=[20.0, 22.0], first_date=datetime.date(2026, 1, 6))
    response = login_en(alice).get(
        reverse("meeting_new", args=[episode.pk]),
        {"date": "2026-01-05", "format": "individual"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.strip().startswith('<p class="muted" id="new-number"')
    assert "It will be meeting 1; the later meetings move up by one." in html
    assert "<html" not in html


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="real row locks need PostgreSQL (SQLite serialises all writes anyway)",
)
@pytest.mark.django_db(transaction=True)
def test_two_helpers_entering_paper_meetings_at_once_keep_the_numbers_in_date_order(
    alice, bob, episode
):
    import threading

    from django.db import connection, connections

    add_meetings(episode, ors=[20.0, 22.0], first_date=datetime.date(2026, 1, 5))
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def enter(helper, day):
        try:
            barrier.wait()
            start_meeting(
                episode=episode,
                date=datetime.date(2026, 1, day),
                format="individual",
                helper=helper,
            )
        except Exception as error:  # shown by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enter, args=a) for a in ((alice, 6), (bob, 7))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert numbers_and_dates(episode) == [
        (1, "2026-01-05"),
        (2, "2026-01-06"),
        (3, "2026-01-07"),
        (4, "2026-01-12"),
    ]
    assert connection.vendor == "postgresql"
