"""For test clients and benchmarks only: a Django test client logged in with both steps."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from kor.access import requires_two_factor


def pass_second_factor(client, user) -> None:
    """Mark a `django.test.Client`'s session as past the second step, for users who need it.

    It writes the session store directly, so it cannot be reached through a request.
    """
    if not requires_two_factor(user):
        return
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
