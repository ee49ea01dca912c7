import datetime

import pytest

from sessions.models import Meeting


@pytest.fixture
def login_en(login):
    """Log in as a persona with the page in English (assertions do not depend on a catalogue)."""

    def _login(user):
        browser = login(user)
        browser.cookies["django_language"] = "en"
        return browser

    return _login


@pytest.fixture
def meeting(client_n1) -> Meeting:
    """Meeting 1 of N-001's episode, on 1 March 2026, with its responsible helper."""
    episode = client_n1.episodes.get()
    return Meeting.objects.create(
        episode=episode,
        number=1,
        date=datetime.date(2026, 3, 1),
        helper=episode.client.responsible_helper,
    )
