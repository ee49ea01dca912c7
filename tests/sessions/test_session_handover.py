"""Hand-over mode: the client sees only the form; the way back asks for the helper's password."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from kor.models import AuditEvent
from sessions.handover import MAX_UNLOCK_ATTEMPTS
from sessions.models import FormResponse, Handover, Meeting
from tests.conftest import PASSWORD, add_meetings

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(client_n1) -> Meeting:
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[20.0, 25.0], srs=[36.0, 38.0])
    return Meeting.objects.create(
        episode=episode,
        number=3,
        date=datetime.date(2026, 3, 1),
        helper=client_n1.responsible_helper,
    )


def start(browser, meeting, instrument="ORS"):
    rater = meeting.episode.raters.get()
    return browser.post(reverse("handover_start", args=[meeting.pk, rater.pk, instrument]))


def handover_url(meeting, instrument="ORS") -> str:
    rater = meeting.episode.raters.get()
    return reverse("handover", args=[meeting.pk, rater.pk, instrument])


def test_the_client_sees_only_the_form(login_en, alice, meeting):
    browser = login_en(alice)
    response = start(browser, meeting)
    assert response["Location"] == handover_url(meeting)
    html = browser.get(handover_url(meeting)).content.decode()
    assert "Outcome Rating Scale" in html and 'role="slider"' in html
    assert "N-001" not in html  # no case code or name
    assert "My caseload" not in html and "<nav" not in html  # no navigation
    assert "chart-data" not in html and "25.0" not in html  # no other scores
    assert "Hand the tablet" not in html


def test_every_other_page_leads_back_to_the_form(login_en, alice, meeting, client_n1):
    browser = login_en(alice)
    start(browser, meeting)
    for url in (
        reverse("client_detail", args=[client_n1.pk]),
        reverse("meeting_detail", args=[meeting.pk]),
        reverse("caseload"),
        handover_url(meeting, "SRS"),
    ):
        response = browser.get(url)
        assert response.status_code == 302 and response["Location"] == handover_url(meeting)


def test_the_client_saves_the_form_and_sees_no_scores(login_en, alice, meeting):
    browser = login_en(alice)
    start(browser, meeting)
    rater = meeting.episode.raters.get()
    prefix = f"r{rater.pk}-ORS-"
    data = {prefix + "status": "completed", prefix + "version": "new"}
    data |= {f"{prefix}item{i}": "7.5" for i in range(1, 5)}
    response = browser.post(
        reverse("save_form", args=[meeting.pk, rater.pk, "ORS"]), data, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Thank you! Give the tablet back to your helper." in html
    assert "hx-swap-oob" not in html and "status-" not in html
    assert FormResponse.objects.get(meeting=meeting).total == 300


def test_the_client_cannot_save_another_form(login_en, alice, meeting):
    browser = login_en(alice)
    start(browser, meeting)
    rater = meeting.episode.raters.get()
    response = browser.post(reverse("save_form", args=[meeting.pk, rater.pk, "SRS"]), {})
    assert response.status_code == 302
    assert not FormResponse.objects.filter(meeting=meeting).exists()


def test_the_helper_returns_with_the_password(login_en, alice, meeting):
    browser = login_en(alice)
    start(browser, meeting)
    response = browser.post(reverse("handover_unlock"), {"password": PASSWORD})
    assert response["Location"] == reverse("meeting_detail", args=[meeting.pk])
    assert browser.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 200


def test_a_wrong_password_keeps_the_form_locked(login_en, alice, meeting):
    browser = login_en(alice)
    start(browser, meeting)
    response = browser.post(reverse("handover_unlock"), {"password": "guess"})
    assert response.status_code == 403
    html = response.content.decode()
    assert f"Wrong password. {MAX_UNLOCK_ATTEMPTS - 1} tries left" in html
    # The box comes from the form's PasswordInput, marked invalid and tied to its message.
    assert (
        '<input type="password" name="password" autocomplete="current-password" required '
        'aria-invalid="true" aria-describedby="id_password_error" id="id_password">'
    ) in html
    assert '<p class="field-error" id="id_password_error" role="alert">' in html
    assert browser.get(reverse("meeting_detail", args=[meeting.pk])).status_code == 302


def test_too_many_wrong_passwords_log_the_helper_out(login_en, alice, meeting):
    browser = login_en(alice)
    start(browser, meeting)
    for _ in range(MAX_UNLOCK_ATTEMPTS):
        response = browser.post(reverse("handover_unlock"), {"password": "guess"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = browser.get(reverse("meeting_detail", args=[meeting.pk]))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["carol", "dave"])
def test_only_a_helper_on_the_case_may_hand_over(request, login_en, meeting, persona):
    browser = login_en(request.getfixturevalue(persona))
    assert start(browser, meeting).status_code == 404
    assert "handover" not in browser.session


def test_the_hand_over_page_without_the_mode_goes_back_to_the_meeting(login_en, alice, meeting):
    response = login_en(alice).get(handover_url(meeting))
    assert response["Location"] == reverse("meeting_detail", args=[meeting.pk])


def test_a_bad_value_in_hand_over_comes_back_in_the_hand_over_page(login_en, alice, meeting):
    browser = login_en(alice)
    start(browser, meeting)
    rater = meeting.episode.raters.get()
    prefix = f"r{rater.pk}-ORS-"
    data = {prefix + "status": "completed", prefix + "item1": "11"}
    response = browser.post(reverse("save_form", args=[meeting.pk, rater.pk, "ORS"]), data)
    html = response.content.decode()
    assert "Use a number from 0 to 10." in html and 'value="11"' in html
    assert "Helper&#x27;s password" in html or "Helper's password" in html
    assert "<nav" not in html and "chart-data" not in html


def test_unlocking_without_a_hand_over_goes_home(login_en, alice):
    response = login_en(alice).post(reverse("handover_unlock"), {"password": PASSWORD})
    assert response["Location"] == reverse("home")


def test_every_wrong_password_is_in_the_audit_log(login_en, alice, meeting):
    browser = login_en(alice)
    start(browser, meeting)
    for _ in range(2):
        browser.post(reverse("handover_unlock"), {"password": "guess"})
    wrong = AuditEvent.objects.filter(action="login_failed", detail__handover="wrong_password")
    assert sorted(e.detail["attempt"] for e in wrong) == [1, 2]
    assert {(e.user, e.client_id) for e in wrong} == {(alice, meeting.episode.client_id)}


def test_the_count_survives_a_fresh_copy_of_the_session(login_en, alice, meeting):
    # The old counter lived in the session: a request that started from an older copy of the
    # session (as parallel requests do) began again at zero.
    browser = login_en(alice)
    start(browser, meeting)
    before = dict(browser.session["handover"])
    for _ in range(MAX_UNLOCK_ATTEMPTS - 1):
        browser.post(reverse("handover_unlock"), {"password": "guess"})
    session = browser.session
    session["handover"] = before
    session.save()
    response = browser.post(reverse("handover_unlock"), {"password": "guess"})
    assert response["Location"].startswith(reverse("login"))
    assert Handover.objects.get().password_checks == MAX_UNLOCK_ATTEMPTS


def test_after_the_limit_even_the_right_password_does_not_unlock(login_en, alice, meeting):
    browser = login_en(alice)
    start(browser, meeting)
    Handover.objects.update(password_checks=MAX_UNLOCK_ATTEMPTS)
    response = browser.post(reverse("handover_unlock"), {"password": PASSWORD})
    assert response["Location"].startswith(reverse("login"))
    assert AuditEvent.objects.filter(detail__handover="locked_out").count() == 1


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="real parallel requests need PostgreSQL (SQLite serialises all writes anyway)",
)
@pytest.mark.django_db(transaction=True)
def test_24_parallel_wrong_passwords_get_no_more_than_the_limit(alice, meeting):
    # Issue 12: 24 parallel guesses were all checked and the hand-over stayed open.
    browser = Client()
    browser.force_login(alice)
    start(browser, meeting)
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    barrier = threading.Barrier(24)
    answers: list[int] = []

    def guess(n: int) -> None:
        tablet = Client()
        tablet.cookies[settings.SESSION_COOKIE_NAME] = cookie
        try:
            barrier.wait()
            answers.append(
                tablet.post(reverse("handover_unlock"), {"password": f"guess-{n}"}).status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 24
    checked = AuditEvent.objects.filter(detail__handover="wrong_password")
    assert checked.count() == MAX_UNLOCK_ATTEMPTS
    assert Handover.objects.get().password_checks == MAX_UNLOCK_ATTEMPTS
    assert Handover.objects.get().ended_at is not None
    # No answer was an unlock, and the right password no longer opens anything.
    assert answers.count(403) <= MAX_UNLOCK_ATTEMPTS - 1
    tablet = Client()
    tablet.cookies[settings.SESSION_COOKIE_NAME] = cookie
    after = tablet.post(reverse("handover_unlock"), {"password": PASSWORD})
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
    assert connection.vendor == "postgresql"
