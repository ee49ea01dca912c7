"""Logins, failed logins and logouts go to the audit log with the address they came from."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from kor.audit import client_address
from kor.models import AuditEvent, User


@receiver(user_logged_in, dispatch_uid="kor_audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    AuditEvent.objects.create(
        user=user,
        organisation_id=user.organisation_id,
        action=AuditEvent.Action.LOGIN,
        ip=client_address(request),
        path=request.path[:300],
    )


@receiver(user_logged_out, dispatch_uid="kor_audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if request is None or user is None:
        return
    AuditEvent.objects.create(
        user=user,
        organisation_id=user.organisation_id,
        action=AuditEvent.Action.LOGOUT,
        ip=client_address(request),
        path=request.path[:300],
    )


@receiver(user_login_failed, dispatch_uid="kor_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is None:
        return
    # The name typed, cut short: enough to review guessing, no room for a password typed into it.
    username = str(credentials.get("username", ""))[:50]
    account = User.objects.filter(username=username).only("organisation_id").first()
    AuditEvent.objects.create(
        organisation_id=account.organisation_id if account else None,
        action=AuditEvent.Action.LOGIN_FAILED,
        ip=client_address(request),
        path=request.path[:300],
        detail={"username": username},
    )


@receiver(user_locked_out, dispatch_uid="kor_audit_locked_out")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    if request is None:
        return
    username = str(username or "")[:50]
    account = User.objects.filter(username=username).only("organisation_id").first()
    AuditEvent.objects.create(
        organisation_id=account.organisation_id if account else None,
        action=AuditEvent.Action.LOGIN_FAILED,
        ip=client_address(request),
        path=request.path[:300],
        detail={"username": username, "locked_out": True},
    )
