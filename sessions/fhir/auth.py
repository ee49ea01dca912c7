"""How the FHIR API is entered: a Bearer token, never a session, and answers in FHIR JSON.

`api_view(...)` wraps every API view: the method check first (405 before anything else), then
the token (401 with an OperationOutcome when it is missing, unknown, revoked or expired: the
caller cannot tell which), then a light rate limit per token (429). The views are CSRF-exempt
only because no cookie authenticates them: a browser's logged-in session opens nothing here.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.resource import Resource

from kor.api_tokens import token_for
from sessions.fhir import codes


def fhir_response(resource: Resource, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(resource.model_dump_json(), status=status, content_type=codes.FHIR_JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    add_never_cache_headers(response)  # health data: no copy in any cache
    return response


def outcome(status: int, code: str, text: str, **headers: str) -> HttpResponse:
    """An OperationOutcome with one issue (FHIR's way of saying what went wrong)."""
    issue = {"severity": "error", "code": code, "diagnostics": text}
    return fhir_response(OperationOutcome(issue=[issue]), status, **headers)


def _bearer(request: HttpRequest) -> str:
    kind, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if kind.lower() == "bearer" else ""


def _over_limit(token_hash: str) -> bool:
    # By the token's hash, not its id: an id can be reused (a deleted token, a test database).
    key = f"fhir-rate:{token_hash}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > settings.API_RATE_PER_MINUTE


def api_view(*methods: str, token: bool = True) -> Callable:
    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if token:
                request.api_token = token_for(_bearer(request))
                if request.api_token is None:
                    return outcome(
                        401,
                        "login",
                        "A valid API token is needed (Authorization: Bearer ...).",
                        WWW_Authenticate='Bearer realm="fhir"',
                    )
                if _over_limit(request.api_token.token_hash):
                    return outcome(429, "throttled", "Too many requests.", Retry_After="60")
            return view(request, *args, **kwargs)

        return csrf_exempt(require_http_methods(list(methods))(inner))

    return wrap
