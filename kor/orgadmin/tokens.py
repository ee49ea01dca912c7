"""API tokens for the organisation's own systems: made, listed and revoked by an organisation
administrator. The secret is shown once, on the page that made it; only its hash is stored.
Making and revoking a token are audited as administration (the organisation's review shows them).
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kor.api_tokens import create_token, revoke_token
from kor.audit import audit
from kor.models import ApiToken
from kor.orgadmin.forms import ApiTokenForm
from kor.orgadmin.people import require_org_admin

DEFAULT_DAYS = 90


def tokens_of(request: HttpRequest):
    return ApiToken.objects.filter(organisation_id=request.user.organisation_id)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    require_org_admin(request)
    initial = {
        "nonce": uuid.uuid4(),
        "expires_on": timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS),
    }
    form = ApiTokenForm(request.POST or None, initial=initial)
    secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token, secret = create_token(
            request.user.organisation,
            name=data["name"],
            expires_on=data["expires_on"],
            by=request.user,
            nonce=data["nonce"],
        )
        if secret is None:  # the same form again: the token exists, its secret was shown
            messages.info(request, _("This token was made already; its secret was shown once."))
            return redirect("orgadmin_api_tokens")
        audit(
            request,
            "create",
            token,
            administration="api_token_created",
            token_name=token.name,
            expires_on=token.expires_on.isoformat(),
        )
        form = ApiTokenForm(initial=initial | {"nonce": uuid.uuid4()})
    return render(
        request,
        "orgadmin/api_tokens.html",
        {
            "form": form,
            "tokens": tokens_of(request),
            "secret": secret,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    require_org_admin(request)
    token = tokens_of(request).filter(pk=token_id).first()
    if token is None:
        raise Http404
    if revoke_token(token, by=request.user):
        audit(request, "update", token, administration="api_token_revoked", token_name=token.name)
        messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("orgadmin_api_tokens")
