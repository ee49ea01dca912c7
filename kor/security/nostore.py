"""No browser or proxy keeps a copy of a logged-in page.

Health data must not outlive the session in a cache: in hand-over mode the browser's Back button
otherwise showed the client the helper's page (case code, goals, scores) from the browser's cache.
One rule for every response, instead of a decorator on every view that a new view could forget:
whatever was answered to a logged-in user is `no-store, private`. Static files (whitenoise answers
them before this middleware) and the login page stay cacheable.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Asked before the view: a view that logs the user out (hand-over lockout, logout)
        # still answers with something of theirs on the way.
        logged_in = _logged_in(request)
        response = self.get_response(request)
        if logged_in or _logged_in(request):
            # max-age=0, no-cache, no-store, must-revalidate, private (and Expires in the past).
            add_never_cache_headers(response)
        return response


def _logged_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
