"""No page with client data, and no page of a logged-in user, may be kept by the browser.

Issue 12: with only report.pdf sending no-store, the browser's Back button in hand-over mode
showed the client the helper's page from the cache.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import add_meetings

pytestmark = pytest.mark.django_db


def not_stored(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_every_page_with_client_data_says_no_store(login, alice, carol, client_n1):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[20.0, 25.0], srs=[36.0, 38.0])
    meeting = episode.meetings.first()

    helper = login(alice)
    for url in (
        reverse("client_detail", args=[client_n1.pk]),
        reverse("meeting_detail", args=[meeting.pk]),
        reverse("client_export_json", args=[client_n1.pk]),
        reverse("client_export_pdf", args=[client_n1.pk]),
        reverse("client_report", args=[client_n1.pk]),
        reverse("caseload"),
        reverse("home"),  # a redirect to the caseload
    ):
        response = helper.get(url)
        assert response.status_code in (200, 302), url
        assert not_stored(response), (url, response.get("Cache-Control"))

    leader = login(carol)
    for url, headers in (
        (reverse("team_dashboard"), {}),
        (reverse("team_dashboard"), {"HX-Request": "true"}),
        (reverse("audit_export") + f"?client={client_n1.pk}", {}),
    ):
        response = leader.get(url, headers=headers)
        assert response.status_code == 200, url
        assert not_stored(response), (url, headers, response.get("Cache-Control"))


def test_an_error_page_of_a_logged_in_user_is_not_stored_either(login, alice, client_s1):
    response = login(alice).get(reverse("client_detail", args=[client_s1.pk]))
    assert response.status_code == 404
    assert not_stored(response)


def test_static_files_may_be_cached(client):
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
