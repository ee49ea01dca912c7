"""The database itself refuses what the data model forbids, whatever code writes to it."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from clients.models import Client
from sessions.models import FormResponse, Meeting


@pytest.fixture
def meeting(client_n1):
    episode = client_n1.episodes.get()
    return Meeting.objects.create(
        episode=episode,
        number=1,
        date=datetime.date(2026, 1, 5),
        helper=client_n1.responsible_helper,
    )


def response(meeting, **fields) -> FormResponse:
    values = {
        "instrument": "ORS",
        "item1": 50,
        "item2": 50,
        "item3": 50,
        "item4": 50,
        "total": 200,
    } | fields
    return FormResponse(meeting=meeting, rater=meeting.episode.raters.get(), **values)


def refused(obj) -> bool:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        return True
    return False


def test_it_stores_a_valid_form(meeting):
    response(meeting).save()
    assert FormResponse.objects.get().total_score == 20.0


@pytest.mark.parametrize("tenths", [101, -1])
def test_it_refuses_an_item_outside_0_to_10(meeting, tenths):
    # 10.1 and -0.1 cm; -1 does not even fit the unsigned column on PostgreSQL's check
    form = response(meeting, item2=tenths, total=150 + tenths)
    assert refused(form)


def test_it_refuses_a_total_that_is_not_the_sum_of_the_items(meeting):
    assert refused(response(meeting, total=210))


def test_it_refuses_a_completed_form_with_an_item_missing(meeting):
    assert refused(response(meeting, item4=None, total=150))


def test_it_refuses_a_second_response_for_the_same_rater_meeting_and_form(meeting):
    response(meeting).save()
    assert refused(response(meeting, item1=60, total=210))
    assert FormResponse.objects.count() == 1


def test_it_allows_the_alliance_form_beside_the_outcome_form(meeting):
    response(meeting).save()
    response(meeting, instrument="SRS").save()
    assert FormResponse.objects.count() == 2


def test_a_declined_form_has_no_total(meeting):
    assert refused(response(meeting, status="declined", declined_reason="tired"))
    declined = response(
        meeting,
        item1=None,
        item2=None,
        item3=None,
        item4=None,
        total=None,
        status="declined",
        declined_reason="tired",
    )
    assert not refused(declined)


def test_it_refuses_a_duplicate_meeting_number(meeting):
    again = Meeting(episode=meeting.episode, number=1, date=meeting.date, helper=meeting.helper)
    assert refused(again)


def test_it_refuses_a_duplicate_case_code_in_one_organisation(org, north, alice, client_n1):
    duplicate = Client(
        organisation=org, team=north, responsible_helper=alice, case_code="N-001", birth_year=1980
    )
    assert refused(duplicate)


def test_the_same_case_code_may_exist_in_another_organisation(client_n1, other_org, oscar):
    other = Client(
        organisation=other_org,
        team=oscar.memberships.get().team,
        responsible_helper=oscar,
        case_code="N-001",
        birth_year=1980,
    )
    assert not refused(other)


def test_an_episode_cannot_end_before_it_starts(client_n1):
    episode = client_n1.episodes.get()
    episode.ended_on = episode.started_on - datetime.timedelta(days=1)
    assert refused(episode)
