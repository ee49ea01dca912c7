"""The throttle in front of the password check."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from kor.security.rows import read_user


class ThrottledLoginBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request.

    Every login through the app's pages has one. `authenticate()` without a request (a management
    command, the test client's `login()`) has no address to throttle on, so it goes straight on
    to the password check instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The username django-axes records, cut to what a user can have (AXES_USERNAME_CALLABLE).

    The app's login form refuses longer names before they get here; the admin's login form does
    not, and axes' column holds 255 characters: a longer name must never reach its insert.
    """
    from kor.security.forms import USERNAME_MAX_LENGTH

    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") if source else None
    return username[:USERNAME_MAX_LENGTH] if isinstance(username, str) else username


class PasswordBackend(ModelBackend):
    """Django's ModelBackend, with the user of every logged-in request read by one fixed
    statement (kor.security.rows) instead of a query the ORM builds anew each time."""

    def get_user(self, user_id):
        user = read_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
