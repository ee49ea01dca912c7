"""What the page header needs to know about the user's security role."""

from django.http import HttpRequest

from kor.access import may_review_audit


def security(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: evaluated (one query) only by templates that ask.
    return {"may_review_audit": lambda: may_review_audit(user)}
