"""Saving a form: the htmx fragment with chart, badge and flags; every kind of bad input;
double submits and two tabs; declined and not offered."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from clients.models import Episode
from kor.models import AuditEvent
from sessions.models import FormResponse, Meeting
from tests.conftest import add_meetings

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def episode(client_n1) -> Episode:
    return client_n1.episodes.get()


@pytest.fixture
def meeting(episode) -> Meeting:
    return Meeting.objects.create(
        episode=episode,
        number=1,
        date=datetime.date(2026, 3, 1),
        helper=episode.client.responsible_helper,
    )


def save_url(meeting: Meeting, instrument: str = "ORS") -> str:
    rater = meeting.episode.raters.get(relation="client")
    return reverse("save_form", args=[meeting.pk, rater.pk, instrument])


def post_data(meeting, instrument="ORS", items=("5.0", "6.0", "7.0", "8.0"), **extra) -> dict:
    rater = meeting.episode.raters.get(relation="client")
    prefix = f"r{rater.pk}-{instrument}-"
    data = {prefix + "status": "completed", prefix + "version": "new"}
    for i, value in enumerate(items, 1):
        data[f"{prefix}item{i}"] = value
    data.update({prefix + key: value for key, value in extra.items()})
    return data


def test_it_saves_a_form_and_returns_the_form_chart_badge_and_flags(
    login_en, alice, meeting, episode
):
    response = login_en(alice).post(save_url(meeting), post_data(meeting), **HTMX)
    assert response.status_code == 200
    saved = FormResponse.objects.get(meeting=meeting)
    assert saved.items == [50, 60, 70, 80] and saved.total == 260
    assert saved.entered_by == alice
    html = response.content.decode()
    assert "Saved." in html
    assert (
        'id="outcome" class="card outcome" aria-labelledby="outcome-title" hx-swap-oob="true"'
        in html
    )
    assert 'class="badge status-intake"' in html
    assert '<script id="chart-data" type="application/json">' in html
    assert "<html" not in html  # a fragment, not the page
    episode.refresh_from_db()
    assert episode.status == "intake" and float(episode.latest_ors) == 26.0


def test_it_stores_status_and_flags_on_the_episode_with_the_save(login_en, alice, episode):
    add_meetings(episode, ors=[20.0, 20.5], srs=[37.0, 37.0])
    meeting = Meeting.objects.create(
        episode=episode, number=3, date=datetime.date(2026, 3, 1), helper=alice
    )
    browser = login_en(alice)
    browser.post(save_url(meeting), post_data(meeting, items=("5.0", "5.0", "5.0", "6.0")), **HTMX)
    response = browser.post(
        save_url(meeting, "SRS"),
        post_data(meeting, "SRS", items=("8.0", "8.0", "8.0", "8.0")),
        **HTMX,
    )
    episode.refresh_from_db()
    assert episode.status == "off_track"
    assert episode.flags == ["alliance_alert"]
    html = response.content.decode()
    assert 'class="badge status-off_track"' in html and "alliance alert" in html
    assert "32.0 is below 36.0" in html or "36.0" in html


def test_the_page_after_a_reload_shows_what_the_fragment_showed(login_en, alice, meeting):
    browser = login_en(alice)
    fragment = browser.post(save_url(meeting), post_data(meeting), **HTMX).content.decode()
    page = browser.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()

    def outcome(html: str) -> str:
        start = html.index('<section id="outcome"')
        return html[html.index(">", start) : html.index("</section>", start)]

    assert outcome(fragment) == outcome(page)
    assert 'value="5.0"' in page


def test_a_colleague_who_shares_the_case_can_save(login_en, bob, meeting):
    response = login_en(bob).post(save_url(meeting), post_data(meeting), **HTMX)
    assert response.status_code == 200
    assert FormResponse.objects.get(meeting=meeting).entered_by == bob


@pytest.mark.parametrize("persona", ["dave", "oscar", "carol", "olga"])
def test_it_is_a_404_to_save_for_whoever_is_not_a_helper_on_the_case(
    request, login_en, meeting, persona
):
    user = request.getfixturevalue(persona)
    response = login_en(user).post(save_url(meeting), post_data(meeting), **HTMX)
    assert response.status_code == 404
    assert not FormResponse.objects.exists()


def test_it_is_a_404_for_a_form_the_meeting_does_not_use(login_en, alice, meeting):
    response = login_en(alice).post(save_url(meeting, "CORS"), post_data(meeting, "CORS"))
    assert response.status_code == 404


def test_it_rejects_a_get(login_en, alice, meeting):
    assert login_en(alice).get(save_url(meeting)).status_code == 405


def test_it_writes_the_audit_trail_with_the_save(login_en, alice, meeting):
    login_en(alice).post(save_url(meeting), post_data(meeting), **HTMX)
    event = AuditEvent.objects.get(action="create", object_type="therapy_sessions.formresponse")
    assert event.client_id == meeting.episode.client_id
    assert event.detail == {"instrument": "ORS", "status": "completed"}


@pytest.mark.parametrize(
    ("items", "field", "message"),
    [
        (("10.5", "6", "7", "8"), "item1", "Use a number from 0 to 10."),
        (("5", "seven", "7", "8"), "item2", "Write a number, like 7.5."),
        (("5", "6", "", "8"), "item3", "Mark the line, or write a number from 0 to 10."),
        (("5", "6", "7", "7.25"), "item4", "Use at most one decimal."),
        (("-1", "6", "7", "8"), "item1", "Use a number from 0 to 10."),
        (("nan", "6", "7", "8"), "item1", "Write a number, like 7.5."),
    ],
)
def test_it_refuses_bad_items_beside_the_field_and_keeps_what_was_entered(
    login_en, alice, meeting, items, field, message
):
    response = login_en(alice).post(save_url(meeting), post_data(meeting, items=items), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    rater = meeting.episode.raters.get()
    error_id = f"id_r{rater.pk}-ORS-{field}-error"
    assert f'<p class="field-error" id="{error_id}">{message}</p>' in html
    ends_id = f"id_r{rater.pk}-ORS-{field}-ends"
    assert f'aria-describedby="{ends_id} {error_id}"' in html
    for value in items:
        assert f'value="{value}"' in html
    assert not FormResponse.objects.exists()  # never half a form
    assert "hx-swap-oob" not in html  # nothing changed: the chart stays


def test_it_says_the_error_in_norwegian_on_a_norwegian_page(login, alice, meeting):
    browser = login(alice)
    browser.cookies["django_language"] = "nb"
    response = browser.post(save_url(meeting), post_data(meeting, items=("11", "1", "1", "1")))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nb"
    assert not FormResponse.objects.exists()


def test_without_htmx_a_bad_form_comes_back_in_the_full_page(login_en, alice, meeting):
    response = login_en(alice).post(save_url(meeting), post_data(meeting, items=("5", "x", "", "")))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and 'value="x"' in html
    assert "The form was not saved" in html


def test_without_htmx_a_good_form_redirects_back_to_the_meeting(login_en, alice, meeting):
    response = login_en(alice).post(save_url(meeting), post_data(meeting))
    assert response.status_code == 302
    assert response["Location"] == reverse("meeting_detail", args=[meeting.pk])


def test_a_second_submit_of_the_same_form_stores_no_duplicate(login_en, alice, meeting):
    browser = login_en(alice)
    browser.post(save_url(meeting), post_data(meeting), **HTMX)
    first = FormResponse.objects.get()
    response = browser.post(save_url(meeting), post_data(meeting), **HTMX)
    assert FormResponse.objects.count() == 1
    assert FormResponse.objects.get().updated_at == first.updated_at
    assert "Already saved: nothing had changed." in response.content.decode()


def test_a_save_the_page_sends_again_is_answered_as_saved_with_the_chart(login_en, alice, meeting):
    # The first save was stored but its answer never reached the page (the connection dropped):
    # the page sends it once more, marked. The helper must see "Saved." and the new chart, not
    # "nothing had changed" over a chart without the rating.
    browser = login_en(alice)
    browser.post(save_url(meeting), post_data(meeting), **HTMX)
    stored = FormResponse.objects.get()
    again = browser.post(save_url(meeting), post_data(meeting), HTTP_X_KOR_RETRY="1", **HTMX)
    html = again.content.decode()
    assert "Saved." in html and "Already saved" not in html
    assert 'id="outcome"' in html and "hx-swap-oob" in html  # chart and status, out of band
    assert FormResponse.objects.count() == 1
    assert FormResponse.objects.get().updated_at == stored.updated_at  # nothing written twice
    writes = AuditEvent.objects.filter(object_type__endswith="formresponse")
    assert list(writes.values_list("action", flat=True)) == ["create"]
    # Showing the chart again is a read of the client's data: in the client's trail.
    shown = AuditEvent.objects.get(action="view", detail__screen="save_sent_again")
    assert shown.client_id == meeting.episode.client_id


def test_a_plain_repeat_gets_no_chart(login_en, alice, meeting):
    browser = login_en(alice)
    browser.post(save_url(meeting), post_data(meeting), **HTMX)
    html = browser.post(save_url(meeting), post_data(meeting), **HTMX).content.decode()
    assert 'id="outcome"' not in html


def test_a_changed_value_saved_again_updates_the_one_row(login_en, alice, meeting):
    browser = login_en(alice)
    first = browser.post(save_url(meeting), post_data(meeting), **HTMX).content.decode()
    version = first.split('-version" value="')[1].split('"')[0]
    data = post_data(meeting, items=("9.0", "6.0", "7.0", "8.0"))
    data[next(k for k in data if k.endswith("version"))] = version
    browser.post(save_url(meeting), data, **HTMX)
    assert FormResponse.objects.get().total == 300


def test_a_second_tab_saving_other_values_is_told_and_keeps_its_values(login_en, alice, meeting):
    # Both tabs loaded the empty form ("new"); the first saves, then the second.
    browser = login_en(alice)
    browser.post(save_url(meeting), post_data(meeting), **HTMX)
    other = post_data(meeting, items=("1.0", "2.0", "3.0", "4.0"))
    response = browser.post(save_url(meeting), other, **HTMX)
    html = response.content.decode()
    assert "saved from another window" in html
    assert 'value="1.0"' in html and 'value="4.0"' in html
    assert FormResponse.objects.get().total == 260  # the first save stands
    # Saving again (the form now carries the new version) replaces it, knowingly.
    version = html.split('-version" value="')[1].split('"')[0]
    other[next(k for k in other if k.endswith("version"))] = version
    browser.post(save_url(meeting), other, **HTMX)
    assert FormResponse.objects.get().total == 100
    assert FormResponse.objects.count() == 1


def test_it_records_a_declined_form_with_a_reason_from_the_list(login_en, alice, meeting, episode):
    data = post_data(meeting, items=("", "", "", ""), status="declined", reason="too_distressed")
    response = login_en(alice).post(save_url(meeting), data, **HTMX)
    saved = FormResponse.objects.get()
    assert saved.status == "declined" and saved.total is None
    assert (saved.declined_reason_code, saved.declined_reason) == ("too_distressed", "")
    episode.refresh_from_db()
    assert episode.status == "none"  # a declined form is not a rating
    assert "declined (Too distressed today)" in response.content.decode()


def test_it_records_a_declined_form_with_a_reason_in_free_text(login_en, alice, meeting):
    data = post_data(meeting, items=("", "", "", ""), status="declined", reason_text="Sa nei")
    login_en(alice).post(save_url(meeting), data, **HTMX)
    assert FormResponse.objects.get().declined_reason == "Sa nei"


def test_it_asks_for_a_reason_when_a_form_is_declined(login_en, alice, meeting):
    data = post_data(meeting, items=("", "", "", ""), status="declined")
    response = login_en(alice).post(save_url(meeting), data, **HTMX)
    assert "Say why, from the list or in your own words." in response.content.decode()
    assert not FormResponse.objects.exists()


def test_it_records_a_form_not_offered(login_en, alice, meeting):
    data = post_data(meeting, items=("", "", "", ""), status="not_offered")
    login_en(alice).post(save_url(meeting), data, **HTMX)
    assert FormResponse.objects.get().status == "not_offered"


def test_it_refuses_an_unknown_status(login_en, alice, meeting):
    data = post_data(meeting, status="lost")
    response = login_en(alice).post(save_url(meeting), data, **HTMX)
    assert "Select a valid choice" in response.content.decode()
    assert not FormResponse.objects.exists()


def test_a_young_child_rates_one_picture_from_1_to_4(login_en, org, north, alice):
    from tests.conftest import make_client

    child = make_client(org, north, alice, "N-YC", birth_year=2022, age_group="young_child")
    episode = child.episodes.get()
    meeting = Meeting.objects.create(
        episode=episode, number=1, date=datetime.date(2026, 3, 1), helper=alice
    )
    browser = login_en(alice)
    bad = browser.post(save_url(meeting, "YCORS"), post_data(meeting, "YCORS", items=("5",)))
    assert "Use a number from 1 to 4." in bad.content.decode()
    browser.post(save_url(meeting, "YCORS"), post_data(meeting, "YCORS", items=("3",)), **HTMX)
    saved = FormResponse.objects.get()
    assert saved.item1 == 30 and saved.total == 30
