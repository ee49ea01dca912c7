"""The header's role links: "My practice" for someone in a team, "Audit log" for a leader or an
organisation administrator. Both answers come from one read of the user's team roles."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from kor.access import is_leader, may_review_audit, team_roles
from kor.models import Membership, Team
from kor.security.context import security
from tests.conftest import make_user


def _header(user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    answers = security(request)
    with CaptureQueriesContext(connection) as queries:
        shown = {name: answers[name]() for name in ("in_a_team", "may_review_audit")}
        # asked again by the page: no further query
        assert {name: answers[name]() for name in shown} == shown
    shown["queries"] = len(queries)
    return shown


@pytest.mark.django_db
def test_each_persona_gets_its_links_from_one_query(alice, carol, olga, org):
    loner = make_user("lone", org)  # in the organisation, in no team
    assert _header(alice) == {"in_a_team": True, "may_review_audit": False, "queries": 1}
    assert _header(carol) == {"in_a_team": True, "may_review_audit": True, "queries": 1}
    assert _header(olga) == {"in_a_team": False, "may_review_audit": True, "queries": 1}
    assert _header(loner) == {"in_a_team": False, "may_review_audit": False, "queries": 1}


@pytest.mark.django_db
def test_the_roles_answer_as_the_queries_do(alice, carol, oscar, org, other_org):
    # Leading a team of another organisation makes nobody a leader here.
    elsewhere = Team.objects.create(organisation=other_org, name="Away")
    Membership.objects.create(user=alice, team=elsewhere, role=Membership.Role.LEADER)
    for user in (alice, carol, oscar):
        roles = team_roles(user)
        assert is_leader(user, roles) == is_leader(user)
        assert may_review_audit(user, roles) == may_review_audit(user)
    assert team_roles(alice) == {Membership.Role.HELPER}
    assert team_roles(carol) == {Membership.Role.LEADER}
