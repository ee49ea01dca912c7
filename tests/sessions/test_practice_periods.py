"""Periods of deliberate practice: the helper marks one in their own words and sees the figures
before, during and after it; only they change or delete it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Episode
from sessions import practice
from sessions.models import PracticePeriod
from tests.conftest import add_meetings, make_client

GOAL = "Ask about the alliance earlier"


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def new_period(browser, goal=GOAL, start=None, end=None):
    data = {"goal": goal, "starts_on": (start or days_ago(29)).isoformat()}
    data["ends_on"] = (end or today()).isoformat()
    return browser.post(reverse("practice_period_new"), data)


@pytest.mark.django_db
def test_a_helper_marks_a_period_and_sees_it_on_their_page(login_en, alice):
    browser = login_en(alice)
    response = new_period(browser, goal="  Ask about the   alliance earlier ")
    assert response.status_code == 302
    period = PracticePeriod.objects.get()
    assert (period.user, period.organisation_id, period.goal) == (
        alice,
        alice.organisation_id,
        GOAL,
    )
    assert (period.starts_on, period.ends_on, period.days) == (days_ago(29), today(), 30)
    page = browser.get(reverse("practice")).text
    assert GOAL in page and "Before" in page and "After" in page


@pytest.mark.django_db
def test_a_double_submit_stores_one_period(login_en, alice):
    browser = login_en(alice)
    new_period(browser)
    new_period(browser)
    assert PracticePeriod.objects.count() == 1


@pytest.mark.django_db
def test_bad_input_says_why_keeps_what_was_typed_and_stores_nothing(login_en, alice):
    browser = login_en(alice)
    response = new_period(browser, start=today(), end=days_ago(3))
    assert response.status_code == 200
    assert "The period must end on or after its first day." in response.text
    assert f'value="{GOAL}"' in response.text
    response = new_period(browser, goal="   ")
    assert "Write what you practise." in response.text
    response = browser.post(
        reverse("practice_period_new"), {"goal": GOAL, "starts_on": "soon", "ends_on": ""}
    )
    assert "Write a date, like 2026-03-01." in response.text
    assert 'value="soon"' in response.text
    assert not PracticePeriod.objects.exists()


@pytest.mark.django_db
def test_only_the_helper_changes_or_deletes_their_period(login_en, alice, bob, carol):
    new_period(login_en(alice))
    period = PracticePeriod.objects.get()
    url = reverse("practice_period_edit", args=[period.pk])
    for other in (bob, carol):  # a colleague, and the leader who may read the page
        browser = login_en(other)
        assert browser.get(url).status_code == 404
        assert browser.post(url, {"delete": "1"}).status_code == 404
    assert PracticePeriod.objects.filter(pk=period.pk).exists()

    browser = login_en(alice)
    data = {"goal": "Ask about goals", "starts_on": days_ago(9), "ends_on": today()}
    assert browser.post(url, data).status_code == 302
    period.refresh_from_db()
    assert (period.goal, period.days) == ("Ask about goals", 10)
    assert browser.post(url, {"delete": "1"}).status_code == 302
    assert not PracticePeriod.objects.exists()


@pytest.mark.django_db
def test_the_figures_before_during_and_after_a_period(org, north, alice):
    """A 30-day period that ended 30 days ago: its 30 days before and 30 days after. One client
    closed in each stretch: 10 -> 12 before (no reliable change), 10 -> 20 during and after."""
    period = PracticePeriod.objects.create(
        user=alice, organisation=org, goal=GOAL, starts_on=days_ago(59), ends_on=days_ago(30)
    )
    for code, closed, ors in (
        ("P1", days_ago(70), [10, 12]),
        ("P2", days_ago(40), [10, 20]),
        ("P3", days_ago(10), [10, 20]),
        ("P4", days_ago(100), [10, 30]),  # before the "before": not in any stretch
    ):
        client = make_client(org, north, alice, code, started=closed - datetime.timedelta(30))
        add_meetings(client.episodes.get(), ors=ors)
        Episode.objects.filter(client=client).update(ended_on=closed, end_reason="planned")

    data = practice.practice_data(alice, today())
    item = data["practice"][0]
    assert item["period"] == period
    stretches = item["stretches"]
    assert {k: (p.start, p.end) for k, (p, _) in stretches.items()} == {
        "before": (days_ago(89), days_ago(60)),
        "during": (days_ago(59), days_ago(30)),
        "after": (days_ago(29), today()),
    }
    improved = {k: f["reliable_improvement"] for k, (_, f) in stretches.items()}
    assert {k: (v["count"], v["n"]) for k, v in improved.items()} == {
        "before": (0, 1),
        "during": (1, 1),
        "after": (1, 1),
    }


def test_a_period_still_running_is_compared_so_far():
    period = PracticePeriod(starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 3, 31))
    stretches = practice.around(period, datetime.date(2026, 3, 10))
    assert (stretches["before"].start, stretches["before"].end) == (
        datetime.date(2026, 1, 29),
        datetime.date(2026, 2, 28),
    )
    assert stretches["during"].end == datetime.date(2026, 3, 10)
    assert stretches["after"].end < stretches["after"].start  # not yet: holds no episode
