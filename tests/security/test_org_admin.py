"""The organisation administrator: people and teams of their own organisation, no clinical data.

They manage people in the product (tests/orgadmin); the Django admin is closed to them, with or
without staff status, so it cannot be the way round the rule that they hold no clinical role.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def admin_olga(olga, login):
    olga.is_staff = True
    olga.save()
    return login(olga)


def test_the_django_admin_is_closed_to_them(admin_olga, alice):
    for url in ("/admin/", "/admin/kor/user/", f"/admin/kor/user/{alice.pk}/change/"):
        response = admin_olga.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_it_shows_no_clinical_data_in_the_admin(admin_olga, client_n1):
    assert admin_olga.get("/admin/clients/client/").status_code in (302, 403)
    assert admin_olga.get(f"/admin/clients/client/{client_n1.pk}/change/").status_code in (302, 403)


def test_it_shows_no_clients_in_the_app(admin_olga, client_n1):
    assert admin_olga.get(f"/clients/{client_n1.pk}/").status_code == 404
    assert admin_olga.get(f"/clients/{client_n1.pk}/export.json").status_code == 404


def test_the_people_pages_are_theirs(admin_olga, alice, oscar):
    page = admin_olga.get("/organisation/")
    assert page.status_code == 200
    assert "Alice" in page.text and "Oscar" not in page.text
