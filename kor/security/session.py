"""What a logged-in request need not ask the database again: its expiry and the second step.

Every request used to write its session row (to move the 30-minute idle expiry) and to ask two
questions for the two-step rule (does this user lead a team, have they an authenticator app).
Here the expiry moves at most once a minute, and the answer "no second step needed" is kept in
the session for the rest of the login.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django_otp import user_has_device

from kor.access import requires_two_factor

# A session is written (its expiry moved on by SESSION_COOKIE_AGE) at most this often while it is
# used, so it ends between SESSION_COOKIE_AGE - TOUCH_EVERY and SESSION_COOKIE_AGE after the
# last request: never later than the idle timeout promises.
TOUCH_EVERY = 60  # seconds
TOUCHED_KEY = "kor.touched"
SECOND_STEP_FREE_KEY = "kor.second_step_free"


class IdleTimeoutMiddleware:
    """Keeps the idle timeout without writing the session row on every request.

    Must come right after SessionMiddleware, so that on the way out it runs before the session
    is saved. Replaces SESSION_SAVE_EVERY_REQUEST.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        touch_if_due(request.session, int(time.time()))
        return response


def touch_if_due(session: SessionBase, now: int) -> None:
    """Mark the session modified (so SessionMiddleware saves it and moves its expiry) when it
    was last saved a minute ago or more. Empty sessions stay unsaved, as Django leaves them."""
    if session.is_empty():  # no session, or flushed by logout
        return
    if session.modified:  # saved anyway: note when
        session[TOUCHED_KEY] = now
        return
    touched = session.get(TOUCHED_KEY, 0)
    if session.is_empty():  # the cookie named a session that has already expired
        return
    if not 0 <= now - touched < TOUCH_EVERY:  # (a clock set back also touches)
        session[TOUCHED_KEY] = now


def second_step_needed(request: HttpRequest) -> bool:
    """True for a user who must still verify a code from the authenticator app in this session:
    one the two-step rule requires it of (leaders, administrators, staff) or who chose an app.

    Once a login is found not to need it, the session says so and later requests ask nothing.
    The answer is tied to the login (user and last_login): a role given or an app enrolled in
    another browser while this one stays logged in takes effect at the user's next login.
    """
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    login = f"{user.pk}:{user.last_login.timestamp() if user.last_login else ''}"
    if request.session.get(SECOND_STEP_FREE_KEY) == login:
        return False
    if requires_two_factor(user) or user_has_device(user, confirmed=True):
        return True
    request.session[SECOND_STEP_FREE_KEY] = login
    return False
