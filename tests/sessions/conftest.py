import pytest


@pytest.fixture
def login_en(login):
    """Log in as a persona with the page in English (assertions do not depend on a catalogue)."""

    def _login(user):
        browser = login(user)
        browser.cookies["django_language"] = "en"
        return browser

    return _login
