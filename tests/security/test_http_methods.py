"""Every URL answers only the methods it is for: PUT, PATCH and DELETE get 405, never data.

Issue 12: PUT, PATCH and DELETE to /clients/<id>/export.json returned the client's data. The URL
list comes from the resolver (as in test_url_authorization), so a view added later is walked too.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.security.test_url_authorization import fill, project_urls

pytestmark = pytest.mark.django_db

UNUSED_METHODS = ("put", "patch", "delete")


def test_no_url_answers_put_patch_or_delete(login_verified, carol, alice, client_n1):
    urls = project_urls()
    assert {"client_export_json", "client_rights", "audit_export", "login"} <= {
        name for _route, name, _params in urls
    }
    failures = []
    for route, name, _has_params in urls:
        # The helper's own client and objects: the method check comes before any lookup, but
        # an id that exists makes sure no view answers with data instead.
        url = fill(route, client_n1.pk)
        for user in (carol, alice):
            browser = login_verified(user)
            for method in UNUSED_METHODS:
                response = getattr(browser, method)(url)
                if response.status_code != 405:
                    failures.append(
                        f"{method.upper()} {url} ({name}) as {user}: {response.status_code}"
                    )
    assert not failures, "\n".join(failures)


def test_the_export_refuses_delete_without_the_data(login_verified, alice, client_n1):
    response = login_verified(alice).delete(reverse("client_export_json", args=[client_n1.pk]))
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert b"N-001" not in response.content


def test_the_language_is_changed_by_post_only(client):
    assert client.get(reverse("set_language")).status_code == 405
    response = client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
