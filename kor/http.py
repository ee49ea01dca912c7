"""Small helpers on the request that every layer above core may use."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest) -> str | None:
    """The `next` the request carries (form field, else query string) when it is a path on this
    site; None otherwise. Only paths: redirect() would read "0" or "home" as a view name, and
    url_has_allowed_host_and_scheme refuses other hosts, "//evil.example" and other schemes."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
