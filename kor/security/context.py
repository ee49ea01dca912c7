"""What the page header needs to know about the user's role."""

from functools import cache

from django.http import HttpRequest

from kor.access import may_review_audit


def security(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy and asked once per page: the header and the page may both ask (one query each).
    return {
        "may_review_audit": cache(lambda: may_review_audit(user)),
        # the "My practice" link: for someone in a team
        "in_a_team": cache(lambda: bool(user.organisation_id and user.memberships.exists())),
    }
