"""What the page header needs to know about the user's role."""

from functools import cache

from django.http import HttpRequest

from kor.access import may_review_audit, team_roles


def security(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy and asked once per page: the header and the page may both ask. Both answers come
    # from the user's roles in their organisation's teams, read in one query.
    roles = cache(lambda: team_roles(user))
    return {
        "may_review_audit": cache(lambda: may_review_audit(user, roles())),
        # the "My practice" link: for someone in a team
        "in_a_team": cache(lambda: bool(roles())),
    }
