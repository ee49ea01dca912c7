"""Forms by link (issue 14): the helper sends a one-time link, the client fills the form on their
own phone, the meeting gets it through the same save as the meeting page."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kor.models import AuditEvent
from sessions import sms
from sessions.models import FormResponse, Meeting, RemoteLink
from sessions.services import record_form
from tests.conftest import add_meetings

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://\S+/f/[\w-]+/")


@pytest.fixture(autouse=True)
def _empty_outboxes():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def meeting(client_n1, alice) -> Meeting:
    episode = client_n1.episodes.get()
    return Meeting.objects.create(
        episode=episode, number=1, date=timezone.localdate(), helper=alice
    )


def send(
    http, meeting, *, part="before", channel="email", contact="kari@example.no", rater=None, **extra
):
    rater = rater or meeting.episode.raters.get(relation="client")
    return http.post(
        reverse("remote_link_send", args=[meeting.pk]),
        {
            "link-rater": rater.pk,
            "link-part": part,
            "link-channel": channel,
            "link-contact": contact,
            **extra,
        },
        HTTP_HX_REQUEST="true",
    )


def sent_url(body: str) -> str:
    return URL.search(body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def fill(client, path, values=("7", "6,5", "5", "8"), instrument="ORS"):
    data = {"instrument": instrument, "f-status": "completed"}
    data.update({f"f-item{i}": v for i, v in enumerate(values, 1)})
    return client.post(path, data)


def test_it_sends_a_neutral_email_and_the_client_fills_the_ors(
    client, login, alice, meeting, client_n1
):
    client_n1.name = "Kari Nordmann"
    client_n1.save()
    response = send(login(alice), meeting)
    assert response.status_code == 200
    assert "data:image/svg+xml" in response.content.decode()  # the QR code
    (message,) = mail.outbox
    assert message.to == ["kari@example.no"]
    # Only the organisation and the link: no name, case code, helper, form or service.
    text = message.subject + message.body
    for secret in ("Kari", "N-001", "Alice", "alice", "ORS", "KOR"):
        assert secret not in text
    assert "Bydel Nord" in text
    link = RemoteLink.objects.get()
    path = path_of(sent_url(message.body))
    assert path.split("/")[2] not in link.token_hash  # only the hash is stored

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    for secret in ("Kari", "N-001", "Alice"):
        assert secret not in body
    assert fill(client, path).status_code == 302
    saved = FormResponse.objects.get()
    assert (saved.total, saved.source, saved.entered_by) == (265, "remote", None)
    link.refresh_from_db()
    assert link.completed_at and link.contact == ""
    events = set(
        AuditEvent.objects.filter(client_id=client_n1.pk).values_list("detail__link", flat=True)
    )
    assert {"sent", "opened", "completed"} <= events
    # The episode's status was recomputed with the save.
    client_n1.episodes.get().refresh_from_db()
    assert FormResponse.objects.filter(source="remote").count() == 1


def open_link(login, alice, meeting, client, **kwargs) -> str:
    """Send a link as alice and return its path; the test browser is then the client's."""
    send(login(alice), meeting, channel="sms", contact="+47 912 34 567", **kwargs)
    client.logout()
    return path_of(sent_url(sms.outbox[-1].body))


def test_a_token_for_one_rater_cannot_open_anothers_form(client, login, alice, meeting):
    mother = meeting.episode.raters.create(relation="mother")
    path = open_link(login, alice, meeting, client, rater=mother)
    # The mother's link: a form not on it (the SRS), or any other rater's, cannot be posted.
    fill(client, path, instrument="SRS")
    fill(client, path, instrument="ORS", values=("7", "6,5", "5", "8")) and None
    (saved,) = FormResponse.objects.all()
    assert (saved.rater, saved.instrument) == (mother, "ORS")
    # The client's ORS of the meeting is still theirs to fill, on a link of their own.
    assert not FormResponse.objects.filter(rater__relation="client").exists()


