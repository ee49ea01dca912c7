"""Bad input never gives a server error, nor a stored row that breaks the models' own rules."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import HOME_ID
from tests.security.test_url_authorization import fill, project_urls

FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')


def invalid_rows() -> list[str]:
    """Rows of the clinical apps that fail their own model validation."""
    problems = []
    for label in ("clients", "therapy_sessions"):
        for model in apps.get_app_config(label).get_models():
            for obj in model.objects.all():
                # A NULL the column allows is the database's business, not bad input.
                skip = [
                    f.name
                    for f in obj._meta.concrete_fields
                    if f.null and getattr(obj, f.attname) is None
                ]
                try:
                    obj.full_clean(exclude=skip, validate_unique=False)
                except ValidationError as error:
                    problems.append(f"{model._meta.label} {obj.pk}: {error.message_dict}")
    return problems


def _form_fields(client) -> list[str]:
    """Every field name any page of the project shows the responsible helper."""
    names: set[str] = {"confirm", "id", "page", "next"}
    for route, _name, has_params in project_urls():
        response = client.get(fill(route, HOME_ID) if has_params else "/" + route)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            names.update(FIELD.findall(response.content.decode("utf-8", "replace")))
    return sorted(names - {"csrfmiddlewaretoken"})


nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "-1",
            "0",
            "1e309",
            "NaN",
            "10.5",
            "101",
            "9" * 30,
            "\x00",
            "<script>",
            "N-007",
            "ANON-7",
            "2026-02-30",
            "' OR 1=1 --",
            "%00",
            "ﬀ",
            "💥" * 50,
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@pytest.mark.django_db
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_input_never_gives_500_or_invalid_rows(data, client, alice, home):
    client.force_login(alice)
    if not hasattr(client, "_kor_fields"):
        client._kor_fields = _form_fields(client)
        client._kor_urls = project_urls()
        assert invalid_rows() == []  # the starting point is valid, so the check can fail
    route, _name, has_params = data.draw(st.sampled_from(client._kor_urls), label="url")
    url = fill(route, HOME_ID) if has_params else "/" + route
    keys = data.draw(st.lists(st.sampled_from(client._kor_fields), max_size=8, unique=True))
    payload = {
        key: data.draw(st.one_of(nasty_text, st.lists(nasty_text, max_size=3))) for key in keys
    }
    htmx = data.draw(st.booleans())
    headers = {"HX-Request": "true", "HX-Target": data.draw(nasty_text)} if htmx else {}
    method = data.draw(st.sampled_from(["get", "post"]), label="method")
    # GET: the payload as a query string; POST: as a form body.
    response = getattr(client, method)(url, payload, headers=headers)
    assert response.status_code < 500, (method, url, payload, response.status_code)
    assert invalid_rows() == []


def test_an_oversized_body_is_refused_not_crashed(client, alice):
    response = client.post("/login/", {"username": "x" * 3_000_000, "password": "y"})
    assert response.status_code == 400


def test_too_many_fields_are_refused(client, alice):
    response = client.post("/login/", {f"f{i}": "1" for i in range(2500)})
    assert response.status_code == 400


def test_a_body_that_is_not_utf8_is_survived(client, db):
    response = client.post(
        "/login/",
        b"username=\xff\xfe&password=\xc3",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc&since=notadate&action=zzz",
        "?page=-1&until=2026-13-45",
        "?page=99999999999999999999999",
        "?action=%00&since=%ff",
    ],
)
def test_odd_query_strings_on_the_audit_log(login, carol, query):
    from tests.security.conftest import verify

    c = login(carol)
    verify(c, carol)
    assert c.get("/audit/" + query).status_code == 200
    assert c.get("/audit/export.csv" + query).status_code == 200


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-5", "1.5", "%00"])
def test_odd_ids_in_the_export_filter_are_not_errors(login, carol, value):
    from tests.security.conftest import verify

    c = login(carol)
    verify(c, carol)
    assert c.get(f"/audit/export.csv?client={value}&user={value}").status_code in (200, 404)


def test_a_huge_id_in_the_path_is_a_404(login, alice):
    assert login(alice).get("/clients/99999999999999999999999/").status_code == 404


@pytest.mark.parametrize(
    "headers",
    [
        {"HX-Request": "true", "HX-Current-URL": "javascript:alert(1)"},
        {"HX-Request": "true", "HX-Trigger": "\u202e", "HX-Target": "#" * 500},
        {"HX-Request": "yes", "HX-Boosted": "maybe", "HX-Prompt": "ø" * 100},
    ],
)
def test_odd_htmx_headers_are_survived(login, alice, home, headers):
    c = login(alice)
    for url in ("/caseload/", f"/clients/{HOME_ID}/", "/account/two-factor/setup/"):
        assert c.get(url, headers=headers).status_code < 500
