"""Leaders and administrators who have only typed a password get no further than the second step."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django_otp import user_has_device

from kor.access import requires_two_factor

# Pages reachable between password and second factor.
OPEN_BEFORE_SECOND_FACTOR = {
    "two_factor_verify",
    "two_factor_setup",
    "logout",
    "login",
    "set_language",
}


def needs_second_factor(user) -> bool:
    """True for a user who must still verify a token in this session."""
    if not user.is_authenticated or user.is_verified():
        return False
    return requires_two_factor(user) or user_has_device(user, confirmed=True)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not needs_second_factor(request.user):
            return None
        name = (
            "two_factor_verify"
            if user_has_device(request.user, confirmed=True)
            else "two_factor_setup"
        )
        url = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
