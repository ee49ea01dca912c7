"""Forms by link (issue 14): the helper sends a one-time link, the client fills the form on their
own phone, the meeting gets it through the same save as the meeting page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kor.models import AuditEvent
from sessions import sms
from sessions.models import FormResponse, Meeting, RemoteLink

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


def send(http, meeting, *, part="before", channel="email", contact="kari@example.no", **extra):
    rater = meeting.episode.raters.get()
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