@pytest.mark.parametrize("ending", ["used", "expired", "revoked"])
def test_an_ended_link_gives_a_clear_page_and_changes_nothing(
    client, login, alice, meeting, ending
):
    path = open_link(login, alice, meeting, client)
    link = RemoteLink.objects.get()
    if ending == "used":
        fill(client, path)
        client.cookies.clear()  # another browser (the session that finished sees its thanks)
    elif ending == "expired":
        RemoteLink.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    else:
        login(alice).post(reverse("remote_link_revoke", args=[link.pk]))
        client.logout()
    before = list(FormResponse.objects.values_list("pk", "total", "updated_at"))
    page = client.get(path)
    assert page.status_code == 410
    assert "link" in page.content.decode().lower()
    assert fill(client, path, values=("1", "1", "1", "1")).status_code == 410
    assert list(FormResponse.objects.values_list("pk", "total", "updated_at")) == before
    link.refresh_from_db()
    assert link.contact == ""  # the address is not kept once the link has ended


def test_guessing_tokens_is_throttled(client, settings):
    settings.KOR_LINK_BAD_TOKENS_PER_IP = 3
    statuses = [client.get(f"/f/guess{i}/").status_code for i in range(5)]
    assert statuses == [404, 404, 404, 429, 429]


def test_one_link_is_throttled_per_token(client, login, alice, meeting, settings):
    path = open_link(login, alice, meeting, client)
    settings.KOR_LINK_RATE_PER_TOKEN = 2
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.parametrize("persona", ["carol", "dave", "oscar", "olga"])
def test_only_helpers_on_the_case_send_or_revoke(request, login, alice, meeting, persona):
    send(login(alice), meeting)
    link = RemoteLink.objects.get()
    other = login(request.getfixturevalue(persona))
    assert send(other, meeting).status_code == 404
    assert other.post(reverse("remote_link_revoke", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert RemoteLink.objects.count() == 1 and link.revoked_at is None


def test_a_colleague_sharing_the_case_may_revoke(login, alice, bob, meeting):
    send(login(alice), meeting)
    link = RemoteLink.objects.get()
    login(bob).post(reverse("remote_link_revoke", args=[link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert AuditEvent.objects.filter(detail__link="revoked", user=bob).exists()


def test_bad_input_gets_the_tablets_messages_and_saves_nothing(client, login, alice, meeting):
    path = open_link(login, alice, meeting, client)
    page = fill(client, path, values=("7", "", "11", "abc"))
    assert page.status_code == 400
    body = page.content.decode()
    assert "Sett et merke på linjen, eller skriv et tall fra 0 til 10." in body
    assert "Bruk et tall fra 0 til 10." in body
    assert 'value="7"' in body  # what was typed stays
    assert not FormResponse.objects.exists()
    assert RemoteLink.objects.get().done == {}


def test_a_form_saved_in_the_room_is_not_overwritten(client, login, alice, meeting):
    path = open_link(login, alice, meeting, client)
    rater = meeting.episode.raters.get()
    # The helper saved the ORS in the room meanwhile.
    record_form(meeting=meeting, rater=rater, instrument="ORS", items=[50, 50, 50, 50], by=alice)
    fill(client, path)
    room = FormResponse.objects.get(instrument="ORS")
    assert (room.total, room.source) == (200, "meeting")
    link = RemoteLink.objects.get()
    assert link.done == {"ORS": "kept_aside"} and link.kept_aside["ORS"]["total"] == 26.5
    # The helper sees both and chooses the link's answer.
    helper = login(alice)
    page = helper.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "lenke 26,5" in page and "møtet 20,0" in page
    helper.post(reverse("remote_link_choose", args=[link.pk, "ORS"]), {"use": "remote"})
    room.refresh_from_db()
    assert room.total == 265


def test_declining_on_the_link_records_a_declined_form(client, login, alice, meeting):
    path = open_link(login, alice, meeting, client)
    client.post(path, {"instrument": "ORS", "decline": "1", "d-why": "Ikke i dag"})
    saved = FormResponse.objects.get()
    assert (saved.status, saved.declined_reason, saved.source) == (
        "declined",
        "Ikke i dag",
        "remote",
    )


def test_the_open_meeting_page_polls_and_gets_204_until_an_answer_comes(
    client, login, alice, meeting
):
    path = open_link(login, alice, meeting, client)
    helper = login(alice)
    page = helper.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    fp = re.search(r"poll/\?fp=(\w+)", page).group(1)
    poll = reverse("meeting_poll", args=[meeting.pk]) + f"?fp={fp}"
    assert helper.get(poll, HTTP_HX_REQUEST="true").status_code == 204
    # The helper's own save swaps the panel itself: the poll stays quiet.
    rater = meeting.episode.raters.get()
    record_form(meeting=meeting, rater=rater, instrument="SRS", items=[90, 90, 90, 90], by=alice)
    assert helper.get(poll, HTTP_HX_REQUEST="true").status_code == 204
    client.logout()
    fill(client, path)
    changed = login(alice).get(poll, HTTP_HX_REQUEST="true")
    body = changed.content.decode()
    assert changed.status_code == 200 and 'id="outcome"' in body
    assert "besvart på lenke, sum 26,5" in body


def test_one_reminder_only_and_old_links_expire(client, login, alice, meeting, settings):
    from sessions.remote import send_reminders

    send(login(alice), meeting, channel="sms", contact="91234567")
    RemoteLink.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert send_reminders() == (1, 0)
    assert send_reminders() == (0, 0)
    assert len(sms.outbox) == 2
    # The reminder's link works too, and it too names only the organisation.
    reminder = sms.outbox[-1].body
    assert "Bydel Nord" in reminder and "N-001" not in reminder
    client.logout()
    assert client.get(path_of(sent_url(reminder))).status_code == 200
    RemoteLink.objects.update(expires_at=timezone.now())
    assert send_reminders() == (0, 1)
    assert AuditEvent.objects.filter(detail__link="expired").count() == 1


def test_the_birth_year_check_ends_the_link_after_five_wrong_years(
    client, login, alice, meeting, org
):
    org.link_birth_year_check = True
    org.save()
    path = open_link(login, alice, meeting, client)
    assert (
        "birth" in client.get(path).content.decode() or "født" in client.get(path).content.decode()
    )
    check = path + "check/"
    assert client.post(check, {"birth_year": "1990"}).status_code == 302  # the right year
    assert client.get(path).status_code == 200
    client.cookies.clear()
    for _ in range(4):
        assert client.post(check, {"birth_year": "1980"}).status_code == 400
    assert client.post(check, {"birth_year": "1980"}).status_code == 410
    assert RemoteLink.objects.get().revoked_at is not None


def test_the_client_sees_their_own_progress_after_the_link(client, login, alice, client_n1, org):
    org.client_own_view = True
    org.save()
    episode = client_n1.episodes.get()
    add_meetings(episode, [15.0, 18.0])
    meeting = Meeting.objects.create(
        episode=episode, number=3, date=timezone.localdate(), helper=alice
    )
    path = open_link(login, alice, meeting, client, **{"link-show_progress": "on"})
    fill(client, path)
    done = client.get(path)
    assert done.status_code == 200
    body = done.content.decode()
    assert "progress-chart" in body and "26,5" in body
    assert "N-001" not in body
    assert AuditEvent.objects.filter(detail__link="progress_shown").count() == 1


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nn", ["Send svara mine", "Kven ser svara dine", "Korleis har du hatt det"]),
        ("en", ["Send my answers", "Who sees your answers", "How have things been"]),
        ("nb", ["Send svarene mine", "Hvem ser svarene dine", "Hvordan har du hatt det"]),
    ],
)
def test_the_page_speaks_the_clients_language(
    client, login, alice, meeting, client_n1, language, words
):
    client_n1.language_id = language
    client_n1.save()
    path = open_link(login, alice, meeting, client)
    assert f"{client_n1.organisation.name}" in sms.outbox[-1].body
    body = client.get(path).content.decode()
    assert f'<html lang="{language}"' in body
    for text in words:
        assert text in body


def test_a_rater_on_the_client_page_leads_to_the_link_form(login, alice, meeting, client_n1):
    helper = login(alice)
    page = helper.get(reverse("client_detail", args=[client_n1.pk])).content.decode()
    rater = meeting.episode.raters.get()
    target = reverse("meeting_detail", args=[meeting.pk]) + f"?rater={rater.pk}"
    assert target in page
    form_page = helper.get(target).content.decode()
    assert '<details class="link-send" open>' in form_page
    assert f'<option value="{rater.pk}" selected>' in form_page


def test_a_qr_code_on_the_screen_sends_nothing_and_keeps_no_address(login, alice, meeting):
    response = send(login(alice), meeting, channel="screen", contact="kari@example.no")
    assert "data:image/svg+xml" in response.content.decode()
    assert not mail.outbox and not sms.outbox
    assert RemoteLink.objects.get().contact == ""


@pytest.mark.parametrize("persona", ["dave", "oscar"])
def test_other_teams_and_organisations_get_404_on_poll_and_choice(
    request, login, alice, meeting, persona
):
    send(login(alice), meeting)
    link = RemoteLink.objects.get()
    other = login(request.getfixturevalue(persona))
    assert other.get(reverse("meeting_poll", args=[meeting.pk])).status_code == 404
    choose = reverse("remote_link_choose", args=[link.pk, "ORS"])
    assert other.post(choose, {"use": "remote"}).status_code == 404


def test_the_send_form_says_what_is_wrong_and_sends_nothing(login, alice, meeting):
    response = send(login(alice), meeting, channel="sms", contact="ring meg")
    assert "Skriv et mobilnummer, som +47 912 34 567." in response.content.decode()
    response = send(login(alice), meeting, channel="email", contact="kari@")
    assert "Skriv en e-postadresse, som navn@eksempel.no." in response.content.decode()
    assert not RemoteLink.objects.exists() and not mail.outbox and not sms.outbox


def test_the_reminder_command_says_what_it_did(login, alice, meeting):
    from django.core.management import call_command

    send(login(alice), meeting)
    RemoteLink.objects.update(created_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "reminders sent: 1, links expired: 0"
    assert len(mail.outbox) == 2 and "påminnelse" in mail.outbox[-1].body
    out = io.StringIO()
    call_command("send_reminders", "--schedule", stdout=out)  # the immediate backend cannot
    assert "cannot schedule" in out.getvalue()


def test_the_client_sees_their_progress_after_handing_back_the_tablet(login, alice, client_n1, org):
    org.client_own_view = True
    org.save()
    episode = client_n1.episodes.get()
    add_meetings(episode, [15.0, 18.0])
    meeting = episode.meetings.order_by("number").last()
    rater = episode.raters.get()
    helper = login(alice)
    helper.post(
        reverse("handover_start", args=[meeting.pk, rater.pk, "ORS"]), {"show_progress": "1"}
    )
    page = helper.get(reverse("handover", args=[meeting.pk, rater.pk, "ORS"])).content.decode()
    assert "progress-chart" in page and "gått opp, fra 15,0 til 18,0" in page


class _BrokenGateway:
    def send(self, to: str, body: str) -> None:
        raise ConnectionError("gateway down")


def test_a_message_that_cannot_go_leaves_no_link_and_says_so(login, alice, meeting, settings):
    settings.KOR_SMS_BACKEND = f"{__name__}._BrokenGateway"
    response = send(login(alice), meeting, channel="sms", contact="91234567")
    assert "Meldingen kunne ikke sendes." in response.content.decode()
    assert not RemoteLink.objects.exists()
    assert not AuditEvent.objects.filter(detail__link="sent").exists()


def test_the_send_form_lists_the_episodes_raters_and_takes_no_other(
    login, alice, meeting, client_s1, django_assert_num_queries
):
    from django.db.models import prefetch_related_objects

    from clients.models import Rater
    from sessions.remote_links import link_form

    episode = meeting.episode
    mother = Rater.objects.create(episode=episode, relation=Rater.Relation.MOTHER, label="Mor")
    prefetch_related_objects([episode], "raters")  # as the meeting page has them
    with django_assert_num_queries(0):
        html = str(link_form(meeting)["rater"])
    assert f'value="{mother.pk}"' in html and "Mor" in html
    # A rater of another client's episode is no choice here, and nothing is sent.
    stranger = client_s1.episodes.get().raters.get()
    response = send(login(alice), meeting, rater=stranger)
    assert response.status_code == 200
    assert not RemoteLink.objects.exists() and not mail.outbox
