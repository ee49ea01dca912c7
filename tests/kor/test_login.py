"""Logging in and out."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_shows_the_login_page(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert 'name="password"' in response.text


def test_it_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get("/caseload/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_logs_a_helper_in_and_takes_her_to_her_caseload(client, alice):
    response = client.post("/login/", {"username": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/caseload/"
    assert response.status_code == 200


def test_it_refuses_a_wrong_password_and_keeps_the_username(client, alice):
    response = client.post("/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert 'value="alice"' in response.text
    assert "_auth_user_id" not in client.session


def test_it_logs_out(client, alice):
    client.force_login(alice)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
