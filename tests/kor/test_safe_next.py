"""One safe-next rule for every view that redirects to a `next` it was given."""

import pytest
from django.test import RequestFactory

from kor.http import safe_next


def _post(next_value: str, secure: bool = False):
    return RequestFactory().post("/x", {"next": next_value}, secure=secure)


@pytest.mark.parametrize("path", ["/", "/clients/7/", "/clients/7/?tab=goals"])
def test_it_keeps_a_path_on_this_site(path):
    assert safe_next(_post(path)) == path


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "//evil.example/clients/",
        "/\\evil.example",
        "javascript:alert(1)",
        "0",  # redirect() would read these two as view names
        "home",
        "",
    ],
)
def test_it_refuses_anything_else(target):
    assert safe_next(_post(target)) is None


def test_it_reads_the_query_string_when_the_form_has_no_next():
    assert safe_next(RequestFactory().get("/x", {"next": "/dashboard/"})) == "/dashboard/"


def test_it_refuses_another_host_named_in_full_even_over_https():
    assert safe_next(_post("https://evil.example/", secure=True)) is None
    assert safe_next(_post("http://testserver/a/", secure=True)) is None
