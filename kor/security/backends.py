"""The throttle in front of the password check."""

from axes.backends import AxesStandaloneBackend


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
