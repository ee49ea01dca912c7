"""Every URL of the project, for every persona, on objects of another team and organisation.

The URL list comes from the resolver, so a view added later is walked too. Path parameters are
filled with 1001 (every object of team South) or 1002 (every object of the other organisation);
see conftest. A URL with parameters must answer 404, 403, 405 or a redirect to the login page;
a URL without parameters may answer as it likes, but never with the foreign objects' text.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RoutePattern

from clients.models import Client, Goal
from tests.security.conftest import FOREIGN_IDS, FOREIGN_MARKERS, verify

# Public pages: they show no client data, answer anyone, and take no object ids.
PUBLIC = {
    "login",
    "logout",
    "set_language",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
# The Django admin has its own login and staff check; tested on its own below.
ADMIN_PREFIX = "admin/"
# An organisation administrator reviews the audit trail of every client of the organisation
# (ids and case codes, not clinical data): for 1001 (same organisation) these may answer.
ORG_ADMIN_REVIEWS = {"audit_log", "client_audit", "user_audit", "audit_export"}
# An organisation administrator manages the people and teams of the organisation (kor.orgadmin):
# 1001 is South and dave, of the same organisation, so these may answer for olga (never 1002).
ORG_ADMIN_PAGES = {
    "orgadmin_person",
    "orgadmin_person_role",
    "orgadmin_person_active",
    "orgadmin_person_org_admin",
    "orgadmin_person_lockout",
    "orgadmin_person_second_factor",
    "orgadmin_person_password_link",
    "orgadmin_team",
    "orgadmin_team_closed",
}

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def project_urls() -> list[tuple[str, str, bool]]:
    """(route template, url name, has parameters) for every pattern outside the admin."""
    found: list[tuple[str, str, bool]] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            pattern = entry.pattern
            if isinstance(pattern, LocalePrefixPattern):
                route = pattern.language_prefix
            elif isinstance(pattern, RoutePattern):
                route = str(pattern)
            else:
                route = str(pattern)
                if not (prefix + route).lstrip("^").startswith(ADMIN_PREFIX):
                    raise AssertionError(
                        f"{prefix}{route}: a regex URL; teach this test how to fill it"
                    )
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                full = prefix + route
                if full.startswith(ADMIN_PREFIX):
                    continue
                found.append((full, entry.name or full, bool(PARAM.search(full))))

    walk(get_resolver().url_patterns, "")
    return found


def fill(route: str, value: int) -> str:
    def one(match: re.Match) -> str:
        if match["conv"] == "uuid":
            return str(uuid.UUID(int=value))
        return str(value)

    return "/" + PARAM.sub(one, route)


def _content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _refused(response, anonymous: bool) -> bool:
    # 401: the FHIR API (sessions.fhir) wants a Bearer token; a session opens nothing there.
    # 429: the form link page (issue 14) throttles unknown links per address: the walk tries
    # many, and is refused as a guesser would be.
    if response.status_code in (401, 403, 404, 405, 429):
        return True
    if anonymous and response.status_code in (301, 302, 303):
        return response["Location"].startswith("/login/")
    return False


PERSONAS = ["alice", "bob", "carol", "olga", None]


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p or "anonymous")
def test_it_never_shows_another_teams_or_organisations_objects(persona, request, client, foreign):
    user = request.getfixturevalue(persona) if persona else None
    urls = project_urls()
    names = {name for _route, name, _params in urls}
    # The walk must have found the project's views, or it proves nothing.
    assert {"home", "client_detail", "client_rights", "client_audit", "caseload"} <= names

    failures: list[str] = []
    for route, name, has_params in urls:
        for value in FOREIGN_IDS if has_params else (FOREIGN_IDS[0],):
            url = fill(route, value)
            for method, headers in (
                ("get", {}),
                ("get", {"HX-Request": "true"}),
                ("post", {}),
                ("delete", {"HX-Request": "true"}),
            ):
                if user is not None:
                    client.force_login(user)
                    verify(client, user)
                data = (
                    {
                        "confirm": foreign["s1"].case_code,
                        "anon-confirm": "S-SECRET-1001",
                        "erase-confirm": "S-SECRET-1001",
                        "client": value,
                        "user": value,
                        "episode": value,
                        "id": value,
                    }
                    if method == "post"
                    else {}
                )
                response = getattr(client, method)(url, data, headers=headers)
                text = _content(response)
                where = f"{persona or 'anonymous'} {method.upper()} {url} {headers or ''}"
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
                leaked = [m for m in FOREIGN_MARKERS if m in text]
                exempt = (
                    persona == "olga"
                    and value == 1001
                    and name in ORG_ADMIN_REVIEWS | ORG_ADMIN_PAGES
                )
                if leaked and not exempt:
                    failures.append(f"{where}: shows {leaked}")
                guarded = has_params and name not in PUBLIC and not exempt
                if guarded and not _refused(response, anonymous=user is None):
                    failures.append(f"{where}: answered {response.status_code}")
    assert not failures, "\n".join(failures)

    # And nothing was changed: the foreign clients are whole.
    assert Client.objects.get(pk=1001).case_code == "S-SECRET-1001"
    assert Client.objects.get(pk=1002).name == "Xander Annen"
    assert Goal.objects.get(pk=1001).text == "goal-1001"


def test_it_keeps_the_admin_to_superusers(client, alice, carol, olga):
    olga.is_staff = True
    olga.save()
    for user in (None, alice, olga):
        if user:
            client.force_login(user)
            verify(client, user)
        response = client.get("/admin/kor/auditevent/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
