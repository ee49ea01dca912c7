from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from kor import audit_review, rights, views
from kor.security.forms import LoginForm
from sessions.fhir.exports_admin import api_exports

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        require_http_methods(["GET", "POST"])(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("logout/", require_POST(auth_views.LogoutView.as_view()), name="logout"),
    path("account/", include("kor.security.urls")),
    path("audit/", audit_review.audit_log, name="audit_log"),
    path("audit/export.csv", audit_review.audit_export, name="audit_export"),
    path("audit/clients/<int:client_id>/", audit_review.client_audit, name="client_audit"),
    path("audit/users/<int:user_id>/", audit_review.user_audit, name="user_audit"),
    path("clients/<int:client_id>/export.json", rights.export_json, name="client_export_json"),
    path("clients/<int:client_id>/export.pdf", rights.export_pdf, name="client_export_pdf"),
    path("clients/<int:client_id>/rights/", rights.client_rights, name="client_rights"),
    path("clients/<int:client_id>/anonymise/", rights.anonymise, name="client_anonymise"),
    path("clients/<int:client_id>/erase/", rights.erase, name="client_erase"),
    # Django's own i18n URL answers every method; changing the language is a POST.
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    # Organisation administration (issue 11): people, teams and roles, for org administrators.
    path("organisation/", include("kor.orgadmin.urls")),
    # Above sessions (the export jobs live there), so routed here rather than in kor.orgadmin.
    path("organisation/api-exports/", api_exports, name="orgadmin_api_exports"),
    path("admin/", admin.site.urls),
    # The read-only FHIR API for the organisation's own systems, by API token (issue 15).
    path("fhir/", include("sessions.fhir.urls")),
    path("", include("clients.urls")),
    path("", include("sessions.urls")),
]
