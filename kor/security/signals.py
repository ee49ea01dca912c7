"""Logins, failed logins and logouts go to the audit log with the address they came from."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kor.audit import record
from kor.models import AuditEvent, User


def _record(
    request, action: str, *, user: User | None = None, username: str | None = None, **detail
) -> None:
    """One login event. A failed login names no user, only the name typed (cut short: enough to
    review guessing, no room for a password typed into it) and that account's organisation."""
    organisation_id = user.organisation_id if user else None
    if username is not None:
        account = User.objects.filter(username=username).only("organisation_id").first()
        organisation_id = account.organisation_id if account else None
        detail = {"username": username, **detail}
    # The path without its query string: a login's ?next= says nothing the trail needs.
    record(
        action,
        user=user,
        request=request,
        organisation_id=organisation_id,
        path=request.path,
        **detail,
    )


@receiver(user_logged_in, dispatch_uid="kor_audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        _record(request, AuditEvent.Action.LOGIN, user=user)


@receiver(user_logged_out, dispatch_uid="kor_audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if request is not None and user is not None:
        _record(request, AuditEvent.Action.LOGOUT, user=user)


@receiver(user_login_failed, dispatch_uid="kor_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        username = str(credentials.get("username", ""))[:50]
        _record(request, AuditEvent.Action.LOGIN_FAILED, username=username)


@receiver(user_locked_out, dispatch_uid="kor_audit_locked_out")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    if request is not None:
        username = str(username or "")[:50]
        _record(request, AuditEvent.Action.LOGIN_FAILED, username=username, locked_out=True)
