"""The second factor: verify a code from the authenticator app, enrol a new app, turn it off."""

import base64

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from kor.access import requires_two_factor
from kor.audit import record
from kor.http import safe_next
from kor.models import AuditEvent


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from the authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the six digits the app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()


def _audit_factor(request: HttpRequest, event: str) -> None:
    record(
        AuditEvent.Action.LOGIN,
        user=request.user,
        request=request,
        path=request.path,
        second_factor=event,
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return HttpResponseRedirect(safe_next(request) or "/")
    if not user_has_device(request.user, confirmed=True):
        return redirect("two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # match_token honours the device's own throttle (growing delays after wrong codes).
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            _audit_factor(request, "verified")
            return HttpResponseRedirect(safe_next(request) or "/")
        _audit_factor(request, "wrong_code")
        form.add_error("token", _("The code was not accepted. Wait for a new one and try again."))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": safe_next(request) or "/"},
    )


def _qr_data_uri(url: str) -> str:
    # An <img> with a data: URI: no script and no inline style, so the strict CSP holds.
    return segno.make(url, error="m").svg_data_uri(scale=5, dark="#1b1f24", light="#ffffff")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    has_device = user_has_device(user, confirmed=True)
    if has_device and not user.is_verified():
        # A new app may only be added by someone who has proved the old one.
        return redirect("two_factor_verify")
    if has_device:
        return render(
            request,
            "registration/two_factor_setup.html",
            {"enrolled": True, "required": requires_two_factor(user)},
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            otp_login(request, device)
            _audit_factor(request, "enrolled")
            return HttpResponseRedirect(safe_next(request) or "/")
        form.add_error("token", _("The code was not accepted. Check the clock on the phone."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": requires_two_factor(user),
            "next": safe_next(request) or "/",
        },
    )


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    # Only those for whom it is optional, and only after proving the app in this session.
    if requires_two_factor(request.user) or not request.user.is_verified():
        return redirect("two_factor_setup")
    TOTPDevice.objects.filter(user=request.user).delete()
    _audit_factor(request, "disabled")
    return redirect("two_factor_setup")
