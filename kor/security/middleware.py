"""Leaders and administrators who have only typed a password get no further than the second step."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect
from django_otp import user_has_device

from kor.security.session import second_step_needed

# Pages reachable between password and second factor.
OPEN_BEFORE_SECOND_FACTOR = {
    "two_factor_verify",
    "two_factor_setup",
    "logout",
    "login",
    "set_language",
}


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not second_step_needed(request):  # no query once a login is known not to need it
            return None
        name = (
            "two_factor_verify"
            if user_has_device(request.user, confirmed=True)
            else "two_factor_setup"
        )
        url = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)


# Apps whose rows are clinical data: the Django admin shows them to superusers only (the
# service's operators), and every such admin page is written to the audit log like any other read.
CLINICAL_APPS = {"clients", "therapy_sessions"}


class AdminClinicalAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace != "admin":
            return None
        app_label = view_kwargs.get("app_label") or _admin_app_label(match.url_name)
        if app_label not in CLINICAL_APPS or not request.user.is_authenticated:
            return None
        if not request.user.is_superuser:
            raise PermissionDenied
        from kor.audit import record

        action = "view" if request.method in ("GET", "HEAD") else "update"
        if request.path.rstrip("/").endswith("/delete"):
            action = "delete" if request.method == "POST" else "view"
        client_id = _admin_client_id(match.url_name, view_kwargs.get("object_id"))
        # Stored under the client's organisation, not the operator's: the client's service
        # reviews its own log (kor.audit_review) and must see who opened its client's rows.
        record(
            action,
            None,
            user=request.user,
            request=request,
            client_id=client_id,
            organisation_id=_organisation_of(client_id),
            admin=match.url_name,
            object_id=str(view_kwargs.get("object_id", ""))[:50],
        )
        return None


def _admin_app_label(url_name: str | None) -> str | None:
    # Model admin URLs are named "<app_label>_<model>_<view>", e.g. clients_client_change.
    from django.apps import apps

    for config in apps.get_app_configs():
        if url_name and url_name.startswith(config.label + "_"):
            return config.label
    return None


def _admin_client_id(url_name: str | None, object_id) -> int | None:
    from django.apps import apps

    from kor.audit import _client_id_of

    if not url_name or object_id is None:
        return None
    for label in CLINICAL_APPS:
        for model in apps.get_app_config(label).get_models():
            prefix = f"{label}_{model._meta.model_name}_"
            if url_name.startswith(prefix):
                try:
                    return _client_id_of(model.objects.get(pk=object_id))
                except (model.DoesNotExist, ValueError, TypeError, OverflowError):
                    return None
    return None


def _organisation_of(client_id: int | None) -> int | None:
    """The client's organisation (None without a client: the row falls back to the user's)."""
    if client_id is None:
        return None
    from django.apps import apps

    # By name, not by import: the core knows no app (tests/architecture).
    clients = apps.get_model("clients", "Client").objects
    return clients.filter(pk=client_id).values_list("organisation_id", flat=True).first()
